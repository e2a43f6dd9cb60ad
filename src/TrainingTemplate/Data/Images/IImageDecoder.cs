namespace TorchEnv.Training.Data.Images;

/// <summary>
/// Turns an encoded image file into RGB pixels. <see cref="PngDecoder"/> is built in; plug another one into
/// <see cref="ImageFolderDataset"/> for more formats (e.g. JPEG through SkiaSharp). Called from several loader workers
/// at once: implementations must be thread-safe.
/// </summary>
public interface IImageDecoder
{
    /// <summary>Whether this decoder reads files with <paramref name="extension"/> (lower case, with the dot: ".png").</summary>
    bool CanDecode(string extension);

    /// <summary>Decodes <paramref name="data"/>, the content of <paramref name="path"/> (named in errors).</summary>
    DecodedImage Decode(byte[] data, string path);
}
