using System.Security.Cryptography;

namespace TorchEnv.Core.IO;

/// <summary>Content hashes of files, streamed (libtorch files are hundreds of megabytes).</summary>
public static class FileHashes
{
    /// <summary>The SHA-256 of the file's bytes, lower-case hex, as <c>sha256sum</c> prints it and TorchSharp's <c>.sha</c> files hold it.</summary>
    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>
    /// True when the SHA-256 of <paramref name="path"/> is the one <paramref name="shaFile"/> records (TorchSharp's
    /// <c>.sha</c> beside a file restitched from fragments: hex, surrounding white space ignored, either case).
    /// </summary>
    public static bool MatchesShaFile(string path, string shaFile) =>
        string.Equals(ReadShaFile(shaFile), Sha256(path), StringComparison.Ordinal);

    /// <summary>The SHA-256 a <c>.sha</c> file records, lower-case hex (its white space dropped, either case accepted).</summary>
    public static string ReadShaFile(string shaFile) => ShaFileText(File.ReadAllText(shaFile));

    /// <summary>The SHA-256 in the text of a <c>.sha</c> file (read from disk or from a package entry), lower-case hex.</summary>
    public static string ShaFileText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Trim().ToLowerInvariant();
    }
}
