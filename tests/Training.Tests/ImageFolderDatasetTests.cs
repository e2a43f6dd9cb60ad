using SkiaSharp;
using TorchEnv.TestSupport;
using TorchEnv.Training.Data;
using TorchEnv.Training.Data.Images;
using TorchEnv.Training.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchEnv.Training.Tests;

[Trait("Category", "Integration")]
[Collection(TorchCollection.Name)]
public sealed class ImageFolderDatasetTests : IDisposable
{
    private readonly TempDirectory _temp = new("torchenv-images");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Classes_are_folders_and_samples_are_labelled_tensors()
    {
        WritePng("cat/a.png", 40, 30);
        WritePng("cat/b.png", 40, 30);
        WritePng("dog/c.png", 36, 36);
        File.WriteAllText(_temp.Combine("dog", "notes.txt"), "not an image");

        using var dataset = new ImageFolderDataset(_temp.Path, ImageTransform.Train(24));
        Assert.Equal(new[] { "cat", "dog" }, dataset.Classes);
        Assert.Equal(3, dataset.Count);

        var sample = dataset.GetTensor(2);
        Assert.Equal(new long[] { 3, 24, 24 }, sample[ImageFolderDataset.ImageKey].shape);
        Assert.Equal(ScalarType.Float32, sample[ImageFolderDataset.ImageKey].dtype);
        Assert.Equal(1, sample[ImageFolderDataset.LabelKey].item<long>());
    }

    [Fact]
    public void Augmentations_are_fixed_by_seed_epoch_and_sample_and_change_between_epochs()
    {
        WritePng("a/0.png", 32, 32);
        using var dataset = new ImageFolderDataset(_temp.Path, ImageTransform.Train(32), seed: 4);
        var first = dataset.LoadPixels(0);
        Assert.Equal(first, dataset.LoadPixels(0));

        var changed = Enumerable.Range(1, 8).Any(epoch =>
        {
            dataset.Epoch = epoch;
            return !dataset.LoadPixels(0).SequenceEqual(first);
        });
        Assert.True(changed, "some later epoch should crop or flip differently");
    }

    [Fact]
    public void The_evaluation_transform_is_a_normalised_centre_crop()
    {
        var rgb = Enumerable.Repeat((byte)255, 8 * 8 * 3).ToArray();
        File.WriteAllBytes(WritePath("w/0.png"), PngEncoder.Encode(new DecodedImage(8, 8, rgb)));
        using var dataset = new ImageFolderDataset(_temp.Path, ImageTransform.Evaluate(4) with { Mean = [0.5f, 0.5f, 0.5f], Std = [0.25f, 0.25f, 0.25f] });
        Assert.All(dataset.LoadPixels(0), v => Assert.Equal(2f, v, 5));   // (1 - 0.5) / 0.25
    }

    [Fact]
    public void Jpeg_files_without_a_decoder_fail_at_construction_with_the_fix()
    {
        WritePng("a/0.png", 8, 8);
        File.WriteAllBytes(WritePath("a/1.jpg"), [0xFF, 0xD8, 0xFF]);

        var error = Assert.Throws<TrainingException>(() => new ImageFolderDataset(_temp.Path, ImageTransform.Evaluate(8)));
        Assert.Equal("TENV0631", error.Code);
        Assert.Contains("1.jpg", error.Message);
        Assert.Contains("IImageDecoder", error.Fix);
    }

    [Fact]
    public void A_jpeg_decoder_plugs_in()
    {
        using (var bitmap = new SKBitmap(20, 20))
        {
            bitmap.Erase(new SKColor(200, 40, 40));
            File.WriteAllBytes(WritePath("red/0.jpg"), bitmap.Encode(SKEncodedImageFormat.Jpeg, 95).ToArray());
        }

        using var dataset = new ImageFolderDataset(_temp.Path, ImageTransform.Evaluate(16), new SkiaJpegDecoder());
        var pixels = dataset.LoadPixels(0);
        var red = pixels[0] * ImageTransform.ImageNetStd[0] + ImageTransform.ImageNetMean[0];
        Assert.Equal(200 / 255f, red, 1);
    }

    [Fact]
    public void Folders_that_are_not_image_folders_are_explained()
    {
        Assert.Equal("TENV0630", Assert.Throws<TrainingException>(() => new ImageFolderDataset(_temp.Combine("missing"), ImageTransform.Evaluate(8))).Code);
        var empty = Assert.Throws<TrainingException>(() => new ImageFolderDataset(_temp.Path, ImageTransform.Evaluate(8)));
        Assert.Contains("no class sub-folders", empty.Message);
    }

    [Fact]
    public void An_image_smaller_than_the_crop_is_named()
    {
        WritePng("a/small.png", 10, 10);
        using var dataset = new ImageFolderDataset(_temp.Path, ImageTransform.Evaluate(16));
        var error = Assert.Throws<TrainingException>(() => dataset.GetTensor(0));
        Assert.Equal("TENV0633", error.Code);
        Assert.Contains("small.png", error.Message);
    }

    [Fact]
    public void Large_images_are_resized_by_their_shorter_side()
    {
        WritePng("a/wide.png", 120, 60);
        using var dataset = new ImageFolderDataset(_temp.Path, ImageTransform.Evaluate(32, resizeShorterSide: 32));
        Assert.Equal(3 * 32 * 32, dataset.LoadPixels(0).Length);
    }

    private string WritePath(string relative)
    {
        var path = _temp.Combine(relative.Split('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }

    private void WritePng(string relative, int width, int height)
    {
        var random = new SplitMix64((ulong)relative.Length);
        var rgb = new byte[width * height * 3];
        for (var i = 0; i < rgb.Length; i++)
        {
            rgb[i] = (byte)random.NextBelow(256);
        }

        File.WriteAllBytes(WritePath(relative), PngEncoder.Encode(new DecodedImage(width, height, rgb)));
    }

    /// <summary>What a user plugs in for JPEG: SkiaSharp (TorchVision's dependency) decodes, we take RGB.</summary>
    private sealed class SkiaJpegDecoder : IImageDecoder
    {
        public bool CanDecode(string extension) => extension is ".jpg" or ".jpeg" or ".png";

        public DecodedImage Decode(byte[] data, string path)
        {
            using var bitmap = SKBitmap.Decode(data) ?? throw new InvalidDataException($"{path} is not an image");
            var rgb = new byte[bitmap.Width * bitmap.Height * 3];
            for (var y = 0; y < bitmap.Height; y++)
            {
                for (var x = 0; x < bitmap.Width; x++)
                {
                    var pixel = bitmap.GetPixel(x, y);
                    var at = (y * bitmap.Width + x) * 3;
                    (rgb[at], rgb[at + 1], rgb[at + 2]) = (pixel.Red, pixel.Green, pixel.Blue);
                }
            }

            return new DecodedImage(bitmap.Width, bitmap.Height, rgb);
        }
    }
}
