namespace TorchEnv.Training.Data.Images;

/// <summary>An image file format, as recognised from a file's first bytes.</summary>
public enum ImageFileFormat
{
    /// <summary>None of the formats below.</summary>
    Unknown,

    /// <summary>PNG (signature <c>89 50 4E 47 0D 0A 1A 0A</c>).</summary>
    Png,

    /// <summary>JPEG / JFIF / EXIF (starts <c>FF D8 FF</c>).</summary>
    Jpeg,

    /// <summary>GIF87a / GIF89a (the first frame).</summary>
    Gif,

    /// <summary>Windows bitmap (starts <c>BM</c>).</summary>
    Bmp,

    /// <summary>WebP (a RIFF container of type <c>WEBP</c>).</summary>
    Webp,
}

/// <summary>Recognises image formats by content, never by file name: real data sets hold PNGs named <c>.JPEG</c>.</summary>
public static class ImageFileFormats
{
    /// <summary>Bytes <see cref="Detect"/> needs at most.</summary>
    public const int HeaderLength = 12;

    /// <summary>File name extensions (lower case, with the dot) that an image folder treats as images, as torchvision's <c>ImageFolder</c> does; other files are ignored.</summary>
    public static IReadOnlySet<string> ImageExtensions { get; } =
        new HashSet<string>([".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff"], StringComparer.Ordinal);

    /// <summary>The format whose signature <paramref name="header"/> (the first bytes of a file) starts with.</summary>
    public static ImageFileFormat Detect(ReadOnlySpan<byte> header)
    {
        if (header.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return ImageFileFormat.Png;
        }

        if (header.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return ImageFileFormat.Jpeg;
        }

        if (header.StartsWith("GIF87a"u8) || header.StartsWith("GIF89a"u8))
        {
            return ImageFileFormat.Gif;
        }

        if (header.StartsWith("BM"u8))
        {
            return ImageFileFormat.Bmp;
        }

        if (header.Length >= 12 && header.StartsWith("RIFF"u8) && header[8..12].SequenceEqual("WEBP"u8))
        {
            return ImageFileFormat.Webp;
        }

        return ImageFileFormat.Unknown;
    }

    /// <summary>The first bytes as hex, for error messages ("starts with 3C 21 44 4F").</summary>
    public static string Describe(ReadOnlySpan<byte> header)
    {
        if (header.IsEmpty)
        {
            return "the file is empty";
        }

        var hex = Convert.ToHexString(header[..Math.Min(8, header.Length)]);
        return "it starts with " + string.Join(' ', Enumerable.Range(0, hex.Length / 2).Select(i => hex.Substring(2 * i, 2)));
    }
}
