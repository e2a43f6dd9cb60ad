using System.Text.RegularExpressions;
using TorchEnv.Core.IO;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Native;

namespace TorchEnv.Core.Resolution;

/// <summary>
/// What a lock needs from one package, read once from its content (and kept in <see cref="PackageFactCache"/>):
/// NuGet's content hash, the files NuGet would extract, the host version needs of its whole native ELF files, and for
/// the pieces of files split over CUDA part packages the SHA-256 of the whole file (its <c>.sha</c>).
/// </summary>
/// <param name="ContentHash">NuGet's <c>contentHash</c> (SHA-512, base64; for a signed package the hash without its signature).</param>
/// <param name="Files">Paths inside the package, ordinal order.</param>
/// <param name="Needs">Host version needs of the native files under <c>runtimes/*/native/</c> that are whole files.</param>
/// <param name="SplitFiles">For a "-primary" package: path of each split file's first piece → SHA-256 of the whole file.</param>
public sealed record PackageFacts(
    string ContentHash,
    IReadOnlyList<string> Files,
    IReadOnlyList<NativeNeed> Needs,
    IReadOnlyDictionary<string, string> SplitFiles);

/// <summary>Reads <see cref="PackageFacts"/> from a package's content, wherever it is (<see cref="PackageContent"/>).</summary>
internal static partial class PackageFactReader
{
    [GeneratedRegex(@"^runtimes/[^/]+/native/", RegexOptions.IgnoreCase)]
    private static partial Regex NativeFolder();

    [GeneratedRegex(@"-primary$", RegexOptions.IgnoreCase)]
    private static partial Regex PrimaryPackage();

    [GeneratedRegex(@"-fragment\d+$", RegexOptions.IgnoreCase)]
    private static partial Regex FragmentPackage();

    /// <summary>True for a path under <c>runtimes/&lt;rid&gt;/native/</c> other than a <c>.sha</c> file.</summary>
    public static bool IsNative(string path) =>
        NativeFolder().IsMatch(path) && !path.EndsWith(".sha", StringComparison.OrdinalIgnoreCase);

    /// <summary>True for a package id that holds the first pieces of split files.</summary>
    public static bool IsPrimary(string id) => PrimaryPackage().IsMatch(id);

    /// <summary>True for the packages of a split file's pieces ("-primary", "-fragmentN"): their file is read across packages.</summary>
    public static bool IsSplitPart(string id) => PrimaryPackage().IsMatch(id) || FragmentPackage().IsMatch(id);

    public static PackageFacts Read(string id, string contentHash, PackageContent content, CancellationToken cancellationToken)
    {
        var files = content.Files;
        var needs = new List<NativeNeed>();
        var split = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var set = files.ToHashSet(StringComparer.Ordinal);
        foreach (var path in files.Where(IsNative))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (IsPrimary(id) && set.Contains(path + ".sha"))
            {
                using var sha = new StreamReader(content.Open(path + ".sha"));
                split[path] = FileHashes.ShaFileText(sha.ReadToEnd());
                continue;
            }

            needs.AddRange(ReadNeeds(content, id, path));
        }

        return new PackageFacts(contentHash, files, needs, split);
    }

    /// <summary>The host needs of one file of the content (nothing for a file that is not an ELF library of a supported kind).</summary>
    public static IReadOnlyList<NativeNeed> ReadNeeds(PackageContent content, string id, string path)
    {
        if (content is InstalledContent installed)
        {
            return HostRequirementScanner.ReadHostNeeds(new NativeFile(id, path, installed.FullPath(path)));
        }

        using var elf = ElfFile.TryOpenSupported(content.Describe(path), new StreamedByteSource(() => content.Open(path), content.Length(path)));
        return elf is null ? [] : HostRequirementScanner.ReadHostNeeds(elf, id, path);
    }
}
