using NuGet.Common;
using NuGet.Packaging.Core;
using NuGet.Versioning;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Native;
using TorchEnv.Core.Packages;
using TorchEnv.Core.Resolution;
using TorchEnv.Core.Spec;
using TorchEnv.Core.Stack;
using TorchEnv.Core.Tests.Lock;
using TorchEnv.TestSupport;

namespace TorchEnv.Core.Tests.Resolution;

/// <summary>
/// The CUDA fixture packages (real ids and layout, tiny files) plus the offline stand-ins of TorchSharp and its
/// dependencies, in one local feed, with an isolated global packages folder. A second feed bundles cuDNN 8 instead of 9.
/// </summary>
public sealed class CudaFeedFixture : IDisposable
{
    private readonly TempDirectory _root = new("torchenv-cuda");

    public CudaFeedFixture()
    {
        var feed = new LocalFeed(_root.Combine("feed"));
        LockFeedFixture.BuildFeed(feed);
        CudaFixtureFeed.Build(feed);
        var cudnn8 = new LocalFeed(_root.Combine("feed-cudnn8"));
        LockFeedFixture.BuildFeed(cudnn8);
        CudaFixtureFeed.Build(cudnn8, new CudaFixtureOptions { CudnnMajor = 8, Linux = false });
        Dotnet = LockFeedFixture.BuildDotnet(_root.Combine("dotnet"));
        SpecPath = _root.WriteFile("project/environment.yml", "# hand-built plans\n");
        PackagesFolder = _root.Combine("packages");
    }

    public DotnetInstallation Dotnet { get; }

    public string SpecPath { get; }

    public string PackagesFolder { get; }

    public string Scratch(string name) => _root.Combine("scratch", name + "-" + Guid.NewGuid().ToString("N")[..8]);

    public EnvironmentSpec Spec(string feed = "../feed", string cudnn = "9", string cuda = "12.8") => TestPlans.Spec(
        SpecPath, "demo_torchsharp_cuda", [feed],
        TestPlans.Variant(SpecPath, "cuda", ["linux-x64", "win-x64"],
            TestPlans.Dependency(SpecPath, DependencyKind.TorchSharp, "torchsharp", "[0.107.0]", 6),
            TestPlans.Dependency(SpecPath, DependencyKind.Cuda, "cuda", null, 7) with { Text = "cuda=" + cuda },
            TestPlans.Dependency(SpecPath, DependencyKind.Cudnn, "cudnn", null, 8) with { Text = "cudnn=" + cudnn }));

    public LockOptions Options(string? packagesFolder = null) => new()
    {
        GlobalPackagesFolder = packagesFolder ?? PackagesFolder,
        Dotnet = Dotnet,
        ToolVersion = "0.1.0-test",
        Install = LockInstallScope.All, // these tests check the installed CUDA packages of both platforms
    };

    public static StackPlan Plan(string platform, string cudnn = "[9.0.0, 10.0.0)", string cuda = "12.8") =>
        TestPlans.Cuda("cuda", platform, cudnn, cuda);

    /// <summary>
    /// Installs the given fixture packages (2.10.0) into a new scratch packages folder, as restore would, and the
    /// locked CUDA environment that lists exactly them.
    /// </summary>
    internal async Task<(string Folder, List<InstalledPackageFiles> Packages, LockedEnvironment Environment)> InstallAsync(params string[] ids)
    {
        var folder = Scratch("packages");
        var sources = PackageSourceSet.Load(Spec(), folder);
        using var feed = new PackageFeed(sources, NullLogger.Instance);
        var installer = new PackageInstaller(feed, 2, null);
        var packages = new List<InstalledPackageFiles>();
        var locked = new List<LockedPackage>();
        foreach (var id in ids)
        {
            var identity = new PackageIdentity(id, NuGetVersion.Parse("2.10.0"));
            var installed = await installer.EnsureInstalledAsync(identity, sources.Sources[0], default);
            packages.Add(new InstalledPackageFiles(new PackageFiles(id, "2.10.0", PackageContents.ExtractedFiles(installed.NupkgPath)), installed.Directory));
            locked.Add(new LockedPackage { Id = id, Version = "2.10.0", Source = "../feed", Sha512 = installed.ContentHash, Dependencies = [] });
        }

        var environment = new LockedEnvironment
        {
            Variant = "cuda", Platform = "linux-x64", SpecHash = TestPlansHash, Framework = "net10.0",
            Stack = new LockedStack { TorchSharp = "0.107.0", LibTorch = "2.10.0", Device = "cuda" },
            Host = HostRequirements.None, Packages = locked,
        };
        return (folder, packages, environment);
    }

    private static readonly string TestPlansHash = TestPlans.Hash("restitch");


    public void Dispose() => _root.Dispose();
}
