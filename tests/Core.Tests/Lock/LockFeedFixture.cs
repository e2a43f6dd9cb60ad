using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Resolution;
using TorchEnv.Core.Spec;
using TorchEnv.Core.Stack;
using TorchEnv.TestSupport;

namespace TorchEnv.Core.Tests.Lock;

/// <summary>
/// A small offline world for locking: a local feed with tiny stand-ins of the TorchSharp CPU packages (the real ids, so
/// the stack logic applies; never installed outside the fixture's own global packages folder), a fake .NET installation
/// (installed SDKs and the package-pruning list of net10.0), a spec with a cpu variant on win-x64 and osx-arm64, and
/// its lock, resolved once.
/// </summary>
public sealed class LockFeedFixture : IAsyncLifetime
{
    private readonly TempDirectory _root = new("torchenv-lock");

    public LockFeedFixture()
    {
        FeedFolder = _root.Combine("feed");
        BuildFeed(new LocalFeed(FeedFolder));
        Dotnet = BuildDotnet(_root.Combine("dotnet"));
        SpecPath = _root.WriteFile("project/environment.yml", "# hand-built plans; the text is not read\n");
        LockPath = _root.Combine("project", LockFileWriter.DefaultFileName);
        PackagesFolder = _root.Combine("packages");
    }

    public string FeedFolder { get; }

    public DotnetInstallation Dotnet { get; }

    public string SpecPath { get; }

    public string LockPath { get; }

    public string PackagesFolder { get; }

    /// <summary>The lock of <see cref="Spec"/> / <see cref="Plans"/>, resolved into <see cref="PackagesFolder"/>.</summary>
    public EnvironmentLock Lock { get; private set; } = null!;

    public string LockText => LockFileWriter.Serialize(Lock);

    public EnvironmentSpec Spec => SpecFor(SpecPath, "../feed");

    public IReadOnlyList<StackPlan> Plans => PlansFor();

    public LockOptions Options(string? packagesFolder = null) => new()
    {
        GlobalPackagesFolder = packagesFolder ?? PackagesFolder,
        Dotnet = Dotnet,
        ToolVersion = "0.1.0-test",
        MaxConcurrentDownloads = 2,
        Install = LockInstallScope.All, // these tests check installed packages of win-x64 and osx-arm64 too
    };

    public async Task InitializeAsync() =>
        Lock = await EnvironmentLocker.LockAsync(Spec, Plans, previous: null, Options());

    public Task DisposeAsync()
    {
        _root.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>A scratch folder under the fixture's root (deleted with it).</summary>
    public string Scratch(string name) => _root.Combine("scratch", name + "-" + Guid.NewGuid().ToString("N")[..8]);

    public static EnvironmentSpec SpecFor(string specPath, params string[] channels) => TestPlans.Spec(
        specPath, "demo_torchsharp_cpu", channels,
        TestPlans.Variant(specPath, "cpu", ["win-x64", "osx-arm64"],
            TestPlans.Dependency(specPath, DependencyKind.DotnetSdk, "dotnet-sdk", "[10.0.0, 10.1.0)", 5),
            TestPlans.Dependency(specPath, DependencyKind.TorchSharp, "torchsharp", "[0.107.0]", 6),
            TestPlans.Dependency(specPath, DependencyKind.TorchVision, "torchvision", "[0.107.0]", 7),
            TestPlans.Dependency(specPath, DependencyKind.NuGet, "Extra.Lib", "[1.0.0, )", 9)));

    public static IReadOnlyList<StackPlan> PlansFor(string extraLibRange = "[1.0.0, )") =>
        new[] { "win-x64", "osx-arm64" }.Select(platform => TestPlans.Cpu("cpu", platform, dotnetSdk: "[10.0.0, 10.1.0)", extraRoots:
        [
            new PackageRequirement("TorchVision", NuGet.Versioning.VersionRange.Parse("[0.107.0]"), "torchvision=0.107.0 (environment.yml:7)"),
            new PackageRequirement("Extra.Lib", NuGet.Versioning.VersionRange.Parse(extraLibRange), "Extra.Lib>=1.0.0 (environment.yml:9)"),
        ])).ToList();

    public static void BuildFeed(LocalFeed feed)
    {
        foreach (var version in new[] { "0.106.0", "0.107.0" })
        {
            feed.Add("TorchSharp", version, p => p
                .DependsOn("Google.Protobuf", "3.21.9", "net8.0")
                .DependsOn("System.Memory", "4.5.5", "net8.0")
                .DependsOn("Google.Protobuf", "3.21.9", "netstandard2.0")
                .DependsOn("System.Memory", "4.5.5", "netstandard2.0")
                .File("lib/net8.0/TorchSharp.dll", "managed " + version)
                .File("runtimes/win-x64/native/LibTorchSharp.dll", "MZ win " + version)
                .File("runtimes/osx-arm64/native/libLibTorchSharp.dylib", "macho " + version));
        }

        feed.Add("Google.Protobuf", "3.21.9", p => p.DependsOn("System.Memory", "4.5.3"));
        feed.Add("Google.Protobuf", "3.25.1", p => p.DependsOn("System.Memory", "4.5.3"));
        feed.Add("System.Memory", "4.5.5", p => p.DependsOn("System.Buffers", "4.5.1"));
        feed.Add("System.Buffers", "4.5.1");
        feed.Add("libtorch-cpu-win-x64", "2.10.0", p => p.Group("netstandard2.0").File("runtimes/win-x64/native/torch_cpu.dll", "MZ torch_cpu"));
        feed.Add("libtorch-cpu-osx-arm64", "2.10.0", p => p.Group("netstandard2.0").File("runtimes/osx-arm64/native/libtorch_cpu.dylib", "macho torch_cpu"));
        feed.Add("TorchVision", "0.107.0", p => p.DependsOn("TorchSharp", "0.107.0", "net8.0"));
        feed.Add("Extra.Lib", "1.0.0", p => p.DependsOn("Google.Protobuf", "3.25.1"));
    }

    /// <summary>A .NET installation with SDKs 9.0.300, 10.0.100, 10.0.401 and net10.0's pruning data.</summary>
    public static DotnetInstallation BuildDotnet(string root)
    {
        foreach (var sdk in new[] { "9.0.300", "10.0.100", "10.0.401" })
        {
            Directory.CreateDirectory(Path.Combine(root, "sdk", sdk));
            File.WriteAllText(Path.Combine(root, "sdk", sdk, "dotnet.dll"), "");
        }

        var data = Path.Combine(root, "packs", "Microsoft.NETCore.App.Ref", "10.0.5", "data");
        Directory.CreateDirectory(data);
        File.WriteAllText(Path.Combine(data, "PackageOverrides.txt"), "System.Buffers|5.0.0\nSystem.Memory|5.0.0\n");
        return new DotnetInstallation(root);
    }
}
