using System.CommandLine;
using Spectre.Console;
using TorchEnv.Core.Cache;
using TorchEnv.Core.Resolution;
using TorchEnv.Tool.Cli;
using TorchEnv.Tool.Locking;

namespace TorchEnv.Tool.Commands;

/// <summary>
/// <c>torchenv cache list|prune</c>: the TorchSharp stack's packages in NuGet's global packages folder, the known locks
/// that use them, and removal of what no known lock needs (Core's <see cref="PackageCache"/> and <see cref="CachePruner"/>);
/// the same for the package fact cache (<see cref="FactCacheMaintenance"/>).
/// </summary>
internal static class CacheCommand
{
    private static readonly Option<bool> DryRun = new("--dry-run")
    {
        Description = "Show what would be removed and how many bytes; remove nothing.",
    };

    private static readonly Option<int> MinimumAge = new("--min-age")
    {
        Description = "Leave package folders modified in the last N minutes alone (a restore or build may be using them).",
        HelpName = "minutes",
        DefaultValueFactory = _ => 10,
    };

    /// <summary>Builds the command and its two subcommands.</summary>
    public static Command Create(ToolHost host)
    {
        var list = new Command("list", "List the TorchSharp / libtorch package versions in the NuGet global packages folder, their sizes and the known locks that use them.");
        list.SetToolAction(host, (context, _) => Task.FromResult(List(context)));
        var prune = new Command("prune", "Remove the TorchSharp / libtorch package versions no known lock needs.") { DryRun, MinimumAge };
        prune.SetToolAction(host, (context, _) => Task.FromResult(Prune(context)));
        return new Command("cache", "Inspect and clean the TorchSharp packages in the NuGet global packages folder.") { list, prune };
    }

    /// <summary>The global packages folder of the working folder.</summary>
    private static string Folder(CommandContext context) => context.GlobalPackagesFolder(context.Host.WorkingDirectory);

    private static CommandOutcome List(CommandContext context)
    {
        var registry = KnownLocks.Registry(context);
        var listing = PackageCache.List(Folder(context), registry);
        context.Report(listing.Warnings);
        var rows = listing.Packages.Select(p => new CachedPackageRow(p.Id, p.Version, p.Family, p.Bytes, p.Complete, p.UsedBy)).ToList();
        var facts = FactCacheMaintenance.Report(FactCachePath(context));
        var result = new CacheListResult(listing.GlobalPackagesFolder, registry.Path, listing.TotalBytes, listing.KnownLocks, rows, facts);
        return new CommandOutcome(ExitCodes.Success, result, console =>
        {
            // CUDA parts (24 packages for Linux) are summed into their head package's row.
            var table = new Table().Border(TableBorder.Simple).AddColumn("package").AddColumn("version").AddColumn(new TableColumn("size").RightAligned()).AddColumn("used by");
            foreach (var family in listing.Packages.GroupBy(p => (p.Family, p.Version)))
            {
                var parts = family.Count() > 1 ? $" (+{family.Count() - 1} parts)" : "";
                var usedBy = family.SelectMany(p => p.UsedBy).Distinct().ToList();
                table.AddRow(new Text(family.Key.Family + parts), new Text(family.Key.Version), new Text(Size(family.Sum(p => p.Bytes))),
                    new Text(usedBy.Count == 0 ? "no known lock" : string.Join("\n", usedBy)));
            }

            console.Write(table);
            console.WriteLine($"{Size(listing.TotalBytes)} in {listing.GlobalPackagesFolder}; {listing.KnownLocks.Count} known lock(s) ({registry.Path}).");
            console.WriteLine(Describe(facts));
        });
    }

    private static CommandOutcome Prune(CommandContext context)
    {
        var registry = KnownLocks.Registry(context);
        var dryRun = context.Get(DryRun);
        var pruned = CachePruner.Prune(Folder(context), registry, new PruneOptions { DryRun = dryRun, MinimumAge = TimeSpan.FromMinutes(Math.Max(0, context.Get(MinimumAge))) });
        context.Report(pruned.Warnings);
        var facts = FactCacheMaintenance.Prune(FactCachePath(context), registry, dryRun);
        var rows = pruned.Entries.Select(e => new PrunedPackageRow(e.Package.Id, e.Package.Version, e.Package.Bytes, e.Action, e.Reason)).ToList();
        var result = new CachePruneResult(pruned.GlobalPackagesFolder, registry.Path, dryRun, pruned.Bytes, pruned.KnownLocks, rows, facts);
        return new CommandOutcome(ExitCodes.Success, result, console =>
        {
            var table = new Table().Border(TableBorder.Simple).AddColumn("package").AddColumn("version").AddColumn(new TableColumn("size").RightAligned()).AddColumn("").AddColumn("why");
            foreach (var entry in pruned.Entries)
            {
                var action = entry.Action switch
                {
                    PruneAction.Removed => dryRun ? "would remove" : "removed",
                    PruneAction.Needed => "kept",
                    PruneAction.RecentlyUsed => "skipped",
                    _ => "failed",
                };
                table.AddRow(new Text(entry.Package.Id), new Text(entry.Package.Version), new Text(Size(entry.Package.Bytes)), new Text(action), new Text(entry.Reason));
            }

            console.Write(table);
            var count = pruned.Entries.Count(e => e.Action == PruneAction.Removed);
            console.WriteLine(dryRun
                ? $"Would remove {count} package version(s), {Size(pruned.Bytes)} (dry run: nothing removed)."
                : $"Removed {count} package version(s), {Size(pruned.Bytes)}.");
            console.WriteLine(dryRun
                ? $"Would forget the facts of {facts.Removed} package version(s) no known lock pins ({facts.Path})."
                : $"Forgot the facts of {facts.Removed} package version(s) no known lock pins; {Describe(facts)}");
        });
    }

    /// <summary>The package fact cache of this run (<c>TORCHENV_PACKAGE_FACTS</c>, or beside the lock registry).</summary>
    private static string FactCachePath(CommandContext context) => PackageFactCache.DefaultPath(context.Host.GetEnvironmentVariable);

    private static string Describe(FactCacheReport facts) => facts.Corrupt
        ? $"Package facts: {facts.Path} could not be read; the next lock rebuilds it."
        : $"Package facts: {facts.Packages} package version(s), {facts.SplitFiles} split file(s), {Size(facts.Bytes)} ({facts.Path}).";

    private static string Size(long bytes) => Core.IO.ByteSize.Format(bytes);

    /// <summary>The <c>--json</c> result of <c>cache list</c>.</summary>
    /// <param name="GlobalPackagesFolder">The folder listed.</param>
    /// <param name="Registry">The registry of known locks.</param>
    /// <param name="TotalBytes">Size of every listed package.</param>
    /// <param name="KnownLocks">The known locks read.</param>
    /// <param name="Packages">One row per package version.</param>
    /// <param name="Facts">The package fact cache: its file, entries and size.</param>
    internal sealed record CacheListResult(string GlobalPackagesFolder, string Registry, long TotalBytes, IReadOnlyList<string> KnownLocks, IReadOnlyList<CachedPackageRow> Packages, FactCacheReport Facts);

    /// <summary>A package version in the cache.</summary>
    /// <param name="Id">Package id.</param>
    /// <param name="Version">Version.</param>
    /// <param name="Family">Its head package (CUDA parts) or itself.</param>
    /// <param name="Bytes">Size on disk.</param>
    /// <param name="Complete">False while NuGet is still extracting it.</param>
    /// <param name="UsedBy">Known locks that need it.</param>
    internal sealed record CachedPackageRow(string Id, string Version, string Family, long Bytes, bool Complete, IReadOnlyList<string> UsedBy);

    /// <summary>The <c>--json</c> result of <c>cache prune</c>.</summary>
    /// <param name="GlobalPackagesFolder">The folder pruned.</param>
    /// <param name="Registry">The registry of known locks.</param>
    /// <param name="DryRun">True with <c>--dry-run</c>.</param>
    /// <param name="Bytes">Removed (or, dry run, removable) bytes.</param>
    /// <param name="KnownLocks">The known locks that protected packages.</param>
    /// <param name="Packages">One row per package version with what was done.</param>
    /// <param name="Facts">The package fact cache after the prune, with how many entries went (or would go).</param>
    internal sealed record CachePruneResult(string GlobalPackagesFolder, string Registry, bool DryRun, long Bytes, IReadOnlyList<string> KnownLocks, IReadOnlyList<PrunedPackageRow> Packages, FactCacheReport Facts);

    /// <summary>What prune did with a package version.</summary>
    /// <param name="Id">Package id.</param>
    /// <param name="Version">Version.</param>
    /// <param name="Bytes">Size on disk.</param>
    /// <param name="Action"><c>needed</c>, <c>removed</c>, <c>recentlyUsed</c> or <c>failed</c>.</param>
    /// <param name="Reason">Why.</param>
    internal sealed record PrunedPackageRow(string Id, string Version, long Bytes, PruneAction Action, string Reason);
}
