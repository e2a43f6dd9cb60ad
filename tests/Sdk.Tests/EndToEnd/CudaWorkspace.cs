using TorchEnv.Core.Lock;
using TorchEnv.TestSupport;
using TorchEnv.TestSupport.EndToEnd;

namespace TorchEnv.Sdk.Tests.EndToEnd;

/// <summary>
/// A folder for CUDA-variant projects on the packed SDK, offline: a feed with the CUDA fixture packages (restitch
/// targets included) plus the real TorchSharp 0.107.0 and its dependencies, copied as .nupkg files from the shared CPU
/// project's packages (same bytes, so nothing downloads again), and a global packages folder of its own, because
/// restitching changes it.
/// </summary>
public sealed class CudaWorkspace
{
    /// <summary>A spec with one CUDA variant, served by the workspace's feed only.</summary>
    public const string Spec = """
        name: e2e_net10_cuda
        channels: [./cuda-feed]
        platforms: [linux-x64]
        dependencies:
          - torchsharp=0.107.0
        variants:
          cuda:
            dependencies: [cuda=12.8, cudnn=9]

        """;

    /// <summary>
    /// Prints the Verify() report; exits with 0 when the locked stack is loaded, else with 2, the code the training
    /// template documents for a failed stack check.
    /// </summary>
    public const string Program = """
        var report = E2eApp.TorchEnvironment.Verify();
        System.Console.WriteLine(report);
        return report.IsOk ? 0 : 2;

        """;

    private readonly SdkEndToEndFixture _fixture;

    /// <summary>Creates the workspace folder, its feed, NuGet.config and spec.</summary>
    public CudaWorkspace(SdkEndToEndFixture fixture, string name)
    {
        _fixture = fixture;
        Root = fixture.CreateProject(name);
        var feed = Root.PathOf("cuda-feed");
        CudaFixtureFeed.Build(new LocalFeed(feed), new CudaFixtureOptions { Windows = false });
        foreach (var package in TorchSharpClosure(fixture))
        {
            var id = package.Id.ToLowerInvariant();
            var version = package.Version.ToLowerInvariant();
            File.Copy(Path.Combine(fixture.NuGetPackages, id, version, $"{id}.{version}.nupkg"), Path.Combine(feed, $"{id}.{version}.nupkg"), overwrite: true);
        }

        Root.WriteFile("NuGet.config", NuGetConfigText.For(Packages, ("torchenv-local", fixture.LocalFeed), ("cuda-feed", feed)));
        Root.WriteFile("environment.yml", Spec);
    }

    /// <summary>The workspace folder (one project lives in it, more in sub-folders).</summary>
    public TestProject Root { get; }

    /// <summary>The workspace's own global packages folder.</summary>
    public string Packages => Root.PathOf("packages");

    /// <summary>The joined libtorch_cuda.so in the packages folder (split over a primary and six fragments).</summary>
    public string LibTorchCuda => Path.Combine(Packages, "libtorch-cuda-12.8-linux-x64-part3-primary", "2.10.0", "runtimes", "linux-x64", "native", "libtorch_cuda.so");

    /// <summary>Fragment <paramref name="k"/> of libtorch_cuda.so in the packages folder.</summary>
    public string LibTorchCudaFragment(int k) => Path.Combine(Packages, $"libtorch-cuda-12.8-linux-x64-part3-fragment{k}", "2.10.0", "fragments", "linux-x64", "native", $"libtorch_cuda.so.fragment{k}");

    /// <summary>Writes a console project on the packed SDK with <see cref="Program"/> into <paramref name="folder"/> ("" for the root).</summary>
    public void AddProject(string folder = "")
    {
        var name = folder.Length == 0 ? Root.Name : folder;
        Root.WriteFile(Path.Combine(folder, name + ".csproj"), $"<Project Sdk=\"TorchEnv.Sdk/{_fixture.SdkVersion}\">\n{SdkEndToEndFixture.ProjectBody()}\n</Project>\n");
        Root.WriteFile(Path.Combine(folder, "Program.cs"), Program);
    }

    /// <summary>Runs dotnet in the workspace with its own packages folder.</summary>
    public DotNetResult Dotnet(params string[] arguments) =>
        Root.Dotnet(new Dictionary<string, string?> { ["NUGET_PACKAGES"] = Packages }, arguments);

    /// <summary>How many lines of <paramref name="output"/> contain <paramref name="part"/>.</summary>
    public static int Lines(string output, string part) => output.Split('\n').Count(line => line.Contains(part, StringComparison.Ordinal));

    /// <summary>TorchSharp and its dependencies: the CPU lock's packages without libtorch-cpu.</summary>
    private static IEnumerable<LockedPackage> TorchSharpClosure(SdkEndToEndFixture fixture)
    {
        var locked = fixture.Locked;
        Assert.True(locked.FirstBuild.Succeeded, locked.FirstBuild.ToString());
        var entry = LockFileReader.Read(locked.Project.PathOf("environment.lock.yml")).Find("cpu", "linux-x64");
        Assert.NotNull(entry);
        return entry.Packages.Where(p => !p.Id.StartsWith("libtorch-cpu", StringComparison.OrdinalIgnoreCase));
    }
}
