using TorchEnv.Core.Lock;
using TorchEnv.Core.Resolution;
using TorchEnv.Core.Stack;
using TorchEnv.Core.Tests.Lock;
using TorchEnv.TestSupport;

namespace TorchEnv.Core.Tests.Resolution;

/// <summary>
/// Locking platforms this machine does not restore: their packages are read from temporary downloads and never
/// extracted, and the lock is the one the old way (download and extract everything) makes, byte for byte.
/// </summary>
public sealed class NonHostPackagesTests(NonHostFeedFixture fixture) : IClassFixture<NonHostFeedFixture>
{
    private static readonly StackPlan[] Plans = [CudaFeedFixture.Plan("linux-x64"), CudaFeedFixture.Plan("win-x64")];

    [Fact]
    public async Task A_linux_and_windows_cuda_lock_extracts_only_the_hosts_packages_and_equals_the_old_way()
    {
        var packages = fixture.Scratch("packages");
        var temporary = fixture.Scratch("tmp");
        var statistics = new LockStatistics();

        var locked = await EnvironmentLocker.LockAsync(fixture.Spec, Plans, null, fixture.Options(packages) with
        {
            Install = LockInstallScope.Only("cuda", "linux-x64"), TemporaryFolder = temporary, Statistics = statistics,
        });

        var linux = locked.Find("cuda", "linux-x64")!;
        var windows = locked.Find("cuda", "win-x64")!;
        Assert.All(linux.Packages, p => Assert.True(IsExtracted(packages, p), $"{p.Id} of the host should be installed"));
        var windowsOnly = windows.Packages.Where(p => linux.Find(p.Id) is null).ToList();
        Assert.Contains(windowsOnly, p => p.Id == "libtorch-cuda-12.8-win-x64-part9-primary");
        Assert.All(windowsOnly, p => Assert.False(Directory.Exists(Path.Combine(packages, p.Id.ToLowerInvariant())), $"{p.Id} was extracted"));
        Assert.Equal(windowsOnly.Count, statistics.DownloadedToTemporary);
        Assert.Empty(Directory.EnumerateFileSystemEntries(temporary));

        var old = await EnvironmentLocker.LockAsync(fixture.Spec, Plans, null, fixture.Options(fixture.Scratch("old")) with { Install = LockInstallScope.All });
        Assert.Equal(LockFileWriter.Serialize(old), LockFileWriter.Serialize(locked));
    }

    [Fact]
    public async Task Split_files_of_a_platform_not_restored_are_read_as_one_stream_and_never_joined_on_disk()
    {
        var packages = fixture.Scratch("packages");
        var temporary = fixture.Scratch("tmp");
        Directory.CreateDirectory(temporary);
        var created = new System.Collections.Concurrent.ConcurrentBag<(string Name, long Length)>();
        using var watcher = new FileSystemWatcher(temporary) { IncludeSubdirectories = true, NotifyFilter = NotifyFilters.FileName | NotifyFilters.Size };
        void Seen(string path)
        {
            try
            {
                created.Add((Path.GetFileName(path), File.Exists(path) ? new FileInfo(path).Length : 0));
            }
            catch (IOException)
            {
                created.Add((Path.GetFileName(path), 0));
            }
        }

        watcher.Created += (_, e) => Seen(e.FullPath);
        watcher.Changed += (_, e) => Seen(e.FullPath);
        watcher.EnableRaisingEvents = true;

        // Nothing is this machine's: every package, the Linux ones with their split ELF files included, is read from a download.
        var locked = await EnvironmentLocker.LockAsync(fixture.Spec, Plans, null, fixture.Options(packages) with
        {
            Install = LockInstallScope.Only("cuda", "osx-arm64"), TemporaryFolder = temporary,
        });

        var linux = locked.Find("cuda", "linux-x64")!;
        Assert.Contains(linux.Host.Needs, n => n is { Version: "GLIBC_2.35", Package: "libtorch-cuda-12.8-linux-x64-part3-primary", File: "runtimes/linux-x64/native/libtorch_cuda.so" });
        Assert.Equal("2.35", linux.Host.Glibc);
        Assert.False(Directory.Exists(packages) && Directory.EnumerateFileSystemEntries(packages).Any(), "nothing may be extracted");
        Assert.Empty(Directory.EnumerateFileSystemEntries(temporary));
        Assert.DoesNotContain(created, c => !c.Name.EndsWith(".nupkg", StringComparison.Ordinal) && c.Length >= NonHostFeedFixture.SplitFileBytes);
        Assert.DoesNotContain(created, c => c.Name.Contains(".so", StringComparison.Ordinal));

        var old = await EnvironmentLocker.LockAsync(fixture.Spec, Plans, null, fixture.Options(fixture.Scratch("old")) with { Install = LockInstallScope.All });
        Assert.Equal(LockFileWriter.Serialize(old), LockFileWriter.Serialize(locked));
    }

    [Fact]
    public async Task A_fragment_that_does_not_join_into_the_sha_is_TENV0212_without_extracting_anything()
    {
        var packages = fixture.Scratch("packages");
        var spec = fixture.SpecWith("../feed-bad");

        var error = await Assert.ThrowsAsync<TorchEnv.Core.Diagnostics.TorchEnvException>(() => EnvironmentLocker.LockAsync(
            spec, [CudaFeedFixture.Plan("linux-x64")], null, fixture.Options(packages) with { Install = LockInstallScope.Only("cuda", "osx-arm64") }));

        Assert.Contains(error.Diagnostics, d => d.Code == "TENV0212" && d.Message.Contains("libtorch_cuda.so", StringComparison.Ordinal));
        Assert.False(Directory.Exists(packages) && Directory.EnumerateFileSystemEntries(packages).Any());
    }

    private static bool IsExtracted(string packages, LockedPackage package) =>
        File.Exists(Path.Combine(packages, package.Id.ToLowerInvariant(), package.Version.ToLowerInvariant(), ".nupkg.metadata"));
}

/// <summary>
/// The CUDA fixture packages (with offline TorchSharp stand-ins) whose split <c>libtorch_cuda.so</c> (a primary and six
/// fragments) is large enough to span several read blocks and needs GLIBC_2.35, a version no other file needs; and a
/// second feed where one fragment of it is corrupt.
/// </summary>
public sealed class NonHostFeedFixture : IDisposable
{
    /// <summary>Size of the split file: a joined copy of it on disk would be at least this large.</summary>
    public const int SplitFileBytes = 300 * 1024;

    private readonly TempDirectory _root = new("torchenv-nonhost");

    public NonHostFeedFixture()
    {
        Build(new LocalFeed(_root.Combine("feed")), corrupt: false);
        Build(new LocalFeed(_root.Combine("feed-bad")), corrupt: true);
        Dotnet = LockFeedFixture.BuildDotnet(_root.Combine("dotnet"));
        SpecPath = _root.WriteFile("project/environment.yml", "# hand-built plans\n");
    }

    public DotnetInstallation Dotnet { get; }

    public string SpecPath { get; }

    public TorchEnv.Core.Spec.EnvironmentSpec Spec => SpecWith("../feed");

    public TorchEnv.Core.Spec.EnvironmentSpec SpecWith(string feed) => TestPlans.Spec(
        SpecPath, "demo_torchsharp_cuda", [feed],
        TestPlans.Variant(SpecPath, "cuda", ["linux-x64", "win-x64"],
            TestPlans.Dependency(SpecPath, TorchEnv.Core.Spec.DependencyKind.TorchSharp, "torchsharp", "[0.107.0]", 6),
            TestPlans.Dependency(SpecPath, TorchEnv.Core.Spec.DependencyKind.Cuda, "cuda", null, 7) with { Text = "cuda=12.8" },
            TestPlans.Dependency(SpecPath, TorchEnv.Core.Spec.DependencyKind.Cudnn, "cudnn", null, 8) with { Text = "cudnn=9" }));

    public LockOptions Options(string packagesFolder) => new()
    {
        GlobalPackagesFolder = packagesFolder,
        Dotnet = Dotnet,
        ToolVersion = "0.1.0-test",
    };

    public string Scratch(string name) => _root.Combine("scratch", name + "-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose() => _root.Dispose();

    private static void Build(LocalFeed feed, bool corrupt)
    {
        LockFeedFixture.BuildFeed(feed);
        CudaFixtureFeed.Build(feed, new CudaFixtureOptions
        {
            NativeContent = name =>
            {
                if (name != "libtorch_cuda.so")
                {
                    return CudaFixtureFeed.DefaultContent(name);
                }

                var elf = new TinyElfBuilder(name).Need("libc.so.6", "GLIBC_2.35").Need("libstdc++.so.6", "GLIBCXX_3.4.26").Build();
                var padded = new byte[SplitFileBytes];
                elf.CopyTo(padded, 0);
                for (var i = elf.Length; i < padded.Length; i++)
                {
                    padded[i] = (byte)(i * 31);
                }

                return padded;
            },
        });

        if (corrupt)
        {
            // Rebuild one fragment with other bytes: the pieces no longer join into the file the primary's .sha names.
            feed.Add("libtorch-cuda-12.8-linux-x64-part3-fragment4", CudaFixtureFeed.LibTorchVersion, p => p
                .Group("netstandard2.0")
                .File("lib/netstandard2.0/_._", "")
                .File("fragments/linux-x64/native/libtorch_cuda.so.fragment4", new byte[SplitFileBytes / 7]));
        }
    }
}
