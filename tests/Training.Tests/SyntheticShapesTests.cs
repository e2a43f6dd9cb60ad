using System.Security.Cryptography;
using TorchEnv.TestSupport;
using TorchEnv.Training.Data;
using TorchEnv.Training.Data.Images;

namespace TorchEnv.Training.Tests;

public sealed class SyntheticShapesTests : IDisposable
{
    private readonly TempDirectory _temp = new("torchenv-shapes");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_set_is_written_in_the_image_folder_layout_once()
    {
        var options = new SyntheticShapesOptions { TrainPerClass = 3, TestPerClass = 2, ImageSize = 16 };
        var root = SyntheticShapes.EnsureCreated(_temp.Combine("shapes"), options);

        Assert.Equal(SyntheticShapes.ClassNames, Directory.GetDirectories(Path.Combine(root, "train")).Select(Path.GetFileName).Order());
        Assert.Equal(30, Directory.GetFiles(Path.Combine(root, "train"), "*.png", SearchOption.AllDirectories).Length);
        Assert.Equal(20, Directory.GetFiles(Path.Combine(root, "test"), "*.png", SearchOption.AllDirectories).Length);

        var stamp = File.GetLastWriteTimeUtc(Path.Combine(root, "train", SyntheticShapes.ClassNames[0], "0000.png"));
        SyntheticShapes.EnsureCreated(root, options);   // already there: untouched
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(Path.Combine(root, "train", SyntheticShapes.ClassNames[0], "0000.png")));
        Assert.Empty(Directory.GetDirectories(_temp.Path, ".*"));   // no staging folder left
    }

    [Fact]
    public void The_pixels_are_the_same_on_every_run()
    {
        var options = new SyntheticShapesOptions { TrainPerClass = 2, TestPerClass = 1, ImageSize = 16 };
        var first = PixelHash(SyntheticShapes.EnsureCreated(_temp.Combine("one"), options));
        var second = PixelHash(SyntheticShapes.EnsureCreated(_temp.Combine("two"), options));
        Assert.Equal(first, second);
    }

    [Fact]
    public void Other_options_regenerate_the_set()
    {
        var root = _temp.Combine("shapes");
        SyntheticShapes.EnsureCreated(root, new SyntheticShapesOptions { TrainPerClass = 1, TestPerClass = 1, ImageSize = 8 });
        SyntheticShapes.EnsureCreated(root, new SyntheticShapesOptions { TrainPerClass = 2, TestPerClass = 1, ImageSize = 8 });
        Assert.Equal(20, Directory.GetFiles(Path.Combine(root, "train"), "*.png", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public void Classes_differ_in_what_they_draw()
    {
        // The same random stream drawn as two classes must give different pictures (the class is in the image).
        var a = new SplitMix64(8);
        var b = new SplitMix64(8);
        Assert.NotEqual(SyntheticShapes.Render(0, 32, ref a).Rgb, SyntheticShapes.Render(4, 32, ref b).Rgb);
    }

    private static string PixelHash(string root)
    {
        using var sha = SHA256.Create();
        foreach (var file in Directory.GetFiles(root, "*.png", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal))
        {
            var path = Path.Combine(root, file);
            var pixels = PngDecoder.Instance.Decode(File.ReadAllBytes(path), path).Rgb;
            sha.TransformBlock(pixels, 0, pixels.Length, null, 0);
        }

        sha.TransformFinalBlock([], 0, 0);
        return Convert.ToHexString(sha.Hash!);
    }
}
