using TorchEnv.Core.Cache;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Lock;
using TorchEnv.TestSupport;

namespace TorchEnv.Core.Tests.Cache;

public sealed class CacheTests(CacheFixture fixture) : IClassFixture<CacheFixture>, IDisposable
{
    private static readonly PruneOptions Later = new() { NowUtc = DateTime.UtcNow.AddHours(1) };
    private readonly TempDirectory _temp = new("torchenv-cache-test");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void List_shows_each_stack_package_version_with_its_size_and_the_locks_that_use_it()
    {
        var (packages, registry) = fixture.CopyPackages(_temp);

        var listing = PackageCache.List(packages, registry);

        Assert.Equal(["libtorch-cpu-osx-arm64 2.10.0", "libtorch-cpu-win-x64 2.10.0", "TorchSharp 0.106.0", "TorchSharp 0.107.0", "TorchVision 0.107.0"],
            listing.Packages.Select(p => $"{p.Id} {p.Version}"));
        var old = listing.Packages.Single(p => p.Version == "0.106.0");
        Assert.Empty(old.UsedBy);
        Assert.Equal([fixture.LockPath], listing.Packages.Single(p => p.Id == "TorchSharp" && p.Version == "0.107.0").UsedBy);
        var folder = Path.Combine(packages, "torchsharp", "0.106.0");
        Assert.Equal(Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length), old.Bytes);
        Assert.True(old.Complete);
        Assert.DoesNotContain(listing.Packages, p => p.Id.StartsWith("Google", StringComparison.Ordinal));
        Assert.Equal([fixture.LockPath], listing.KnownLocks);
        Assert.Empty(listing.Warnings);
    }

    [Fact]
    public void A_dry_run_reports_what_and_how_many_bytes_and_removes_nothing()
    {
        var (packages, registry) = fixture.CopyPackages(_temp);
        var before = Directory.GetFileSystemEntries(packages, "*", SearchOption.AllDirectories).Length;

        var result = CachePruner.Prune(packages, registry, Later with { DryRun = true });

        var removed = Assert.Single(result.Entries, e => e.Action == PruneAction.Removed);
        Assert.Equal(("TorchSharp", "0.106.0"), (removed.Package.Id, removed.Package.Version));
        Assert.Equal(removed.Package.Bytes, result.Bytes);
        Assert.True(result.Bytes > 0);
        Assert.Equal(before, Directory.GetFileSystemEntries(packages, "*", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public void Prune_removes_what_no_known_lock_needs_and_every_locked_package_survives_intact()
    {
        var (packages, registry) = fixture.CopyPackages(_temp);

        var result = CachePruner.Prune(packages, registry, Later);

        Assert.False(Directory.Exists(Path.Combine(packages, "torchsharp", "0.106.0")));
        Assert.True(Directory.Exists(Path.Combine(packages, "torchsharp", "0.107.0")));
        Assert.True(Directory.Exists(Path.Combine(packages, "google.protobuf")), "packages outside the stack are never touched");
        Assert.False(Directory.Exists(Path.Combine(packages, CachePruner.TrashFolderName)) && Directory.EnumerateFileSystemEntries(Path.Combine(packages, CachePruner.TrashFolderName)).Any());
        Assert.All(result.Entries.Where(e => e.Action != PruneAction.Removed), e => Assert.Equal(PruneAction.Needed, e.Action));
        foreach (var environment in fixture.Lock.Environments)
        {
            Assert.Empty(LockVerifier.Verify(environment, packages, new VerifyOptions { Deep = true }));
        }
    }

    [Fact]
    public void A_package_modified_in_the_last_minutes_is_left_alone()
    {
        var (packages, registry) = fixture.CopyPackages(_temp);
        File.SetLastWriteTimeUtc(Path.Combine(packages, "torchsharp", "0.106.0", ".nupkg.metadata"), DateTime.UtcNow);

        var result = CachePruner.Prune(packages, registry, new PruneOptions { NowUtc = DateTime.UtcNow.AddMinutes(2) });

        Assert.Equal(PruneAction.RecentlyUsed, result.Entries.Single(e => e.Package.Version == "0.106.0").Action);
        Assert.True(Directory.Exists(Path.Combine(packages, "torchsharp", "0.106.0")));
        Assert.Equal(0, result.Bytes);
    }

    [Fact]
    public void Without_a_known_lock_the_locked_versions_go_too_and_a_lock_recorded_later_protects_them_again()
    {
        var (packages, registry) = fixture.CopyPackages(_temp);
        registry.Forget(fixture.LockPath);

        var unprotected = CachePruner.Prune(packages, registry, Later with { DryRun = true });
        registry.Record(fixture.LockPath);
        var protectedAgain = CachePruner.Prune(packages, registry, Later with { DryRun = true });

        Assert.Equal(5, unprotected.Entries.Count(e => e.Action == PruneAction.Removed));
        Assert.Single(protectedAgain.Entries, e => e.Action == PruneAction.Removed);
    }

    [Fact]
    public void An_unreadable_known_lock_stops_prune_before_anything_is_removed()
    {
        var (packages, registry) = fixture.CopyPackages(_temp);
        var broken = _temp.WriteFile("other/environment.lock.yml", "version: 1\nname: [unclosed\n");
        registry.Record(broken);

        var error = Assert.Throws<TorchEnvException>(() => CachePruner.Prune(packages, registry, Later));
        var listing = PackageCache.List(packages, registry);

        Assert.Equal(CacheMessages.KnownLockUnreadableDescriptor.Code, error.Diagnostic.Code);
        Assert.True(Directory.Exists(Path.Combine(packages, "torchsharp", "0.106.0")));
        Assert.Equal(DiagnosticSeverity.Warning, Assert.Single(listing.Warnings).Severity);
    }

    [Fact]
    public void A_corrupt_registry_stops_prune_and_the_next_record_starts_afresh()
    {
        var (packages, registry) = fixture.CopyPackages(_temp);
        File.WriteAllText(registry.Path, "{ not json");

        var error = Assert.Throws<TorchEnvException>(() => CachePruner.Prune(packages, registry, Later));
        registry.Record(fixture.LockPath);

        Assert.Equal(CacheMessages.RegistryUnreadableDescriptor.Code, error.Diagnostic.Code);
        Assert.Equal([fixture.LockPath], registry.List().Select(l => l.Path));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(registry.Path)!, "locks.json.corrupt-*"));
    }
}
