using System.IO.Compression;
using TorchEnv.Core.IO;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Packages;

namespace TorchEnv.Core.Native;

/// <summary>One piece of an installed split file: the primary's first bytes or fragment K, on disk and in its <c>.nupkg</c>.</summary>
/// <param name="PackageId">The "-primary" or "-fragmentK" package.</param>
/// <param name="EntryPath">The piece's path in that package (<c>fragments/linux-x64/native/libtorch_cuda.so.fragment2</c>).</param>
/// <param name="FullPath">Where it is (or was) extracted.</param>
/// <param name="NupkgPath">The package's <c>.nupkg</c> in the global packages folder, or null when the package is not installed.</param>
public sealed record SplitFilePiece(string PackageId, string EntryPath, string FullPath, string? NupkgPath)
{
    /// <summary>"-primary/…" style name for messages: package id and path in the package.</summary>
    public string Name => $"{PackageId}/{EntryPath}";

    /// <summary>The package's folder in the global packages folder (<c>&lt;id&gt;/&lt;version&gt;</c>).</summary>
    public string PackageDirectory => FullPath[..^EntryPath.Length].TrimEnd('/', '\\');

    /// <summary>True when the extracted piece is on disk.</summary>
    public bool Exists => File.Exists(FullPath);

    /// <summary>The piece's length in its package (read from the zip's directory), or null when the package is not there.</summary>
    public long? PackagedLength()
    {
        using var zip = OpenPackage();
        return zip?.GetEntry(EntryPath)?.Length;
    }

    /// <summary>
    /// Why the extracted piece is not the one its package holds, or null when it is: missing, another length, other bytes.
    /// Only called once a join has failed, so reading the piece twice costs nothing in the normal case.
    /// </summary>
    public string? Damage()
    {
        if (!Exists)
        {
            return "missing";
        }

        using var zip = OpenPackage();
        var entry = zip?.GetEntry(EntryPath);
        if (entry is null)
        {
            return null;
        }

        var length = new FileInfo(FullPath).Length;
        if (length != entry.Length)
        {
            return $"{ByteSize.Format(length)} on disk, {ByteSize.Format(entry.Length)} in its package";
        }

        using var packaged = entry.Open();
        return FileContents.Same(packaged, FullPath) ? null : "its bytes differ from its package's";
    }

    private ZipArchive? OpenPackage() => NupkgPath is not null && File.Exists(NupkgPath) ? ZipFile.OpenRead(NupkgPath) : null;
}

/// <summary>
/// A split CUDA file (<see cref="SplitFile"/>) as installed for a locked environment: the primary file, its <c>.sha</c>
/// and the fragments the lock says it has (the lock lists each "-fragmentK" package).
/// </summary>
/// <param name="File">The split file's layout.</param>
/// <param name="Package">The locked "-primary" package (its line in the lock locates the diagnostics).</param>
/// <param name="Primary">The primary piece; once joined, its file is the whole file.</param>
/// <param name="ShaFile">The <c>.sha</c> beside it.</param>
/// <param name="Fragments">Fragment 1, 2, … in order.</param>
public sealed record InstalledSplitFile(SplitFile File, LockedPackage Package, SplitFilePiece Primary, string ShaFile, IReadOnlyList<SplitFilePiece> Fragments)
{
    /// <summary>The primary first, then the fragments: the order the whole file is joined in.</summary>
    public IEnumerable<SplitFilePiece> Pieces => Fragments.Prepend(Primary);

    /// <summary>The full length of the joined file from the pieces' lengths in their packages, or null when a package is missing.</summary>
    public long? ExpectedLength()
    {
        long total = 0;
        foreach (var piece in Pieces)
        {
            if (piece.PackagedLength() is not { } length)
            {
                return null;
            }

            total += length;
        }

        return total;
    }

    /// <summary>The SHA-256 the <c>.sha</c> names (lower-case hex).</summary>
    public string ExpectedSha256() => FileHashes.ReadShaFile(ShaFile);

    /// <summary>
    /// True when the primary file is the whole file: the pieces' total length (when their packages are there, a cheap
    /// first test) and the SHA-256 its <c>.sha</c> records.
    /// </summary>
    public bool IsWhole() =>
        System.IO.File.Exists(Primary.FullPath) && System.IO.File.Exists(ShaFile)
        && (ExpectedLength() is not { } length || new FileInfo(Primary.FullPath).Length == length)
        && FileHashes.MatchesShaFile(Primary.FullPath, ShaFile);

    /// <summary>The split files of the "-primary" packages of <paramref name="environment"/> installed in <paramref name="folder"/>.</summary>
    public static IReadOnlyList<InstalledSplitFile> Of(LockedEnvironment environment, GlobalPackagesFolder folder)
    {
        var files = new List<InstalledSplitFile>();
        foreach (var package in environment.Packages.Where(p => SplitFile.IsPrimaryPackage(p.Id)))
        {
            if (folder.Find(package.Id, package.Version) is not { } installed)
            {
                // Not installed: the package check (TENV0410) reports it.
                continue;
            }

            foreach (var file in SplitFile.InPrimary(package.Id, installed.Directory))
            {
                var primary = new SplitFilePiece(package.Id, file.PrimaryPath, Path.Combine(installed.Directory, file.PrimaryPath), installed.NupkgPath);
                var fragments = new List<SplitFilePiece>();
                for (var k = 1; environment.Find(file.Fragment(k).PackageId) is { } fragment; k++)
                {
                    var (_, relative) = file.Fragment(k);
                    var fragmentInstalled = folder.Find(fragment.Id, fragment.Version);
                    var directory = fragmentInstalled?.Directory ?? folder.PackageDirectory(fragment.Id, NuGet.Versioning.NuGetVersion.Parse(fragment.Version));
                    fragments.Add(new SplitFilePiece(fragment.Id, relative, Path.Combine(directory, relative), fragmentInstalled?.NupkgPath));
                }

                files.Add(new InstalledSplitFile(file, package, primary, primary.FullPath + ".sha", fragments));
            }
        }

        return files;
    }
}
