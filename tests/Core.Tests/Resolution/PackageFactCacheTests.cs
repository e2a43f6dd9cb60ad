using TorchEnv.Core.Lock;
using TorchEnv.Core.Resolution;
using TorchEnv.Core.Stack;
using TorchEnv.Core.Tests.Lock;
using TorchEnv.TestSupport;

namespace TorchEnv.Core.Tests.Resolution;

/// <summary>
/// The package fact cache: a relock, or a lock with one more platform, reads only what it has not read; an entry is
/// checked before use (the installed package, the feed's fingerprint of the .nupkg); a damaged file is rebuilt. In
/// every case the lock is the one a lock without any cache makes.
/// </summary>
public sealed class PackageFactCacheTests : IDisposable
{
    private readonly TempDirectory _root = new("torchenv-facts");
    private readonly DotnetInstallation _dotnet;
    private readonly string _feed;
    private readonly string _specPath;

    public PackageFactCacheTests()
    {
        _feed = _root.Combine("feed");
        LockFeedFixture.BuildFeed(new LocalFeed(_feed));
        _dotnet = LockFeedFixture.BuildDotnet(_root.Combine("dotnet"));
        _specPath = _root.WriteFile("project/environment.yml", "# hand-built plans\n");
        CachePath = _root.Combine("user", PackageFactCache.FileName);
    }

    private string CachePath { get; }

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task A_relock_reads_no_package_and_makes_the_same_lock()
    {
        var first = await LockAsync(out var firstStats);
        var second = await LockAsync(out var secondStats);

        Assert.True(firstStats.Read > 0);
        Assert.Equal(0, secondStats.Read);
        Assert.Equal(0, secondStats.DownloadedToTemporary);
        Assert.Equal(firstStats.Read, secondStats.FromCache);
        Assert.Equal(LockFileWriter.Serialize(first), LockFileWriter.Serialize(second));
        Assert.Equal(LockFileWriter.Serialize(await UncachedAsync()), LockFileWriter.Serialize(second));
    }

    [Fact]
    public async Task Adding_a_platform_reads_only_that_platforms_packages()
    {
        await LockAsync(out _, platforms: ["win-x64"]);

        var both = await LockAsync(out var statistics, platforms: ["win-x64", "osx-arm64"]);

        Assert.Equal(1, statistics.Read); // libtorch-cpu-osx-arm64: everything else is shared with win-x64
        Assert.Equal(1, statistics.DownloadedToTemporary);
        Assert.Equal(LockFileWriter.Serialize(await UncachedAsync(platforms: ["win-x64", "osx-arm64"])), LockFileWriter.Serialize(both));
    }

    [Fact]
    public async Task A_stale_entry_same_id_and_version_other_content_on_the_feed_is_read_again()
    {
        var before = await LockAsync(out _);

        // Extra.Lib 1.0.0 republished with other content (same id, same version).
        new LocalFeed(_feed).Add("Extra.Lib", "1.0.0", p => p.DependsOn("Google.Protobuf", "3.25.1").File("lib/net8.0/Extra.Lib.dll", "other bytes"));
        var after = await LockAsync(out var statistics);

        Assert.Equal(1, statistics.Read);
        var expected = await UncachedAsync();
        Assert.Equal(LockFileWriter.Serialize(expected), LockFileWriter.Serialize(after));
        Assert.NotEqual(before.Find("cpu", "win-x64")!.Find("Extra.Lib")!.Sha512, after.Find("cpu", "win-x64")!.Find("Extra.Lib")!.Sha512);
    }

    [Fact]
    public async Task An_entry_whose_package_is_installed_is_compared_with_it_and_replaced_when_it_differs()
    {
        var packages = _root.Combine("installed");
        var first = await LockAsync(out _, install: LockInstallScope.All, packages: packages);

        // The cache says TorchSharp has another content hash and no files: the installed package wins.
        var cache = PackageFactCache.Load(CachePath);
        var entry = cache.Find("TorchSharp", "0.107.0", _feed)!;
        cache.Put(entry with { Facts = entry.Facts with { ContentHash = "AAAA", Files = [] } });
        Assert.Null(cache.Save());

        var second = await LockAsync(out var statistics, install: LockInstallScope.All, packages: packages);

        Assert.Equal(1, statistics.Read);
        Assert.Equal(LockFileWriter.Serialize(first), LockFileWriter.Serialize(second));
        Assert.Equal(entry.Facts.ContentHash, PackageFactCache.Load(CachePath).Find("TorchSharp", "0.107.0", _feed)!.Facts.ContentHash);
    }

    [Theory]
    [InlineData("not json at all {")]
    [InlineData("")]
    [InlineData("{\"version\":1,\"packages\":[{\"id\":\"TorchSharp\"}]}")]
    public async Task A_corrupt_cache_file_is_rebuilt_and_the_lock_is_right(string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(CachePath)!);
        File.WriteAllText(CachePath, content);

        var locked = await LockAsync(out var statistics);

        Assert.Equal(0, statistics.FromCache);
        Assert.Equal(LockFileWriter.Serialize(await UncachedAsync()), LockFileWriter.Serialize(locked));
        var rebuilt = PackageFactCache.Load(CachePath);
        Assert.False(rebuilt.WasCorrupt);
        Assert.Contains(rebuilt.Packages, p => p.Id == "TorchSharp");
    }

    [Fact]
    public async Task An_entry_edited_inside_valid_json_is_seen_by_the_checksum_and_never_used()
    {
        await LockAsync(out _);
        var text = File.ReadAllText(CachePath);
        var at = text.IndexOf("\"contentHash\":\"", StringComparison.Ordinal) + "\"contentHash\":\"".Length;
        File.WriteAllText(CachePath, text[..at] + (text[at] == 'A' ? 'B' : 'A') + text[(at + 1)..]);

        var locked = await LockAsync(out var statistics);

        Assert.Equal(0, statistics.FromCache);
        Assert.Equal(LockFileWriter.Serialize(await UncachedAsync()), LockFileWriter.Serialize(locked));
    }

    private IReadOnlyList<StackPlan> Plans(string[] platforms) =>
        LockFeedFixture.PlansFor().Where(p => platforms.Contains(p.Platform)).ToList();

    private Task<EnvironmentLock> LockAsync(
        out LockStatistics statistics, string[]? platforms = null, LockInstallScope? install = null, string? packages = null)
    {
        statistics = new LockStatistics();
        return EnvironmentLocker.LockAsync(LockFeedFixture.SpecFor(_specPath, "../feed"), Plans(platforms ?? ["win-x64", "osx-arm64"]), null, new LockOptions
        {
            GlobalPackagesFolder = packages ?? _root.Combine("packages-" + Guid.NewGuid().ToString("N")[..8]),
            Dotnet = _dotnet,
            ToolVersion = "0.1.0-test",
            FactCachePath = CachePath,
            Statistics = statistics,
            Install = install ?? LockInstallScope.Host,
        });
    }

    /// <summary>The lock the old way: no cache, everything installed into a fresh folder.</summary>
    private Task<EnvironmentLock> UncachedAsync(string[]? platforms = null) =>
        EnvironmentLocker.LockAsync(LockFeedFixture.SpecFor(_specPath, "../feed"), Plans(platforms ?? ["win-x64", "osx-arm64"]), null, new LockOptions
        {
            GlobalPackagesFolder = _root.Combine("old-" + Guid.NewGuid().ToString("N")[..8]),
            Dotnet = _dotnet,
            ToolVersion = "0.1.0-test",
            Install = LockInstallScope.All,
        });
}
