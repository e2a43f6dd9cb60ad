using System.Xml.Linq;
using TorchEnv.Core.Adopt;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Export;
using TorchEnv.Core.Spec;
using TorchEnv.Core.Stack;
using TorchEnv.TestSupport;
using TorchEnv.TestSupport.Adoption;

namespace TorchEnv.Core.Tests.Adopt;

/// <summary>
/// <c>adopt</c> on the repository shapes, through the rewrite (the builds on the packed SDK are in Sdk.Tests'
/// end-to-end tests): what changes, what stays, twice is a no-op, --dry-run and failures write nothing.
/// </summary>
public sealed class AdopterTests : IDisposable
{
    private readonly TempDirectory _temp = new("torchenv-adopt");

    public AdopterTests() => _temp.WriteFile("NuGet.config", RepositoryShapes.NuGetOrgConfig);

    public void Dispose() => _temp.Dispose();

    private AdoptOptions Options(string? path = null) => new() { Path = path ?? _temp.Path, SdkVersion = "0.1.0" };

    private Dictionary<string, byte[]> Snapshot() =>
        Directory.GetFiles(_temp.Path, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);

    private static IEnumerable<string> PackageIds(string project) =>
        XDocument.Load(project).Descendants().Where(e => e.Name.LocalName is "PackageReference" or "PackageVersion").Select(e => e.Attribute("Include")!.Value);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Shape_solution_moves_the_torchsharp_projects_pins_the_sdk_once_and_leaves_the_utility_alone(bool central)
    {
        var solution = RepositoryShapes.SolutionWithSharedUtility(_temp.Path, StackReferences.CpuBundle, central);
        var utility = File.ReadAllBytes(_temp.Combine("src/Utility/Utility.csproj"));

        var plan = Adopter.Plan(Options(solution));
        Adopter.Apply(plan);

        Assert.Equal(
            ["Utility:LeftAlone", "Model:Adopted", "Train:Adopted", "App:Adopted"],
            plan.Projects.Select(p => $"{Path.GetFileNameWithoutExtension(p.Path)}:{p.Action}"));
        Assert.Equal(utility, File.ReadAllBytes(_temp.Combine("src/Utility/Utility.csproj")));
        foreach (var name in new[] { "Model", "Train", "App" })
        {
            var project = _temp.Combine($"src/{name}/{name}.csproj");
            Assert.Equal("TorchEnv.Sdk", XDocument.Load(project).Root!.Attribute("Sdk")!.Value);
            Assert.Empty(PackageIds(project));
            Assert.Contains("<ProjectReference Include=", File.ReadAllText(project));
        }

        Assert.Contains("\"TorchEnv.Sdk\": \"0.1.0\"", File.ReadAllText(_temp.Combine("global.json")));
        var spec = EnvironmentSpecReader.Read(_temp.Combine("environment.yml"));
        Assert.Equal(["torchsharp==0.107.0", "cpu", "torchvision==0.107.0", "SharpZipLib==1.4.2", "Newtonsoft.Json==13.0.3"], spec.DefaultVariant.Dependencies.Select(d => d.Text));
        if (central)
        {
            // Central versions of the packages the lock now supplies go too; the property that turns CPM on stays.
            Assert.Empty(PackageIds(_temp.Combine("Directory.Packages.props")));
            Assert.Contains("<ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>", File.ReadAllText(_temp.Combine("Directory.Packages.props")));
        }
    }

    [Fact]
    public void Adopt_twice_is_a_no_op()
    {
        var solution = RepositoryShapes.SolutionWithSharedUtility(_temp.Path, StackReferences.CpuBundle, central: true);
        Adopter.Apply(Adopter.Plan(Options(solution)));
        var after = Snapshot();

        var again = Adopter.Plan(Options(solution));
        Adopter.Apply(again);

        Assert.True(again.IsNoOp);
        Assert.Equal("", again.Diff());
        Assert.Contains(again.Projects, p => p.Action == AdoptAction.AlreadyAdopted);
        Assert.Equal(after.Keys.Order(), Snapshot().Keys.Order());
        Assert.All(after, f => Assert.Equal(f.Value, File.ReadAllBytes(f.Key)));
    }

    [Fact]
    public void A_plan_alone_is_the_dry_run_it_writes_nothing_and_its_diff_shows_every_change()
    {
        RepositoryShapes.FSharpWithReferenceInDirectoryBuildProps(_temp.Path, StackReferences.LinuxCpu);
        var before = Snapshot();

        var plan = Adopter.Plan(Options());
        var diff = plan.Diff();

        Assert.Equal(before.Keys.Order(), Snapshot().Keys.Order());
        Assert.All(before, f => Assert.Equal(f.Value, File.ReadAllBytes(f.Key)));
        Assert.Contains("-<Project Sdk=\"Microsoft.NET.Sdk\">", diff);
        Assert.Contains("+<Project Sdk=\"TorchEnv.Sdk\">", diff);
        Assert.Contains("--- a/Directory.Build.props", diff);
        Assert.Contains("-    <PackageReference Include=\"TorchSharp\" Version=\"0.107.0\" /><PackageReference Include=\"libtorch-cpu-linux-x64\" Version=\"2.10.0\" />", diff);
        Assert.Contains("--- /dev/null\n+++ b/global.json", diff);
        Assert.Contains("+++ b/environment.yml", diff);
        Assert.Equal(["FsTrain.fsproj", "Directory.Build.props", "environment.yml", "global.json"], plan.Changes.Select(c => Path.GetFileName(c.Path)));
    }

    [Fact]
    public void Shape_per_os_cuda_or_cpu_references_become_variants_and_all_go()
    {
        var project = RepositoryShapes.PerOsCudaOrCpu(_temp.Path, StackReferences.LinuxCpu);

        var plan = Adopter.Plan(Options());
        Adopter.Apply(plan);

        Assert.Empty(PackageIds(project));
        var spec = EnvironmentSpecReader.Read(_temp.Combine("environment.yml"));
        Assert.Equal(["cpu", "cuda"], spec.Variants.Select(v => v.Name));
        Assert.Equal(["cpu/linux-x64", "cuda/win-x64"], StackPlanner.PlanAll(spec).Select(p => $"{p.Variant}/{p.Platform}").Order());
    }

    [Fact]
    public void A_project_that_cannot_be_adopted_is_an_error_naming_it_and_nothing_is_written()
    {
        RepositoryShapes.SolutionWithSharedUtility(_temp.Path, StackReferences.CpuBundle, central: false);
        _temp.WriteFile("src/Web/Web.csproj", """
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
              <ItemGroup><PackageReference Include="TorchSharp-cpu" Version="0.107.0" /></ItemGroup>
            </Project>
            """);
        _temp.WriteFile("src/Old/Old.csproj", """
            <Project ToolsVersion="15.0"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
            <ItemGroup><PackageReference Include="TorchSharp-cpu" Version="0.107.0" /></ItemGroup></Project>
            """);
        // A .NET Framework project of the packages.config era: TorchSharp is named only in packages.config.
        _temp.WriteFile("src/Legacy/Legacy.csproj", """
            <Project ToolsVersion="15.0" xmlns="http://schemas.microsoft.com/developer/msbuild/2003">
              <ItemGroup><Reference Include="TorchSharp"><HintPath>..\..\packages\TorchSharp.0.107.0\lib\netstandard2.0\TorchSharp.dll</HintPath></Reference></ItemGroup>
              <Import Project="$(MSBuildToolsPath)\Microsoft.CSharp.targets" />
            </Project>
            """);
        _temp.WriteFile("src/Legacy/packages.config", """<?xml version="1.0" encoding="utf-8"?><packages><package id="TorchSharp-cpu" version="0.107.0" targetFramework="net48" /></packages>""");
        File.Delete(_temp.Combine("Shapes.sln"));
        var before = Snapshot();

        var error = Assert.Throws<TorchEnvException>(() => Adopter.Plan(Options()));

        Assert.All(error.Diagnostics, d => Assert.Equal(AdoptMessages.CannotAdoptDescriptor.Code, d.Code));
        Assert.Equal(["Legacy.csproj", "Old.csproj", "Web.csproj"], error.Diagnostics.Select(d => Path.GetFileName(d.Location!.File)).Order());
        var messages = string.Join(" ", error.Diagnostics.Select(d => d.Message));
        Assert.Contains("names an SDK other than Microsoft.NET.Sdk", messages);
        Assert.Contains("is not an SDK-style project", messages);
        Assert.Contains("lists its packages in packages.config", messages);
        Assert.Equal(before.Keys.Order(), Snapshot().Keys.Order());
        Assert.All(before, f => Assert.Equal(f.Value, File.ReadAllBytes(f.Key)));
    }

    [Fact]
    public void A_packages_config_project_is_named_even_when_no_other_project_uses_torchsharp()
    {
        _temp.WriteFile("Legacy/Legacy.csproj", """<Project ToolsVersion="15.0" xmlns="http://schemas.microsoft.com/developer/msbuild/2003" />""");
        _temp.WriteFile("Legacy/packages.config", """<packages><package id="TorchSharp" version="0.107.0" /><package id="libtorch-cpu-win-x64" version="2.10.0" /></packages>""");

        var error = Assert.Throws<TorchEnvException>(() => Adopter.Plan(Options()));

        Assert.Equal(AdoptMessages.CannotAdoptDescriptor.Code, error.Diagnostic.Code);
        Assert.EndsWith("Legacy.csproj", error.Diagnostic.Location!.File, StringComparison.Ordinal);
    }

    [Fact]
    public void A_write_that_fails_puts_back_every_file_already_written()
    {
        var solution = RepositoryShapes.SolutionWithSharedUtility(_temp.Path, StackReferences.CpuBundle, central: true);
        var before = Snapshot();
        var plan = Adopter.Plan(Options(solution));
        Assert.Equal("global.json", Path.GetFileName(plan.Changes[^1].Path));

        // global.json, written last, cannot be: a folder is in its way.
        Directory.CreateDirectory(_temp.Combine("global.json"));
        var error = Assert.Throws<TorchEnvException>(() => Adopter.Apply(plan));

        Assert.Equal(AdoptMessages.WriteFailedDescriptor.Code, error.Diagnostic.Code);
        Assert.Contains($"the {plan.Changes.Count - 1} file(s) already written were put back", error.Diagnostic.Message);
        Directory.Delete(_temp.Combine("global.json"));
        Assert.Equal(before.Keys.Order(), Snapshot().Keys.Order());
        Assert.All(before, f => Assert.Equal(f.Value, File.ReadAllBytes(f.Key)));
    }

    [Fact]
    public void An_existing_spec_that_differs_is_kept_unless_forced()
    {
        RepositoryShapes.PerOsCudaOrCpu(_temp.Path, StackReferences.LinuxCpu);
        _temp.WriteFile("environment.yml", "name: mine_torchsharp_cpu\n");

        var error = Assert.Throws<TorchEnvException>(() => Adopter.Plan(Options()));
        var forced = Adopter.Plan(Options() with { Force = true });

        Assert.Equal(AdoptMessages.SpecExistsDescriptor.Code, error.Diagnostic.Code);
        Assert.Contains(forced.Changes, c => Path.GetFileName(c.Path) == "environment.yml" && c.Before is not null);
    }

    [Fact]
    public void A_package_a_project_that_stays_reads_from_directory_build_props_stays_there()
    {
        _temp.WriteFile("Directory.Build.props", """
            <Project>
              <ItemGroup>
                <PackageReference Include="Spectre.Console" Version="0.57.2" />
              </ItemGroup>
            </Project>
            """);
        _temp.WriteFile("Tool/Tool.csproj", RepositoryShapes.Program("Tool", "", ""));
        _temp.WriteFile("Train/Train.csproj", RepositoryShapes.Program("Train", """<PackageReference Include="TorchSharp-cpu" Version="0.107.0" />""", ""));
        var props = File.ReadAllBytes(_temp.Combine("Directory.Build.props"));

        var plan = Adopter.Plan(Options());

        Assert.Contains("Spectre.Console==0.57.2", plan.Export!.Text);
        Assert.DoesNotContain(plan.Changes, c => c.Path.EndsWith("Directory.Build.props", StringComparison.Ordinal));
        Assert.Equal(props, File.ReadAllBytes(_temp.Combine("Directory.Build.props")));
        Assert.Equal(AdoptAction.LeftAlone, plan.Projects.Single(p => p.Path.EndsWith("Tool.csproj", StringComparison.Ordinal)).Action);
    }
}
