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

    public void Dispose() => _root.Dispose();
}
