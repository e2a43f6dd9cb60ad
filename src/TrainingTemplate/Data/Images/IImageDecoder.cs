namespace TorchEnv.Training.Data.Images;

/// <summary>
/// Turns an encoded image file into 8-bit RGB pixels. <see cref="ImageDecoders.Default"/> reads PNG, JPEG, GIF, BMP
/// and WebP; plug in another one for more. The format comes from the file's first bytes (see
/// <see cref="ImageFileFormats.Detect"/>), never from its name. Called from several threads at once: implementations
/// must be thread-safe.
/// </summary>
public interface IImageDecoder
{
    /// <summary>Whether this decoder reads files of <paramref name="format"/>.</summary>
    bool CanDecode(ImageFileFormat format);

    /// <summary>Decodes <paramref name="data"/>, the content of <paramref name="path"/> (named in errors).</summary>
    DecodedImage Decode(byte[] data, string path);
}
