using NuGet.Versioning;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Resolution;

namespace TorchEnv.Core.Cache;

/// <summary>The package fact cache as <c>torchenv cache</c> shows it.</summary>
/// <param name="Path">The cache file.</param>
/// <param name="Packages">Package entries (id + version + source).</param>
/// <param name="SplitFiles">Split CUDA files whose needs are kept.</param>
/// <param name="Bytes">Size of the file (0 when absent).</param>
/// <param name="Corrupt">True when the file could not be read (the next lock rebuilds it).</param>
/// <param name="Removed">Entries prune removed, or in a dry run would remove.</param>
public sealed record FactCacheReport(string Path, int Packages, int SplitFiles, long Bytes, bool Corrupt, int Removed);

/// <summary>
/// <c>torchenv cache list|prune</c> for the package fact cache (<see cref="PackageFactCache"/>): its size, and removal
/// of the facts of package versions no known lock pins, the same rule prune applies to the packages themselves.
/// </summary>
public static class FactCacheMaintenance
{
    /// <summary>What the cache at <paramref name="path"/> holds.</summary>
    public static FactCacheReport Report(string path)
    {
        var cache = PackageFactCache.Load(path);
        return ReportOf(cache, 0);
    }

    /// <summary>
    /// Forgets the facts of every package version no lock of <paramref name="registry"/> pins (any variant, platform or
    /// source). Throws <see cref="TorchEnvException"/> TENV0570 / TENV0571 when the registry or a known lock cannot be read.
    /// </summary>
    public static FactCacheReport Prune(string path, LockRegistry registry, bool dryRun)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var problems = new List<Diagnostic>();
        var locks = registry.ReadKnownLocks(problems);
        if (problems.Count > 0)
        {
            throw new TorchEnvException(problems);
        }

        var pinned = locks.SelectMany(l => l.Lock.Environments).SelectMany(e => e.Packages)
            .Select(p => Key(p.Id, p.Version))
            .ToHashSet(StringComparer.Ordinal);
        var cache = PackageFactCache.Load(path);
        var removed = cache.Prune((id, version) => pinned.Contains(Key(id, version)));
        if (!dryRun && cache.Save() is { } problem)
        {
            throw new IOException(problem);
        }

        return ReportOf(dryRun ? PackageFactCache.Load(path) : cache, removed.Count);
    }

    private static FactCacheReport ReportOf(PackageFactCache cache, int removed) => new(
        cache.Path, cache.Packages.Count, cache.SplitFileCount, File.Exists(cache.Path) ? new FileInfo(cache.Path).Length : 0, cache.WasCorrupt, removed);

    private static string Key(string id, string version) =>
        id.ToLowerInvariant() + "/" + (NuGetVersion.TryParse(version, out var parsed) ? parsed.ToNormalizedString().ToLowerInvariant() : version.ToLowerInvariant());
}
