using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Export;
using TorchEnv.Core.Spec;
using TorchEnv.Core.Stack;
using TorchEnv.TestSupport;
using TorchEnv.TestSupport.Adoption;

namespace TorchEnv.Core.Tests.Export;

/// <summary>
/// Export over many projects (a solution, a .slnx, a folder): one spec at the root for all the projects that use
/// TorchSharp, read back and planned here.
/// </summary>
public sealed class SolutionExportTests : IDisposable
{
    private readonly TempDirectory _temp = new("torchenv-export-sln");

    public SolutionExportTests() => _temp.WriteFile("NuGet.config", RepositoryShapes.NuGetOrgConfig);

    public void Dispose() => _temp.Dispose();

    private static (EnvironmentSpec Spec, IReadOnlyList<StackPlan> Plans) ReadBack(ExportResult result)
    {
        var spec = EnvironmentSpecReader.Parse(result.Text, result.OutputPath);
        return (spec, StackPlanner.PlanAll(spec));
    }

    private static string[] Texts(VariantSpec variant) => variant.Dependencies.Select(d => d.Text).ToArray();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Shape_solution_with_a_shared_utility_and_a_project_through_a_reference_merges_into_one_spec_at_the_root(bool central)
    {
        var solution = RepositoryShapes.SolutionWithSharedUtility(_temp.Path, StackReferences.CpuBundle, central);

        var result = SpecExporter.Export(new ExportOptions { Project = solution });
        var (spec, plans) = ReadBack(result);

        Assert.Equal(_temp.Combine("environment.yml"), result.OutputPath);
        Assert.Equal("shapes_torchsharp_cpu", spec.Name);
        var variant = Assert.Single(spec.Variants);
        Assert.Equal(["linux-x64", "osx-arm64", "win-x64"], variant.Platforms);
        Assert.Equal(["torchsharp==0.107.0", "cpu", "torchvision==0.107.0", "SharpZipLib==1.4.2", "Newtonsoft.Json==13.0.3"], Texts(variant));
        Assert.All(plans, p => Assert.Equal(ComputeDevice.Cpu, p.Device));
        Assert.Equal(
            ["Utility:None", "Model:Direct", "Train:Direct", "App:ThroughProjectReference"],
            result.Projects.Select(p => $"{Path.GetFileNameWithoutExtension(p.Path)}:{p.Use}"));
        Assert.Contains("Shapes.sln (3 TorchSharp projects: Model.csproj, Train.csproj, App.csproj)", result.Text);
        // Model and Train both ask for TorchSharp-cpu: one line, saying where else it is.
        Assert.Contains("also Train.csproj", result.Text);
    }

    [Fact]
    public void An_slnx_and_a_folder_read_the_same_projects_and_the_folder_skips_build_output_and_hidden_folders()
    {
        RepositoryShapes.SolutionWithSharedUtility(_temp.Path, StackReferences.CpuBundle, central: false);
        File.Delete(_temp.Combine("Shapes.sln"));
        _temp.WriteFile("Shapes.slnx", """
            <Solution>
              <Folder Name="/src/">
                <Project Path="src/App/App.csproj" />
                <Project Path="src/Model/Model.csproj" />
                <Project Path="src/Train/Train.csproj" />
                <Project Path="src/Utility/Utility.csproj" />
              </Folder>
            </Solution>
            """);
        var stray = RepositoryShapes.Program("Stray", """<PackageReference Include="TorchSharp-cpu" Version="0.99.0" />""", "");
        _temp.WriteFile("src/Train/bin/Debug/Stray.csproj", stray);
        _temp.WriteFile(".git/Stray.csproj", stray);

        var fromSlnx = SpecExporter.Export(new ExportOptions { Project = _temp.Combine("Shapes.slnx") });
        File.Delete(_temp.Combine("Shapes.slnx"));
        var fromFolder = SpecExporter.Export(new ExportOptions { Project = _temp.Path });

        Assert.Equal(4, fromSlnx.Projects.Count);
        Assert.Equal(fromSlnx.Projects.Select(p => p.Path).Order(), fromFolder.Projects.Select(p => p.Path).Order());
        Assert.Equal(Texts(ReadBack(fromSlnx).Spec.DefaultVariant), Texts(ReadBack(fromFolder).Spec.DefaultVariant));
        Assert.Equal(Core.Naming.EnvironmentNaming.Conventional(Path.GetFileName(_temp.Path), "cpu"), ReadBack(fromFolder).Spec.Name);
    }

    [Fact]
    public void Two_projects_asking_for_different_torchsharp_versions_is_an_error_naming_both_projects_and_lines()
    {
        _temp.WriteFile("A/A.csproj", RepositoryShapes.Program("A", """<PackageReference Include="TorchSharp-cpu" Version="0.107.0" />""", ""));
        _temp.WriteFile("B/B.csproj", RepositoryShapes.Program("B", """<PackageReference Include="TorchSharp-cpu" Version="0.106.0" />""", ""));

        var error = Assert.Throws<TorchEnvException>(() => SpecExporter.Export(new ExportOptions { Project = _temp.Path }));

        Assert.Equal(ExportMessages.DifferentStackVersionsDescriptor.Code, error.Diagnostic.Code);
        Assert.Contains("A.csproj and B.csproj", error.Diagnostic.Message);
        Assert.Contains("(A.csproj:9)", error.Diagnostic.Message);
        Assert.Contains("(B.csproj:9)", error.Diagnostic.Message);
        Assert.False(File.Exists(_temp.Combine("environment.yml")));
    }

    [Fact]
    public void Different_torchsharp_versions_in_projects_on_other_devices_name_the_variants_they_would_be()
    {
        _temp.WriteFile("A/A.csproj", RepositoryShapes.Program("A", """<PackageReference Include="TorchSharp-cuda-windows" Version="0.106.0" Condition="$([MSBuild]::IsOSPlatform('Windows'))" />""", ""));
        _temp.WriteFile("B/B.csproj", RepositoryShapes.Program("B", """<PackageReference Include="TorchSharp-cpu" Version="0.107.0" />""", ""));

        var error = Assert.Throws<TorchEnvException>(() => SpecExporter.Export(new ExportOptions { Project = _temp.Path }));

        Assert.Equal(ExportMessages.DifferentStackVersionsDescriptor.Code, error.Diagnostic.Code);
        Assert.Contains("A.csproj (cuda=12.8 on win-x64) and B.csproj (cpu on linux-x64, osx-arm64, win-x64)", error.Diagnostic.Message);
        Assert.Contains("(A.csproj:9)", error.Diagnostic.Message);
    }

    [Fact]
    public void Different_versions_of_another_package_export_the_highest_with_a_warning()
    {
        _temp.WriteFile("A/A.csproj", RepositoryShapes.Program("A", """<PackageReference Include="TorchSharp-cpu" Version="0.107.0" /><PackageReference Include="Newtonsoft.Json" Version="13.0.1" />""", ""));
        _temp.WriteFile("B/B.csproj", RepositoryShapes.Program("B", """<PackageReference Include="TorchSharp-cpu" Version="0.107.0" /><PackageReference Include="Newtonsoft.Json" Version="13.0.3" />""", ""));

        var result = SpecExporter.Export(new ExportOptions { Project = _temp.Path });

        Assert.Contains("Newtonsoft.Json==13.0.3", Texts(ReadBack(result).Spec.DefaultVariant));
        var warning = Assert.Single(result.Warnings, w => w.Code == ExportMessages.DifferentVersionsDescriptor.Code);
        Assert.Contains("13.0.1", warning.Message);
    }

    [Fact]
    public void Projects_on_cuda_and_cpu_become_variants_and_a_torchsharp_only_library_follows_them()
    {
        RepositoryShapes.PerOsCudaOrCpu(_temp.Path, StackReferences.LinuxCpu);
        _temp.WriteFile("Layers/Layers.csproj", RepositoryShapes.Program("Layers", """<PackageReference Include="TorchSharp" Version="0.107.0" />""", ""));

        var result = SpecExporter.Export(new ExportOptions { Project = _temp.Path });
        var (spec, plans) = ReadBack(result);

        Assert.Equal(["cpu", "cuda"], spec.Variants.Select(v => v.Name));
        Assert.Equal(["linux-x64"], spec.FindVariant("cpu")!.Platforms);
        Assert.Equal(["win-x64"], spec.FindVariant("cuda")!.Platforms);
        Assert.Equal(["torchsharp==0.107.0", "libtorch==2.10.0", "cpu"], Texts(spec.FindVariant("cpu")!));
        Assert.Equal(["torchsharp==0.107.0", "cuda=12.8", "cudnn=9"], Texts(spec.FindVariant("cuda")!));
        Assert.Equal(["cpu/linux-x64", "cuda/win-x64"], plans.Select(p => $"{p.Variant}/{p.Platform}").Order());
    }

    [Fact]
    public void Versions_from_directory_build_props_properties_and_package_reference_update_are_honoured()
    {
        _temp.WriteFile("Directory.Build.props", """
            <Project>
              <PropertyGroup><TorchSharpVersion>0.107.0</TorchSharpVersion></PropertyGroup>
            </Project>
            """);
        _temp.WriteFile("Directory.Build.targets", """
            <Project>
              <ItemGroup>
                <PackageReference Update="TorchSharp-cpu" Version="$(TorchSharpVersion)" />
                <PackageReference Update="Spectre.Console" Version="0.57.2" />
              </ItemGroup>
            </Project>
            """);
        _temp.WriteFile("App/App.csproj", RepositoryShapes.Program("App", """<PackageReference Include="TorchSharp-cpu" /><PackageReference Include="Spectre.Console" />""", ""));

        var result = SpecExporter.Export(new ExportOptions { Project = _temp.Path, FromHistory = true });

        Assert.Equal(["torchsharp>=0.107.0", "cpu", "Spectre.Console>=0.57.2"], Texts(ReadBack(result).Spec.DefaultVariant));
        Assert.Empty(result.Warnings);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_restored_fsharp_project_exports_the_fsharp_core_the_fsharp_sdk_added_so_that_the_lock_supplies_it(bool restored)
    {
        RepositoryShapes.FSharpWithReferenceInDirectoryBuildProps(_temp.Path, StackReferences.LinuxCpu);
        _temp.WriteFile("Lib/Lib.csproj", RepositoryShapes.Program("Lib", """<PackageReference Include="TorchSharp" Version="0.107.0" />""", ""));
        if (restored)
        {
            // What restore writes for the F# project: its references plus the FSharp.Core the F# SDK adds.
            _temp.WriteFile("FsTrain/obj/project.assets.json", """
                { "version": 3, "targets": { "net10.0": {
                  "TorchSharp/0.107.0": { "type": "package" },
                  "libtorch-cpu-linux-x64/2.10.0": { "type": "package" },
                  "FSharp.Core/10.1.401": { "type": "package" } } } }
                """);
        }

        var result = SpecExporter.Export(new ExportOptions { Project = _temp.Path });

        var nuget = ReadBack(result).Spec.DefaultVariant.Dependencies.Where(d => d.Kind == DependencyKind.NuGet).Select(d => d.Text);
        Assert.Equal(restored ? ["FSharp.Core==10.1.401"] : [], nuget);
    }

    [Fact]
    public void A_solution_without_torchsharp_is_an_error_naming_the_solution()
    {
        RepositoryShapes.SolutionWithSharedUtility(_temp.Path, new StackReferences("", "", []), central: false);

        var error = Assert.Throws<TorchEnvException>(() => SpecExporter.Export(new ExportOptions { Project = _temp.Combine("Shapes.sln") }));

        Assert.Equal(ExportMessages.NoTorchSharpDescriptor.Code, error.Diagnostic.Code);
        Assert.Contains("Shapes.sln", error.Diagnostic.Message);
    }
}
