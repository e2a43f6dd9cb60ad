using System.Security.Cryptography;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.IO;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Packages;
using TorchEnv.Core.Native;

namespace TorchEnv.Core.Resolution;

/// <summary>One piece of a split file: which package content holds it, and where.</summary>
internal sealed record SplitPiece(PackageContent Content, string Path);

/// <summary>
/// Reads a file split over a CUDA "-primary" package and its "-fragmentN" packages as one stream (the pieces
/// concatenated while they are read, never joined on disk): its SHA-256 is checked against the primary's <c>.sha</c>,
/// as TorchSharp's restitch checks it, and its host version needs are read from the stream.
/// </summary>
internal static class SplitFileReader
{
    /// <summary>
    /// The pieces of <paramref name="file"/>: its first piece in <paramref name="primary"/>, then the piece of each
    /// fragment package in order (<see cref="SplitFile.Fragment"/>), up to the first one that is gone (a build restitched
    /// the file: the primary's piece is then the whole file).
    /// </summary>
    public static IReadOnlyList<SplitPiece> Pieces(SplitFile file, PackageContent primary, IReadOnlyList<PackageContent> fragments)
    {
        var pieces = new List<SplitPiece> { new(primary, file.PrimaryPath) };
        for (var n = 0; n < fragments.Count; n++)
        {
            var (_, piece) = file.Fragment(n + 1);
            if (!fragments[n].Exists(piece))
            {
                break;
            }

            pieces.Add(new SplitPiece(fragments[n], piece));
        }

        return pieces;
    }

    /// <summary>The needs of the whole file; TENV0212 when the pieces do not join into the file the <c>.sha</c> names.</summary>
    public static IReadOnlyList<NativeNeed> ReadNeeds(string primaryId, string path, string expectedSha256, IReadOnlyList<SplitPiece> pieces, CancellationToken cancellationToken)
    {
        Stream Open() => new ConcatenatedReadStream(pieces.Select(p => (Func<Stream>)(() => p.Content.Open(p.Path))).ToList());

        string actual;
        using (var whole = Open())
        {
            actual = Convert.ToHexStringLower(SHA256.HashData(whole));
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (!string.Equals(actual, expectedSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new TorchEnvException(ResolutionMessages.RestitchMismatch(primaryId, path, expectedSha256, actual));
        }

        var length = pieces.Sum(p => p.Content.Length(p.Path));
        using var elf = ElfFile.TryOpenSupported($"{primaryId}/{path}", new StreamedByteSource(Open, length));
        return elf is null ? [] : HostRequirementScanner.ReadHostNeeds(elf, primaryId, path);
    }
}
