using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using NuGet.Versioning;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Lock;

namespace TorchEnv.Core.Cache;

/// <summary>One version of a TorchSharp-stack package in the global packages folder.</summary>
/// <param name="Id">Package id with its nuspec's casing (the folder name when the nuspec is missing).</param>
/// <param name="Version">Normalised version.</param>
/// <param name="Family">What it belongs to: the id itself, or the head package for a CUDA part (<c>libtorch-cuda-12.8-linux-x64</c>).</param>
/// <param name="Directory">Its folder.</param>
/// <param name="Bytes">Size of every file in the folder.</param>
/// <param name="LastWriteUtc">The newest modification time of the folder or any file in it.</param>
/// <param name="Complete">True when NuGet finished extracting it (<c>.nupkg.metadata</c> present).</param>
/// <param name="UsedBy">The known locks (paths) that need this id and version, ordered.</param>
public sealed record CachedPackage(
    string Id, string Version, string Family, string Directory, long Bytes, DateTime LastWriteUtc, bool Complete, IReadOnlyList<string> UsedBy)
{
    /// <summary>True when at least one known lock needs it.</summary>
    public bool IsNeeded => UsedBy.Count > 0;
}

/// <summary>The stack packages in a global packages folder, and the known locks they were matched against.</summary>
/// <param name="GlobalPackagesFolder">The folder.</param>
/// <param name="Packages">Every stack package version, ordered by id then version.</param>
/// <param name="KnownLocks">The known locks that could be read.</param>
/// <param name="Warnings">Problems met (unreadable registry or lock, missing folder).</param>
public sealed record CacheListing(string GlobalPackagesFolder, IReadOnlyList<CachedPackage> Packages, IReadOnlyList<string> KnownLocks, IReadOnlyList<Diagnostic> Warnings)
{
    /// <summary>Total size of the listed packages.</summary>
    public long TotalBytes => Packages.Sum(p => p.Bytes);
}

/// <summary>
/// <c>torchenv cache list</c>: the TorchSharp, TorchVision and libtorch (including CUDA part) packages in NuGet's global
/// packages folder, with sizes and the known locks (<see cref="LockRegistry"/>) that use each version.
/// </summary>
public static partial class PackageCache
{
    [GeneratedRegex(@"^(?<head>libtorch-cuda-\d+\.\d+-[a-z]+-[a-z0-9]+)-part\d+(?:-primary|-fragment\d+)?$", RegexOptions.IgnoreCase)]
    private static partial Regex CudaPart();

    /// <summary>True for ids of the TorchSharp stack TorchEnv manages in the cache (TorchSharp*, TorchVision, TorchAudio, libtorch*).</summary>
    public static bool IsStackPackage(string id) =>
        id.Equals("torchsharp", StringComparison.OrdinalIgnoreCase)
        || id.StartsWith("torchsharp-", StringComparison.OrdinalIgnoreCase)
        || id.Equals("torchvision", StringComparison.OrdinalIgnoreCase)
        || id.Equals("torchaudio", StringComparison.OrdinalIgnoreCase)
        || id.Equals("libtorch", StringComparison.OrdinalIgnoreCase)
        || id.StartsWith("libtorch-", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Lists the stack packages of <paramref name="globalPackagesFolder"/> and which locks of <paramref name="registry"/>
    /// use them. Unreadable registries and locks are warnings here (the listing still shows the packages).
    /// </summary>
    public static CacheListing List(string globalPackagesFolder, LockRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var warnings = new List<Diagnostic>();
        IReadOnlyList<(RegisteredLock Entry, EnvironmentLock Lock)> locks;
        try
        {
            locks = registry.ReadKnownLocks(warnings, DiagnosticSeverity.Warning);
        }
        catch (TorchEnvException e)
        {
            warnings.AddRange(e.Diagnostics);
            locks = [];
        }

        return Scan(globalPackagesFolder, locks, warnings);
    }

    /// <summary>The listing against already-read locks (used by the pruner, which insists on reading every lock).</summary>
    internal static CacheListing Scan(string globalPackagesFolder, IReadOnlyList<(RegisteredLock Entry, EnvironmentLock Lock)> locks, List<Diagnostic> warnings)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(globalPackagesFolder));
        var users = new Dictionary<(string Id, NuGetVersion Version), SortedSet<string>>();
        foreach (var (entry, lockFile) in locks)
        {
            foreach (var package in lockFile.Environments.SelectMany(e => e.Packages))
            {
                if (NuGetVersion.TryParse(package.Version, out var version))
                {
                    var key = (package.Id.ToLowerInvariant(), version);
                    if (!users.TryGetValue(key, out var set))
                    {
                        users[key] = set = new SortedSet<string>(StringComparer.Ordinal);
                    }

                    set.Add(entry.Path);
                }
            }
        }

        var packages = new List<CachedPackage>();
        if (!Directory.Exists(root))
        {
            warnings.Add(CacheMessages.FolderMissing(root));
        }
        else
        {
            foreach (var idFolder in Directory.EnumerateDirectories(root).Where(d => IsStackPackage(Path.GetFileName(d))))
            {
                foreach (var versionFolder in Directory.EnumerateDirectories(idFolder))
                {
                    if (!NuGetVersion.TryParse(Path.GetFileName(versionFolder), out var version))
                    {
                        continue;
                    }

                    var folderId = Path.GetFileName(idFolder);
                    var id = NuspecId(versionFolder, folderId) ?? folderId;
                    var (bytes, newest) = Measure(versionFolder);
                    var family = CudaPart().Match(id) is { Success: true } part ? part.Groups["head"].Value : id;
                    var usedBy = users.TryGetValue((folderId.ToLowerInvariant(), version), out var set) ? set.ToList() : [];
                    packages.Add(new CachedPackage(
                        id, version.ToNormalizedString(), family, versionFolder, bytes, newest,
                        File.Exists(Path.Combine(versionFolder, ".nupkg.metadata")), usedBy));
                }
            }
        }

        return new CacheListing(
            root,
            packages.OrderBy(p => p.Id, StringComparer.OrdinalIgnoreCase).ThenBy(p => NuGetVersion.Parse(p.Version)).ToList(),
            locks.Select(l => l.Entry.Path).ToList(),
            warnings);
    }

    /// <summary>Total size and newest modification time (UTC) of a folder and everything in it.</summary>
    internal static (long Bytes, DateTime NewestUtc) Measure(string folder)
    {
        long bytes = 0;
        var newest = Directory.GetLastWriteTimeUtc(folder);
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            if (entry is FileInfo file)
            {
                bytes += file.Length;
            }

            if (entry.LastWriteTimeUtc > newest)
            {
                newest = entry.LastWriteTimeUtc;
            }
        }

        return (bytes, newest);
    }

    private static string? NuspecId(string versionFolder, string folderId)
    {
        var nuspec = Path.Combine(versionFolder, folderId + ".nuspec");
        if (!File.Exists(nuspec))
        {
            return null;
        }

        try
        {
            return XDocument.Load(nuspec).Descendants().FirstOrDefault(e => e.Name.LocalName == "id")?.Value.Trim() is { Length: > 0 } id ? id : null;
        }
        catch (XmlException)
        {
            return null;
        }
    }
}
