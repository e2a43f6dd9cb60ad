using TorchEnv.Core.Adopt;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Resolution;
using TorchEnv.Core.Spec;
using TorchEnv.Core.Stack;
using TorchEnv.TestSupport.Adoption;
using TorchEnv.TestSupport.EndToEnd;

namespace TorchEnv.Sdk.Tests.EndToEnd;

/// <summary>
/// <c>torchenv adopt</c> on two repository shapes, end to end: adopt (export, rewrite, lock — what the command does),
/// then <c>dotnet build</c> on the packed TorchEnv.Sdk in locked mode, then <c>dotnet run</c> of a program that computes
/// with TorchSharp and prints <c>TorchEnvironment.Verify()</c>. The other shapes go through the rewrite in Core.Tests.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class AdoptEndToEndTests(SdkEndToEndFixture fixture)
{
    private async Task<TestProject> AdoptAsync(string name, Action<string> shape)
    {
        var root = fixture.CreateProject(name);
        shape(root.Directory);
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
        var root = await AdoptAsync("adopt-fs", folder =>
        {
            RepositoryShapes.FSharpWithReferenceInDirectoryBuildProps(folder, StackReferences.LinuxCpu);
            RepositoryShapes.AdoptedProgram(folder, "FsTrain/FsTrain.fsproj", fsharp: true);
        });

        var build = root.Build("FsTrain/FsTrain.fsproj", "-p:TorchEnvLockedMode=true");

        Assert.True(build.Succeeded, build.ToString());
        Assert.Single(Directory.GetFiles(root.PathOf("FsTrain/obj"), "FsTrain.TorchEnvironment.g.fs", SearchOption.AllDirectories));
        AssertRuns(root, "FsTrain/FsTrain.fsproj");
    }
}
