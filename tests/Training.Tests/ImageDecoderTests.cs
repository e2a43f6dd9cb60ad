using SkiaSharp;
using TorchEnv.Training.Data;
using TorchEnv.Training.Data.Images;
using TorchEnv.Training.Diagnostics;

namespace TorchEnv.Training.Tests;

/// <summary>The default decoder: the format from the first bytes, PNG exact, JPEG within a stated tolerance.</summary>
public sealed class ImageDecoderTests
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Png");

    [Theory]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13 }, ImageFileFormat.Png)]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 0x4A, 0x46 }, ImageFileFormat.Jpeg)]
    [InlineData(new byte[] { 0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0 }, ImageFileFormat.Gif)]
    [InlineData(new byte[] { 0x42, 0x4D, 0x36, 0, 0, 0 }, ImageFileFormat.Bmp)]
    [InlineData(new byte[] { 0x52, 0x49, 0x46, 0x46, 0x24, 0, 0, 0, 0x57, 0x45, 0x42, 0x50 }, ImageFileFormat.Webp)]
    [InlineData(new byte[] { 0x52, 0x49, 0x46, 0x46, 0x24, 0, 0, 0, 0x57, 0x41, 0x56, 0x45 }, ImageFileFormat.Unknown)]   // a WAV file
    [InlineData(new byte[] { 0x89, 0x50, 0x4E }, ImageFileFormat.Unknown)]                                                  // cut short
    [InlineData(new byte[0], ImageFileFormat.Unknown)]
    public void The_format_is_read_from_the_first_bytes(byte[] header, ImageFileFormat expected) =>
        Assert.Equal(expected, ImageFileFormats.Detect(header));

    [Theory]
    [InlineData("gray1")]
    [InlineData("gray8")]
    [InlineData("gray_alpha8")]
    [InlineData("rgb8")]
    [InlineData("palette2")]
    [InlineData("palette8")]
    [InlineData("rgba8_interlaced")]
    [InlineData("gray4_interlaced")]
    public void Eight_bit_and_smaller_pngs_decode_exactly_like_skiasharps_libpng(string name)
    {
        var path = Path.Combine(Fixtures, name + ".png");
        var png = File.ReadAllBytes(path);
        Assert.Equal(SkiaImageDecoder.Instance.Decode(png, path).Rgb, ImageDecoders.Default.Decode(png, path).Rgb);
    }

    [Theory]
    [InlineData("gray16")]
    [InlineData("rgb16")]
    public void Sixteen_bit_pngs_keep_the_high_byte_as_pil_does_and_skia_differs_by_rounding_only(string name)
    {
        // torchvision's loader (PIL) takes the high byte of 16-bit samples; libpng/Skia round to nearest. The
        // fixtures' expected pixels are the high bytes; Skia is at most one step away.
        var path = Path.Combine(Fixtures, name + ".png");
        var png = File.ReadAllBytes(path);
        var ours = ImageDecoders.Default.Decode(png, path).Rgb;
        Assert.Equal(File.ReadAllBytes(Path.Combine(Fixtures, name + ".rgb")), ours);
        var skia = SkiaImageDecoder.Instance.Decode(png, path).Rgb;
        Assert.All(ours.Zip(skia), pair => Assert.InRange(Math.Abs(pair.First - pair.Second), 0, 1));
    }

    [Fact]
    public void A_jpeg_decodes_within_the_stated_tolerance_of_its_source_pixels()
    {
        // Tolerance for quality 95 on a smooth image: every channel within 12 of the source, on average within 2.
        const int width = 64, height = 48;
        var source = new byte[width * height * 3];
        using var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var color = new SKColor((byte)(x * 4), (byte)(y * 5), (byte)(128 + (x - y)));
                bitmap.SetPixel(x, y, color);
                (source[(y * width + x) * 3], source[(y * width + x) * 3 + 1], source[(y * width + x) * 3 + 2]) = (color.Red, color.Green, color.Blue);
            }
        }

        var jpeg = bitmap.Encode(SKEncodedImageFormat.Jpeg, 95).ToArray();
        var decoded = ImageDecoders.Default.Decode(jpeg, "gradient.jpg");
        Assert.Equal((width, height), (decoded.Width, decoded.Height));
        var errors = source.Zip(decoded.Rgb, (a, b) => Math.Abs(a - b)).ToArray();
        Assert.InRange(errors.Max(), 0, 12);
        Assert.InRange(errors.Average(), 0, 2.0);
    }

    [Fact]
    public void A_grey_jpeg_is_replicated_to_three_equal_channels()
    {
        using var bitmap = new SKBitmap(16, 16, SKColorType.Gray8, SKAlphaType.Opaque);
        bitmap.Erase(new SKColor(90, 90, 90));
        var decoded = ImageDecoders.Default.Decode(bitmap.Encode(SKEncodedImageFormat.Jpeg, 90).ToArray(), "grey.jpg");
        for (var i = 0; i < decoded.Rgb.Length; i += 3)
        {
            Assert.Equal(decoded.Rgb[i], decoded.Rgb[i + 1]);
            Assert.Equal(decoded.Rgb[i], decoded.Rgb[i + 2]);
        }
    }

    [Fact]
    public void Damaged_jpeg_data_is_a_coded_error_naming_the_file()
    {
        using var bitmap = new SKBitmap(32, 32);
        bitmap.Erase(SKColors.Teal);
        var jpeg = bitmap.Encode(SKEncodedImageFormat.Jpeg, 90).ToArray();
        var error = Assert.Throws<TrainingException>(() => ImageDecoders.Default.Decode(jpeg[..(jpeg.Length / 3)], "/data/cat/7.jpg"));
        Assert.Equal("TENV0632", error.Code);
        Assert.Contains("/data/cat/7.jpg", error.Message);
    }
}
