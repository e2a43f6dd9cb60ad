using System.Text.Json;
using NuGet.Common;
using NuGet.Packaging.Core;
using NuGet.Versioning;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Packages;
using TorchEnv.Core.Resolution;
using TorchEnv.Core.Spec;
using TorchEnv.Core.Stack;
using TorchEnv.TestSupport;
using Xunit.Abstractions;

namespace TorchEnv.Core.Tests.Resolution;

/// <summary>
/// Locks against the real registry (a partial nuget.org copy). The CPU tests use the normal global packages folder so
/// the large libtorch packages are downloaded at most once per machine; the CUDA test needs its own folder because the
/// fixture packages carry the real CUDA ids.
/// </summary>
[Collection(RealRegistryCollection.Name)]
[Trait("Category", "Integration")]
public sealed class RealRegistryTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _temp = new("torchenv-registry");

    public void Dispose() => _temp.Dispose();

    private (EnvironmentSpec Spec, IReadOnlyList<StackPlan> Plans) ReadSpec(string folder, string text)
    {
        File.Copy(Path.Combine(RepositoryRoot.Get(), "NuGet.config"), Path.Combine(folder, "NuGet.config"), overwrite: true);
        var path = Path.Combine(folder, EnvironmentSpecReader.DefaultFileName);
        File.WriteAllText(path, text);
        var spec = EnvironmentSpecReader.Read(path);
        return (spec, StackPlanner.PlanAll(spec));
    }

    [Fact]
    public async Task A_real_cpu_lock_agrees_with_dotnet_restore_and_records_the_host_requirements()
    {
        var (spec, plans) = ReadSpec(_temp.Combine(), """
            name: itest_torchsharp_cpu
            channels: [nuget.org]
            platforms: [linux-x64]
            dependencies:
              - dotnet-sdk=10.0.*
              - torchsharp=0.107.0
            """);

        var locked = await EnvironmentLocker.LockAsync(spec, plans, previous: null);
        output.WriteLine(LockFileWriter.Serialize(locked));
        var environment = Assert.Single(locked.Environments);
        var restore = Restore(environment);

        // The hash of libtorch-cpu-linux-x64 is the contentHash dotnet restore itself recorded in a fresh packages folder.
        var libtorch = environment.Find("libtorch-cpu-linux-x64")!;
        Assert.Equal(ContentHash(restore.PackagesFolder, "libtorch-cpu-linux-x64", "2.10.0"), libtorch.Sha512);

        // Restore of a project whose PackageReferences are the roots chose exactly the locked closure (pruning included).
        Assert.Equal(
            environment.Packages.Select(p => $"{p.Id}/{p.Version} {p.Sha512}").Order(StringComparer.OrdinalIgnoreCase),
            restore.Libraries.Select(l => $"{l.Key} {l.Value}").Order(StringComparer.OrdinalIgnoreCase));
        Assert.Contains(environment.Pruned, p => p.Id == "System.Memory");

        Assert.Equal(("0.107.0", "2.10.0", "cpu"), (environment.Stack.TorchSharp, environment.Stack.LibTorch, environment.Stack.Device));
        Assert.Equal(("2.34", "3.4.32"), (environment.Host.Glibc, environment.Host.Glibcxx));
        Assert.Contains(environment.Host.Needs, n => n is { Version: "GLIBCXX_3.4.32", Package: "TorchSharp", File: "runtimes/linux-x64/native/libLibTorchSharp.so" });

        // TorchEnv installs a package exactly as restore does: same files, same recorded hash and source.
        var ours = _temp.Combine("ours");
        await InstallAsync(spec, ours, "TorchSharp", "0.107.0");
        Assert.Equal(ContentHash(restore.PackagesFolder, "torchsharp", "0.107.0"), ContentHash(ours, "torchsharp", "0.107.0"));
        Assert.Equal(Files(restore.PackagesFolder, "torchsharp", "0.107.0"), Files(ours, "torchsharp", "0.107.0"));
    }

    [Fact]
    public async Task A_two_platform_lock_is_complete_consistent_passes_its_own_check_and_leaves_only_the_hosts_packages()
    {
        var folder = _temp.Combine();
        var (spec, plans) = ReadSpec(folder, """
            name: itest_torchsharp_cpu2
            channels: [nuget.org]
            platforms: [linux-x64, win-x64]
            dependencies:
              - dotnet-sdk=10.0.*
              - torchsharp=0.107.0
            """);
        var packagesFolder = HostPackagesFolder();
        var temporary = _temp.Combine("tmp");
        var statistics = new LockStatistics();

        var locked = await EnvironmentLocker.LockAsync(spec, plans, previous: null, new LockOptions
        {
            GlobalPackagesFolder = packagesFolder, TemporaryFolder = temporary, Statistics = statistics,
        });
        output.WriteLine(statistics.ToString());
        var lockPath = LockFileWriter.PathFor(spec.FilePath);
        LockFileWriter.Write(lockPath, locked);

        Assert.Equal(["cpu/linux-x64", "cpu/win-x64"], locked.Environments.Select(e => e.Key));
        var linux = locked.Find("cpu", "linux-x64")!;
        var windows = locked.Find("cpu", "win-x64")!;
        Assert.NotNull(linux.Find("libtorch-cpu-linux-x64"));
        Assert.NotNull(windows.Find("libtorch-cpu-win-x64"));
        Assert.Null(windows.Find("libtorch-cpu-linux-x64"));
        foreach (var package in windows.Packages.Where(p => !p.Id.StartsWith("libtorch-cpu-", StringComparison.Ordinal)))
        {
            var same = linux.Find(package.Id)!;
            Assert.Equal((package.Version, package.Sha512, package.Source), (same.Version, same.Sha512, same.Source));
        }

        Assert.Equal("3.4.32", linux.Host.Glibcxx);
        Assert.Equal(HostRequirements.None.Glibc, windows.Host.Glibc);
        Assert.Empty(windows.Host.Needs);

        // Only the host's packages were extracted; Windows' libtorch was read from a temporary download, now gone.
        Assert.False(Directory.Exists(Path.Combine(packagesFolder, "libtorch-cpu-win-x64")), "libtorch-cpu-win-x64 was extracted");
        Assert.Empty(Directory.EnumerateFileSystemEntries(temporary));
        Assert.True(statistics.DownloadedToTemporary >= 1);
        var options = new LockOptions { GlobalPackagesFolder = packagesFolder };
        AssertOnlyNotInstalledElsewhere(await RelockCheck.CheckAsync(spec, plans, lockPath, options));
        Assert.Empty(LockVerifier.Verify(locked, "cpu", "linux-x64", lockPath, packagesFolder));

        // The old way (everything downloaded and extracted) makes the same lock: NuGet's contentHash of the signed
        // Windows package equals the one read from the temporary download.
        var old = await EnvironmentLocker.LockAsync(spec, plans, previous: null, options with { Install = LockInstallScope.All });
        Assert.Equal(LockFileWriter.Serialize(old), LockFileWriter.Serialize(locked));
        Assert.Equal(ContentHash(packagesFolder, "libtorch-cpu-win-x64", "2.10.0"), windows.Find("libtorch-cpu-win-x64")!.Sha512);
        Assert.NotEqual(
            Convert.ToBase64String(System.Security.Cryptography.SHA512.HashData(File.ReadAllBytes(Path.Combine(packagesFolder, "libtorch-cpu-win-x64", "2.10.0", "libtorch-cpu-win-x64.2.10.0.nupkg")))),
            windows.Find("libtorch-cpu-win-x64")!.Sha512); // signed: the content hash is not the file's hash
        Assert.Empty(LockVerifier.Verify(locked, "cpu", "win-x64", lockPath, packagesFolder));
    }

    /// <summary>
    /// A fresh global packages folder holding the host's real TorchSharp and libtorch-cpu-linux-x64 (hard links into the
    /// machine's folder: no copy, no download), so a test sees exactly which packages a lock adds.
    /// </summary>
    private string HostPackagesFolder()
    {
        var real = RealStackPackages.Get().GlobalPackagesFolder;
        var folder = _temp.Combine("packages");
        foreach (var package in new[] { "torchsharp", "libtorch-cpu-linux-x64" })
        {
            var version = package == "torchsharp" ? RealStackPackages.TorchSharpVersion : RealStackPackages.LibTorchVersion;
            Directory.CreateDirectory(Path.Combine(folder, package));
            ProcessRunner.RunChecked("cp", ["-al", Path.Combine(real, package, version), Path.Combine(folder, package, version)], TimeSpan.FromMinutes(2));
        }

        return folder;
    }

    [Fact]
    public async Task A_cuda_lock_against_the_fixture_feed_takes_torchsharp_from_the_registry_and_scans_the_parts()
    {
        var feedFolder = _temp.Combine("cuda-feed");
        CudaFixtureFeed.Build(new LocalFeed(feedFolder), new CudaFixtureOptions
        {
            // A need newer than anything real, in a file split over part9-primary and part9-fragment1: it can only be
            // found by scanning the restitched whole.
            NativeContent = name => name == "libcudnn_adv.so.9"
                ? new TinyElfBuilder(name).Need("libc.so.6", "GLIBC_2.35").Build()
                : CudaFixtureFeed.DefaultContent(name),
        });
        var projectFolder = _temp.Combine("project");
        Directory.CreateDirectory(projectFolder);
        var (spec, plans) = ReadSpec(projectFolder, """
            name: itest_torchsharp_cuda
            channels: [../cuda-feed, nuget.org]
            platforms: [linux-x64, win-x64]
            dependencies:
              - dotnet-sdk=10.0.*
              - torchsharp=0.107.0
              - cuda=12.8
              - cudnn=9
            """);
        var options = new LockOptions { GlobalPackagesFolder = _temp.Combine("packages") };

        var locked = await EnvironmentLocker.LockAsync(spec, plans, previous: null, options);
        output.WriteLine(LockFileWriter.Serialize(locked));
        var lockPath = LockFileWriter.PathFor(spec.FilePath);
        LockFileWriter.Write(lockPath, locked);

        var linux = locked.Find("cuda", "linux-x64")!;
        var windows = locked.Find("cuda", "win-x64")!;
        Assert.All(CudaFixtureFeed.PartIds("linux-x64"), id => Assert.Equal("../cuda-feed", linux.Find(id)!.Source));
        Assert.All(CudaFixtureFeed.PartIds("win-x64"), id => Assert.NotNull(windows.Find(id)));
        Assert.Equal("https://api.nuget.org/v3/index.json", linux.Find("TorchSharp")!.Source);
        Assert.Equal("../cuda-feed", linux.Find("TorchSharp-cuda-linux")!.Source);
        Assert.Equal(("cuda", "12.8", "9"), (linux.Stack.Device, linux.Stack.Cuda, linux.Stack.Cudnn));
        Assert.Equal(("2.35", "3.4.32", "525.60.13"), (linux.Host.Glibc, linux.Host.Glibcxx, linux.Host.NvidiaDriver));
        Assert.Contains(linux.Host.Needs, n => n is { Version: "GLIBC_2.35", Package: "libtorch-cuda-12.8-linux-x64-part9-primary", File: "runtimes/linux-x64/native/libcudnn_adv.so.9" });
        Assert.Contains(linux.Host.Needs, n => n is { Version: "GLIBCXX_3.4.32", Package: "TorchSharp" });
        Assert.Equal(("12.8", "9", "527.41"), (windows.Stack.Cuda, windows.Stack.Cudnn, windows.Host.NvidiaDriver));

        AssertOnlyNotInstalledElsewhere(await RelockCheck.CheckAsync(spec, plans, lockPath, options));
        Assert.Empty(LockVerifier.Verify(locked, "cuda", "linux-x64", lockPath, options.GlobalPackagesFolder, new VerifyOptions { Deep = true }));
    }

    /// <summary>No finding but TENV0239 (not installed) for entries of other platforms, whose packages a lock no longer extracts.</summary>
    private static void AssertOnlyNotInstalledElsewhere(IReadOnlyList<TorchEnv.Core.Diagnostics.Diagnostic> findings) =>
        Assert.All(findings, f => Assert.True(f.Code == "TENV0239" && !f.Message.Contains("/linux-x64:", StringComparison.Ordinal), f.ToString()));

    private sealed record RestoreResult(string PackagesFolder, IReadOnlyDictionary<string, string> Libraries);

    /// <summary>
    /// <c>dotnet restore</c> of a project whose PackageReferences are the environment's roots at their locked versions,
    /// into a fresh packages folder; returns the folder and the restored libraries (<c>id/version</c> → sha512).
    /// </summary>
    private RestoreResult Restore(LockedEnvironment environment)
    {
        var project = _temp.Combine("restore");
        var packages = _temp.Combine("restore-packages");
        var references = string.Concat(environment.Roots.Select(r =>
            $"""<PackageReference Include="{r.Id}" Version="[{environment.Find(r.Id)!.Version}]" />""" + "\n"));
        _temp.WriteFile("restore/restore.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>{environment.Framework}</TargetFramework>
                <NuGetAudit>false</NuGetAudit>
              </PropertyGroup>
              <ItemGroup>
                {references}
              </ItemGroup>
            </Project>
            """);
        File.Copy(Path.Combine(RepositoryRoot.Get(), "NuGet.config"), Path.Combine(project, "NuGet.config"));
        ProcessRunner.RunChecked("dotnet", ["restore", "restore.csproj", "--packages", packages, "-v", "q", "--nologo"], TimeSpan.FromMinutes(20), project);

        using var assets = JsonDocument.Parse(File.ReadAllText(Path.Combine(project, "obj", "project.assets.json")));
        var libraries = assets.RootElement.GetProperty("libraries").EnumerateObject()
            .Where(l => l.Value.GetProperty("type").GetString() == "package")
            .ToDictionary(l => l.Name, l => l.Value.GetProperty("sha512").GetString()!);
        return new RestoreResult(packages, libraries);
    }

    private static async Task InstallAsync(EnvironmentSpec spec, string folder, string id, string version)
    {
        var sources = PackageSourceSet.Load(spec, folder);
        using var feed = new PackageFeed(sources, NullLogger.Instance);
        var identity = new PackageIdentity(id, NuGetVersion.Parse(version));
        var source = await feed.FindSourceAsync(identity, default);
        await new PackageInstaller(feed, 1, null).EnsureInstalledAsync(identity, source!, default);
    }

    private static string ContentHash(string packagesFolder, string id, string version)
    {
        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(packagesFolder, id, version, ".nupkg.metadata")));
        return metadata.RootElement.GetProperty("contentHash").GetString()!;
    }

    private static IReadOnlyList<string> Files(string packagesFolder, string id, string version)
    {
        var folder = Path.Combine(packagesFolder, id, version);
        return Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}

/// <summary>The registry tests run one at a time (they download and extract hundreds of MB).</summary>
[CollectionDefinition(Name)]
public sealed class RealRegistryCollection
{
    public const string Name = "Real registry";
}
