using TorchEnv.Core.Adopt;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Resolution;
using TorchEnv.Core.Spec;
using TorchEnv.Core.Stack;
using TorchEnv.TestSupport;
using TorchEnv.TestSupport.Adoption;
using TorchEnv.TestSupport.EndToEnd;

namespace TorchEnv.Sdk.Tests.EndToEnd;

/// <summary>
/// <c>torchenv adopt</c> on the repository shapes, end to end: adopt (export, rewrite, lock — what the command does),
/// then <c>dotnet build</c> on the packed TorchEnv.Sdk in locked mode, then <c>dotnet run</c> of a program that computes
/// with TorchSharp and prints <c>TorchEnvironment.Verify()</c>; the per-OS CUDA/CPU shape (whose CUDA packages are not
/// served here) through the rewrite and a restore. The rewrite of every shape is in Core.Tests.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class AdoptEndToEndTests(SdkEndToEndFixture fixture)
{
    private async Task<TestProject> AdoptAsync(string name, Action<string> shape, string? restoreFirst = null)
    {
        var root = fixture.CreateProject(name);
        shape(root.Directory);
        if (restoreFirst is not null)
        {
            // A repository that was built before: export pins what restore chose (for F#, also the FSharp.Core it added).
            var restore = root.Dotnet("restore", restoreFirst);
            Assert.True(restore.Succeeded, restore.ToString());
        }

        var plan = Adopter.Plan(new AdoptOptions { Path = root.Directory, SdkVersion = fixture.SdkVersion });
        Adopter.Apply(plan);
        var spec = EnvironmentSpecReader.Read(plan.SpecPath);
        var locked = await EnvironmentLocker.LockAsync(spec, StackPlanner.PlanAll(spec), previous: null, new LockOptions { GlobalPackagesFolder = fixture.NuGetPackages });
        LockFileWriter.Write(LockFileWriter.PathFor(plan.SpecPath), locked);
        return root;
    }

    private static void AssertRuns(TestProject root, string project)
    {
        var run = root.Dotnet("run", "--no-build", "--project", project);
        Assert.True(run.Succeeded, run.ToString());
        Assert.Contains("sum=10", run.StandardOutput, StringComparison.Ordinal);
        Assert.Matches(@"TorchEnv \S+ \(variant cpu, linux-x64, lock sha256:[0-9a-f]+\): OK", run.StandardOutput);
        Assert.Matches(@"TorchSharp\s+locked 0\.107\.0\s+loaded 0\.107\.0", run.StandardOutput);
    }

    [Fact]
    public async Task A_solution_with_a_shared_utility_central_versions_and_a_project_through_a_reference_builds_and_runs_on_the_sdk()
    {
        var root = await AdoptAsync("adopt-sln", folder =>
        {
            RepositoryShapes.SolutionWithSharedUtility(folder, StackReferences.LinuxCpu, central: true);
            RepositoryShapes.AdoptedProgram(folder, "src/Train/Train.csproj", fsharp: false);
            RepositoryShapes.AdoptedProgram(folder, "src/App/App.csproj", fsharp: false);
        });

        var build = root.Build("Shapes.sln", "-p:TorchEnvLockedMode=true", "-p:TreatWarningsAsErrors=false");

        Assert.True(build.Succeeded, build.ToString());
        Assert.Contains("Microsoft.NET.Sdk", root.ReadFile("src/Utility/Utility.csproj"), StringComparison.Ordinal);
        AssertRuns(root, "src/Train/Train.csproj");
        AssertRuns(root, "src/App/App.csproj");
    }

    [Fact]
    public async Task An_fsharp_program_with_torchsharp_in_directory_build_props_builds_and_runs_with_the_fsharp_torch_environment()
    {
        var root = await AdoptAsync(
            "adopt-fs",
            folder =>
            {
                RepositoryShapes.FSharpWithReferenceInDirectoryBuildProps(folder, StackReferences.LinuxCpu);
                RepositoryShapes.AdoptedProgram(folder, "FsTrain/FsTrain.fsproj", fsharp: true);
            },
            restoreFirst: "FsTrain/FsTrain.fsproj");

        // Warnings as errors: the generated module compiles without a warning, and the lock supplies FSharp.Core (no TENV0257).
        var build = root.Build("FsTrain/FsTrain.fsproj", "-p:TorchEnvLockedMode=true", "-p:TreatWarningsAsErrors=true");

        Assert.True(build.Succeeded, build.ToString());
        Assert.DoesNotContain("TENV0257", build.Output, StringComparison.Ordinal);
        Assert.Contains("FSharp.Core==", root.ReadFile("environment.yml"), StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(root.PathOf("FsTrain/obj"), "FsTrain.TorchEnvironment.g.fs", SearchOption.AllDirectories));
        AssertRuns(root, "FsTrain/FsTrain.fsproj");
    }

    [Fact]
    public async Task Per_os_cuda_or_cpu_references_lock_both_variants_and_restore_takes_this_hosts_cpu_one_from_the_lock()
    {
        var root = await AdoptAsync("adopt-per-os", folder =>
        {
            // The Windows CUDA packages are not served here: a local feed mirrors them, listed in the repository's NuGet.config.
            CudaFixtureFeed.Build(new LocalFeed(Path.Combine(folder, "cuda-feed")), new CudaFixtureOptions { Linux = false });
            var config = Path.Combine(folder, "NuGet.config");
            File.WriteAllText(config, File.ReadAllText(config).Replace("</packageSources>", "  <add key=\"cuda-fixture\" value=\"cuda-feed\" />\n  </packageSources>", StringComparison.Ordinal));
            RepositoryShapes.PerOsCudaOrCpu(folder, StackReferences.LinuxCpu);
        });

        var restore = root.Dotnet("restore", "Detector/Detector.csproj", "-p:TorchEnvLockedMode=true");

        Assert.True(restore.Succeeded, restore.ToString());
        Assert.StartsWith("<Project Sdk=\"TorchEnv.Sdk\">", root.ReadFile("Detector/Detector.csproj"), StringComparison.Ordinal);
        Assert.DoesNotContain("PackageReference", root.ReadFile("Detector/Detector.csproj"), StringComparison.Ordinal);
        var environmentLock = LockFileReader.Read(root.PathOf("environment.lock.yml"));
        Assert.Equal(["cpu/linux-x64", "cuda/win-x64"], environmentLock.Environments.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Contains(environmentLock.Find("cuda", "win-x64")!.Packages, p => p.Id == "libtorch-cuda-12.8-win-x64");
        var cpu = environmentLock.Find("cpu", "linux-x64")!;
        Assert.Equal(cpu.Packages.Select(p => $"{p.Id}/{p.Version}").Order(StringComparer.OrdinalIgnoreCase), root.RestoredPackages("Detector").Order(StringComparer.OrdinalIgnoreCase));
    }
}
