using NuGet.Common;
using NuGet.Packaging.Core;
using NuGet.Versioning;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Packages;
using TorchEnv.Core.Resolution;
using TorchEnv.Core.Tests.Lock;
using TorchEnv.TestSupport;

namespace TorchEnv.Core.Tests.Cache;

/// <summary>
/// A global packages folder as NuGet lays it out, built once: the fixture spec (TorchSharp 0.107.0, TorchVision,
/// libtorch-cpu for win-x64 and osx-arm64) locked into it, plus TorchSharp 0.106.0 that no lock needs. Tests work on
/// copies (<see cref="CopyPackages"/>), since prune changes the folder.
/// </summary>
public sealed class CacheFixture : IAsyncLifetime
{
    private readonly TempDirectory _root = new("torchenv-cache");

    public string PackagesFolder => _root.Combine("packages");

    public string LockPath => _root.Combine("project", LockFileWriter.DefaultFileName);

    public EnvironmentLock Lock { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        LockFeedFixture.BuildFeed(new LocalFeed(_root.Combine("feed")));
        var specPath = _root.WriteFile("project/environment.yml", "# hand-built plans\n");
        var options = new LockOptions { GlobalPackagesFolder = PackagesFolder, Dotnet = LockFeedFixture.BuildDotnet(_root.Combine("dotnet")), ToolVersion = "0.1.0-test", Install = LockInstallScope.All };
        var spec = LockFeedFixture.SpecFor(specPath, "../feed");
        Lock = await EnvironmentLocker.LockAsync(spec, LockFeedFixture.PlansFor(), null, options);
        LockFileWriter.Write(LockPath, Lock);

        var sources = PackageSourceSet.Load(spec, PackagesFolder);
        using var feed = new PackageFeed(sources, NullLogger.Instance);
        await new PackageInstaller(feed, 1, null).EnsureInstalledAsync(new PackageIdentity("TorchSharp", NuGetVersion.Parse("0.106.0")), sources.Sources[0], default);
    }

    public Task DisposeAsync()
    {
        _root.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>A fresh copy of the packages folder, and a registry that knows the fixture's lock.</summary>
    public (string Packages, Core.Cache.LockRegistry Registry) CopyPackages(TempDirectory into)
    {
        var copy = Ops.TestFolders.CopyTree(PackagesFolder, into.Combine("packages"));
        var registry = new Core.Cache.LockRegistry(into.Combine("registry", "locks.json"));
        registry.Record(LockPath);
        return (copy, registry);
    }
}
