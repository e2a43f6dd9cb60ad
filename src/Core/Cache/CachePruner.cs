using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.IO;

namespace TorchEnv.Core.Cache;

/// <summary>Choices for <see cref="CachePruner.Prune"/>.</summary>
public sealed record PruneOptions
{
    /// <summary>Show what would be removed, remove nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>
    /// Package folders modified more recently than this are left alone: a restore may be extracting them, a build
    /// restitching CUDA parts in them, or (with NuGet's <c>updatePackageLastAccessTime</c>) a build using them.
    /// </summary>
    public TimeSpan MinimumAge { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The present time (tests); null for the clock.</summary>
    public DateTime? NowUtc { get; init; }
}

/// <summary>What prune did (or would do) with one package version.</summary>
public enum PruneAction
{
    /// <summary>A known lock needs it: kept.</summary>
    Needed,

    /// <summary>No known lock needs it: removed (or, in a dry run, would be).</summary>
    Removed,

    /// <summary>Modified within <see cref="PruneOptions.MinimumAge"/>: left alone.</summary>
    RecentlyUsed,

    /// <summary>Could not be removed (in use, permissions): left in place, with a warning.</summary>
    Failed,
}

/// <summary>One package version and what prune did with it.</summary>
/// <param name="Package">The package.</param>
/// <param name="Action">What happened.</param>
/// <param name="Reason">Why, for people.</param>
public sealed record PruneEntry(CachedPackage Package, PruneAction Action, string Reason);

/// <summary>The outcome of a prune.</summary>
/// <param name="GlobalPackagesFolder">The folder pruned.</param>
/// <param name="DryRun">True when nothing was removed on purpose.</param>
/// <param name="Entries">Every stack package version with its action.</param>
/// <param name="KnownLocks">The known locks that protected packages.</param>
/// <param name="Warnings">Folders that could not be removed.</param>
public sealed record PruneResult(string GlobalPackagesFolder, bool DryRun, IReadOnlyList<PruneEntry> Entries, IReadOnlyList<string> KnownLocks, IReadOnlyList<Diagnostic> Warnings)
{
    /// <summary>Bytes removed, or in a dry run that would be.</summary>
    public long Bytes => Entries.Where(e => e.Action == PruneAction.Removed).Sum(e => e.Package.Bytes);
}

/// <summary>
/// <c>torchenv cache prune</c>: removes the stack package versions no known lock needs from the global packages folder.
/// It refuses to run when the registry or any known lock cannot be read (it could not tell what is needed), never
/// touches a version a known lock pins, skips folders modified in the last minutes, and removes a folder by first
/// renaming it aside inside the same folder (atomic: a restore sees the package either whole or absent, never half
/// deleted), then deleting the renamed copy.
/// </summary>
public static class CachePruner
{
    /// <summary>Where renamed folders wait to be deleted (inside the global packages folder, so the rename stays on one file system).</summary>
    public const string TrashFolderName = ".torchenv-trash";

    /// <summary>
    /// Prunes <paramref name="globalPackagesFolder"/> against <paramref name="registry"/>. Throws
    /// <see cref="TorchEnvException"/>: TENV0570 / TENV0571 when the registry or a known lock cannot be read,
    /// TENV0575 when another prune runs on the same folder.
    /// </summary>
    public static PruneResult Prune(string globalPackagesFolder, LockRegistry registry, PruneOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        options ??= new PruneOptions();
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(globalPackagesFolder));
        var problems = new List<Diagnostic>();
        var locks = registry.ReadKnownLocks(problems);
        if (problems.Count > 0)
        {
            throw new TorchEnvException(problems);
        }

        var warnings = new List<Diagnostic>();
        if (!Directory.Exists(root))
        {
            return new PruneResult(root, options.DryRun, [], locks.Select(l => l.Entry.Path).ToList(), [CacheMessages.FolderMissing(root)]);
        }

        using var guard = options.DryRun ? null : AcquirePruneLock(root);
        if (!options.DryRun)
        {
            EmptyTrash(root, warnings);
        }

        var listing = PackageCache.Scan(root, locks, warnings);
        var now = options.NowUtc ?? DateTime.UtcNow;
        var entries = new List<PruneEntry>();
        foreach (var package in listing.Packages)
        {
            if (package.IsNeeded)
            {
                entries.Add(new PruneEntry(package, PruneAction.Needed, "needed by " + string.Join(", ", package.UsedBy)));
                continue;
            }

            var age = now - package.LastWriteUtc;
            if (age < options.MinimumAge)
            {
                entries.Add(new PruneEntry(package, PruneAction.RecentlyUsed,
                    $"modified {Math.Max(0, age.TotalMinutes):0.#} min ago (a restore or build may be using it); left alone for {options.MinimumAge.TotalMinutes:0} min"));
                continue;
            }

            if (options.DryRun)
            {
                entries.Add(new PruneEntry(package, PruneAction.Removed, "no known lock needs it (dry run: not removed)"));
                continue;
            }

            var failure = Remove(root, package.Directory);
            if (failure is null)
            {
                entries.Add(new PruneEntry(package, PruneAction.Removed, "no known lock needs it"));
            }
            else
            {
                warnings.Add(CacheMessages.RemoveFailed(package.Directory, failure));
                entries.Add(new PruneEntry(package, PruneAction.Failed, failure));
            }
        }

        return new PruneResult(root, options.DryRun, entries, listing.KnownLocks, warnings);
    }

    private static ExclusiveFileLock AcquirePruneLock(string root)
    {
        try
        {
            return ExclusiveFileLock.Acquire(Path.Combine(root, ".torchenv-prune.lock"), TimeSpan.FromSeconds(2));
        }
        catch (TimeoutException e)
        {
            throw new TorchEnvException(CacheMessages.PruneBusy(root), e);
        }
    }

    /// <summary>Renames the folder into the trash, then deletes it; the error text, or null on success.</summary>
    private static string? Remove(string root, string directory)
    {
        var trash = Path.Combine(root, TrashFolderName);
        var aside = Path.Combine(trash, Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(trash);
            Directory.Move(directory, aside);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }

        var idFolder = Path.GetDirectoryName(directory)!;
        try
        {
            Directory.Delete(aside, recursive: true);
            if (!Directory.EnumerateFileSystemEntries(idFolder).Any())
            {
                Directory.Delete(idFolder);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The package is already out of NuGet's sight; what is left in the trash goes with the next prune.
        }

        return null;
    }

    private static void EmptyTrash(string root, List<Diagnostic> warnings)
    {
        var trash = Path.Combine(root, TrashFolderName);
        if (!Directory.Exists(trash))
        {
            return;
        }

        try
        {
            Directory.Delete(trash, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            warnings.Add(CacheMessages.RemoveFailed(trash, e.Message));
        }
    }
}
