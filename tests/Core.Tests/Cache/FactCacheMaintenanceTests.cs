using TorchEnv.Core.Cache;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Resolution;
using TorchEnv.Core.Tests.Lock;
using TorchEnv.TestSupport;

namespace TorchEnv.Core.Tests.Cache;

public sealed class FactCacheMaintenanceTests : IDisposable
{
    private readonly TempDirectory _root = new("torchenv-facts-prune");

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task Prune_forgets_only_the_facts_of_versions_no_known_lock_pins_and_a_dry_run_forgets_nothing()
    {
        LockFeedFixture.BuildFeed(new LocalFeed(_root.Combine("feed")));
        var specPath = _root.WriteFile("project/environment.yml", "# hand-built plans\n");
        var cachePath = _root.Combine("user", PackageFactCache.FileName);
        var locked = await EnvironmentLocker.LockAsync(LockFeedFixture.SpecFor(specPath, "../feed"), LockFeedFixture.PlansFor(), null, new LockOptions
        {
            GlobalPackagesFolder = _root.Combine("packages"), Dotnet = LockFeedFixture.BuildDotnet(_root.Combine("dotnet")),
            ToolVersion = "0.1.0-test", FactCachePath = cachePath,
        });
        var lockPath = _root.Combine("project", LockFileWriter.DefaultFileName);
        LockFileWriter.Write(lockPath, locked);
        var registry = new LockRegistry(_root.Combine("user", "locks.json"));
        registry.Record(lockPath);

        // Facts of a TorchSharp version no lock pins (an older lock, since changed).
        var cache = PackageFactCache.Load(cachePath);
        var current = cache.Packages.First(p => p.Id == "TorchSharp");
        cache.Put(current with { Version = "0.106.0" });
        Assert.Null(cache.Save());
        var before = FactCacheMaintenance.Report(cachePath);

        var dryRun = FactCacheMaintenance.Prune(cachePath, registry, dryRun: true);
        Assert.Equal((1, before.Packages), (dryRun.Removed, FactCacheMaintenance.Report(cachePath).Packages));

        var pruned = FactCacheMaintenance.Prune(cachePath, registry, dryRun: false);

        Assert.Equal(1, pruned.Removed);
        var after = PackageFactCache.Load(cachePath);
        Assert.Null(after.Find("TorchSharp", "0.106.0", current.Source));
        Assert.NotNull(after.Find("TorchSharp", "0.107.0", current.Source));
        Assert.Equal(before.Packages - 1, after.Packages.Count);
        Assert.False(after.WasCorrupt);
    }
}
