using System.Text.RegularExpressions;

namespace TorchEnv.Core.Packages;

/// <summary>
/// A native file TorchSharp's CUDA packages split because it is too big for one package: the "-primary" package holds
/// <c>runtimes/&lt;rid&gt;/native/&lt;file&gt;</c> (the first bytes) and <c>&lt;file&gt;.sha</c> (SHA-256 of the whole
/// file, lower-case hex); the "-fragmentK" packages (K = 1, 2, …) hold <c>fragments/&lt;rid&gt;/native/&lt;file&gt;.fragmentK</c>.
/// The one place that knows this layout (paths are package-relative, with '/').
/// </summary>
/// <param name="PrimaryId">The "-primary" package id.</param>
/// <param name="PrimaryPath">The file's path in that package, e.g. <c>runtimes/linux-x64/native/libtorch_cuda.so</c>.</param>
public sealed partial record SplitFile(string PrimaryId, string PrimaryPath)
{
    private const string PrimarySuffix = "-primary";

    /// <summary>The <c>.sha</c> file beside the primary.</summary>
    public string ShaPath => PrimaryPath + ".sha";

    /// <summary>The file name (<c>libtorch_cuda.so</c>).</summary>
    public string FileName => PrimaryPath[(PrimaryPath.LastIndexOf('/') + 1)..];

    /// <summary>Package id and package-relative path of fragment <paramref name="index"/> (1-based).</summary>
    public (string PackageId, string RelativePath) Fragment(int index) =>
        ($"{PrimaryId[..^PrimarySuffix.Length]}-fragment{index}", "fragments" + PrimaryPath["runtimes".Length..] + ".fragment" + index);

    /// <summary>True for a "-primary" package id.</summary>
    public static bool IsPrimaryPackage(string id) => id.EndsWith(PrimarySuffix, StringComparison.OrdinalIgnoreCase);

    /// <summary>The split files of an installed "-primary" package: every <c>runtimes/**/&lt;file&gt;.sha</c> in <paramref name="directory"/>.</summary>
    public static IReadOnlyList<SplitFile> InPrimary(string primaryId, string directory)
    {
        var runtimes = Path.Combine(directory, "runtimes");
        if (!IsPrimaryPackage(primaryId) || !Directory.Exists(runtimes))
        {
            return [];
        }

        return Directory.EnumerateFiles(runtimes, "*.sha", SearchOption.AllDirectories)
            .Select(sha => new SplitFile(primaryId, Path.GetRelativePath(directory, sha[..^".sha".Length]).Replace('\\', '/')))
            .OrderBy(f => f.PrimaryPath, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The split file a fragment belongs to, or null when <paramref name="relativePath"/> of <paramref name="packageId"/> is no fragment.</summary>
    public static SplitFragment? OfFragment(string packageId, string relativePath)
    {
        var id = FragmentId().Match(packageId);
        var path = FragmentPath().Match(relativePath);
        if (!id.Success || !path.Success || id.Groups["n"].Value != path.Groups["n"].Value)
        {
            return null;
        }

        var file = new SplitFile(id.Groups["base"].Value + PrimarySuffix, "runtimes/" + path.Groups["rest"].Value);
        return new SplitFragment(file, int.Parse(id.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^(?<base>.+)-fragment(?<n>\d+)$", RegexOptions.IgnoreCase)]
    private static partial Regex FragmentId();

    [GeneratedRegex(@"^fragments/(?<rest>.+)\.fragment(?<n>\d+)$")]
    private static partial Regex FragmentPath();
}

/// <summary>Fragment <paramref name="Index"/> of <paramref name="File"/>.</summary>
public sealed record SplitFragment(SplitFile File, int Index)
{
    /// <summary>The "-primary" package id.</summary>
    public string PrimaryId => File.PrimaryId;

    /// <summary>The joined file's path in the primary package.</summary>
    public string PrimaryPath => File.PrimaryPath;
}
