namespace TorchEnv.Training.Data.Images;

/// <summary>The decoders an image folder uses unless given another.</summary>
public static class ImageDecoders
{
    /// <summary>
    /// PNG through <see cref="PngDecoder"/> (managed: exact for every bit depth and colour type, no native library),
    /// everything else through <see cref="SkiaImageDecoder"/>; chosen by the file's first bytes.
    /// </summary>
    public static IImageDecoder Default { get; } = new ContentSniffingDecoder(PngDecoder.Instance, SkiaImageDecoder.Instance);

    /// <summary>A decoder that picks the first of <paramref name="decoders"/> that reads the file's format.</summary>
    public static IImageDecoder ByContent(params IImageDecoder[] decoders) => new ContentSniffingDecoder(decoders);
}

/// <summary>Picks a decoder by the format the data's first bytes announce.</summary>
internal sealed class ContentSniffingDecoder(params IImageDecoder[] decoders) : IImageDecoder
{
    public bool CanDecode(ImageFileFormat format) => decoders.Any(d => d.CanDecode(format));

    public DecodedImage Decode(byte[] data, string path)
    {
        var format = ImageFileFormats.Detect(data);
        foreach (var decoder in decoders)
        {
            if (decoder.CanDecode(format))
            {
                return decoder.Decode(data, path);
            }
        }

        throw Diagnostics.TrainingMessages.ImageFormatUnknown(path, format, data);
    }
}
