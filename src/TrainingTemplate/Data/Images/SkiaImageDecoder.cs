using SkiaSharp;
using TorchEnv.Training.Diagnostics;

namespace TorchEnv.Training.Data.Images;

/// <summary>
/// JPEG, GIF (first frame), BMP and WebP through SkiaSharp, which every TorchSharp 0.107.0 closure already holds
/// (TorchSharp depends on it; its codecs are libjpeg-turbo and libwebp). Pixels come out as stored: no colour-space
/// conversion and no EXIF rotation, as torchvision's PIL loader does; alpha is dropped, grey is replicated. On Linux
/// SkiaSharp's native library comes from <c>SkiaSharp.NativeAssets.Linux.NoDependencies</c> (the template's
/// environment.yml locks it).
/// </summary>
public sealed class SkiaImageDecoder : IImageDecoder
{
    /// <summary>The shared instance (stateless, thread-safe).</summary>
    public static SkiaImageDecoder Instance { get; } = new();

    /// <inheritdoc />
    public bool CanDecode(ImageFileFormat format) => format is not ImageFileFormat.Unknown;

    /// <inheritdoc />
    public DecodedImage Decode(byte[] data, string path)
    {
        try
        {
            return DecodeCore(data, path);
        }
        catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException)
        {
            throw TrainingMessages.ImageCodecMissing(path, ex);
        }
    }

    private static unsafe DecodedImage DecodeCore(byte[] data, string path)
    {
        using var encoded = new SKMemoryStream(data);
        using var codec = SKCodec.Create(encoded, out var opened);
        if (codec is null)
        {
            throw TrainingMessages.ImageCorrupt(path, $"SkiaSharp cannot read it ({Describe(opened)}; {ImageFileFormats.Describe(data)})");
        }

        var width = codec.Info.Width;
        var height = codec.Info.Height;
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var rgba = new byte[checked(width * height * 4)];
        SKCodecResult decoded;
        fixed (byte* pixels = rgba)
        {
            decoded = codec.GetPixels(info, (IntPtr)pixels);
        }

        if (decoded != SKCodecResult.Success)
        {
            throw TrainingMessages.ImageCorrupt(path, $"its {codec.EncodedFormat} data cannot be decoded ({Describe(decoded)})");
        }

        var rgb = new byte[width * height * 3];
        for (int from = 0, to = 0; to < rgb.Length; from += 4, to += 3)
        {
            rgb[to] = rgba[from];
            rgb[to + 1] = rgba[from + 1];
            rgb[to + 2] = rgba[from + 2];
        }

        return new DecodedImage(width, height, rgb);
    }

    private static string Describe(SKCodecResult result) => result switch
    {
        SKCodecResult.IncompleteInput or SKCodecResult.ErrorInInput => "the data ends early or is damaged",
        SKCodecResult.InvalidInput => "the data is not a valid image",
        SKCodecResult.Unimplemented => "this variant of the format is not supported",
        _ => result.ToString(),
    };
}
