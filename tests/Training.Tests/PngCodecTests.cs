using SkiaSharp;
using TorchEnv.Training.Data;
using TorchEnv.Training.Data.Images;
using TorchEnv.Training.Diagnostics;

namespace TorchEnv.Training.Tests;

public sealed class PngCodecTests
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Png");

    [Theory]
    [InlineData("gray1", 13, 7)]
    [InlineData("gray8", 9, 5)]
    [InlineData("gray16", 6, 4)]
    [InlineData("gray_alpha8", 7, 3)]
    [InlineData("rgb8", 11, 6)]
    [InlineData("rgb16", 5, 5)]
    [InlineData("palette2", 10, 4)]
    [InlineData("palette8", 8, 8)]
    [InlineData("rgba8_interlaced", 13, 11)]
    [InlineData("gray4_interlaced", 9, 9)]
    public void Every_colour_type_depth_filter_and_interlacing_decodes_to_the_expected_pixels(string name, int width, int height)
    {
        // The fixtures come from an independent encoder (make_png_fixtures.py: Python's zlib and the spec's filters).
        var path = Path.Combine(Fixtures, name + ".png");
        var image = PngDecoder.Instance.Decode(File.ReadAllBytes(path), path);

        Assert.Equal(width, image.Width);
        Assert.Equal(height, image.Height);
        Assert.Equal(File.ReadAllBytes(Path.Combine(Fixtures, name + ".rgb")), image.Rgb);
    }

    [Fact]
    public void Encoded_images_decode_to_the_same_pixels_here_and_in_skia()
    {
        var random = new SplitMix64(5);
        var image = SyntheticShapes.Render(3, 32, ref random);
        var png = PngEncoder.Encode(image);

        Assert.Equal(image.Rgb, PngDecoder.Instance.Decode(png, "memory").Rgb);
        using var skia = SKBitmap.Decode(png);
        Assert.Equal(32, skia.Width);
        for (var y = 0; y < 32; y += 5)
        {
            for (var x = 0; x < 32; x += 3)
            {
                var pixel = skia.GetPixel(x, y);
                var at = (y * 32 + x) * 3;
                Assert.Equal((image.Rgb[at], image.Rgb[at + 1], image.Rgb[at + 2]), (pixel.Red, pixel.Green, pixel.Blue));
            }
        }
    }

    [Fact]
    public void A_damaged_file_is_named_in_a_coded_error()
    {
        var random = new SplitMix64(1);
        var png = PngEncoder.Encode(SyntheticShapes.Render(0, 16, ref random));
        png[png.Length / 2] ^= 0xFF;   // inside the compressed data

        var error = Assert.Throws<TrainingException>(() => PngDecoder.Instance.Decode(png, "/data/cat/1.png"));
        Assert.Equal("TENV0632", error.Code);
        Assert.Contains("/data/cat/1.png", error.Message);
    }

    [Fact]
    public void A_truncated_or_foreign_file_is_rejected()
    {
        var random = new SplitMix64(1);
        var png = PngEncoder.Encode(SyntheticShapes.Render(0, 16, ref random));

        Assert.Equal("TENV0632", Assert.Throws<TrainingException>(() => PngDecoder.Instance.Decode(png[..60], "cut.png")).Code);
        var jpeg = Assert.Throws<TrainingException>(() => PngDecoder.Instance.Decode([0xFF, 0xD8, 0xFF, 0xE0, .. new byte[40]], "photo.png"));
        Assert.Contains("signature", jpeg.Message);
    }
}
