using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Export;
using TorchEnv.Core.Spec;
using TorchEnv.Core.Stack;
using TorchEnv.TestSupport;

namespace TorchEnv.Core.Tests.Export;

/// <summary>
/// Export on the shapes real TorchSharp projects take. Every exported text is read back with the spec reader and
/// planned with the stack planner here, independently of the exporter's own check.
/// </summary>
public sealed class SpecExporterTests : IDisposable
{
    private const string NuGetConfig = """
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <clear />
            <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
          </packageSources>
        </configuration>
        """;

    private readonly TempDirectory _temp = new("torchenv-export");

    public SpecExporterTests() => _temp.WriteFile("NuGet.config", NuGetConfig);

    public void Dispose() => _temp.Dispose();

    private static (EnvironmentSpec Spec, IReadOnlyList<StackPlan> Plans) ReadBack(ExportResult result)
    {
        var spec = EnvironmentSpecReader.Parse(result.Text, result.OutputPath);
        return (spec, StackPlanner.PlanAll(spec));
    }

    private static string Csproj(string items, string properties = "<TargetFramework>net10.0</TargetFramework>") => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            {properties}
          </PropertyGroup>
          <ItemGroup>
            {items}
          </ItemGroup>
        </Project>
        """;

    private static string[] DependencyTexts(VariantSpec variant) => variant.Dependencies.Select(d => d.Text).ToArray();

    [Fact]
    public void Shape_bundle_package_TorchSharp_cpu_with_TorchVision_and_another_package()
    {
        var project = _temp.WriteFile("Mnist/Mnist.csproj", Csproj("""
            <PackageReference Include="TorchSharp-cpu" Version="0.107.0" />
            <PackageReference Include="TorchVision" Version="0.107.0" />
            <PackageReference Include="Spectre.Console" Version="0.57.2" />
            """));

        var result = SpecExporter.Export(new ExportOptions { Project = project });
        var (spec, plans) = ReadBack(result);

        Assert.Equal("mnist_torchsharp_cpu", spec.Name);
        Assert.Equal("nuget.org", Assert.Single(spec.Channels).Value);
        var variant = Assert.Single(spec.Variants);
        Assert.Equal(["linux-x64", "osx-arm64", "win-x64"], variant.Platforms);
        Assert.Equal(["torchsharp==0.107.0", "cpu", "torchvision==0.107.0", "Spectre.Console==0.57.2"], DependencyTexts(variant));
        Assert.Equal("net10.0", variant.Framework.GetShortFolderName());
        Assert.All(plans, p => Assert.Equal(ComputeDevice.Cpu, p.Device));
        // Never restored: the declared versions, and a warning that says so.
        Assert.Equal(ExportMessages.NotRestoredDescriptor.Code, Assert.Single(result.Warnings).Code);
        Assert.Contains("# TorchSharp-cpu 0.107.0 (Mnist.csproj:7)", result.Text);
    }

    [Fact]
    public void Shape_bundle_package_from_history_keeps_nuget_minimum_versions_as_ranges()
    {
        var project = _temp.WriteFile("Mnist/Mnist.csproj", Csproj("""
            <PackageReference Include="TorchSharp-cpu" Version="0.107.0" />
            <PackageReference Include="Spectre.Console" Version="0.57.*" />
            <PackageReference Include="Humanizer.Core" Version="[2.14.1,3.0)" />
            """));

        var result = SpecExporter.Export(new ExportOptions { Project = project, FromHistory = true });
        var (spec, _) = ReadBack(result);

        Assert.Equal(["torchsharp>=0.107.0", "cpu", "Spectre.Console=0.57.*", "Humanizer.Core>=2.14.1,<3.0.0"], DependencyTexts(spec.DefaultVariant));
        Assert.Empty(result.Warnings);
        Assert.True(result.FromHistory);
    }

    [Fact]
    public void Shape_central_package_management_with_versions_from_properties_and_a_cuda_bundle()
    {
        _temp.WriteFile("Directory.Build.props", """
            <Project>
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <TorchSharpVersion>0.107.0</TorchSharpVersion>
              </PropertyGroup>
            </Project>
            """);
        _temp.WriteFile("Directory.Packages.props", """
            <Project>
              <PropertyGroup>
                <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>
              </PropertyGroup>
              <ItemGroup>
                <PackageVersion Include="TorchSharp-cuda-linux" Version="$(TorchSharpVersion)" />
                <PackageVersion Include="Spectre.Console" Version="0.50.0" />
                <PackageVersion Include="Unused.Package" Version="1.0.0" />
              </ItemGroup>
            </Project>
            """);
        var project = _temp.WriteFile("src/Train/Train.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup>
                <PackageReference Include="TorchSharp-cuda-linux" />
                <PackageReference Include="Spectre.Console" VersionOverride="0.57.2" />
              </ItemGroup>
            </Project>
            """);

        var result = SpecExporter.Export(new ExportOptions { Project = Path.GetDirectoryName(project)! });
        var (spec, plans) = ReadBack(result);

        Assert.Equal("train_torchsharp_cuda", spec.Name);
        var variant = Assert.Single(spec.Variants);
        Assert.Equal("cuda", variant.Name);
        Assert.Equal(["linux-x64"], variant.Platforms);
        Assert.Equal(["torchsharp==0.107.0", "cuda=12.8", "cudnn=9", "Spectre.Console==0.57.2"], DependencyTexts(variant));
        var plan = Assert.Single(plans);
        Assert.Equal((ComputeDevice.Cuda, "12.8"), (plan.Device, plan.Cuda));
        Assert.Contains(plan.Candidates[0].Roots, r => r.Id == "libtorch-cuda-12.8-linux-x64");
    }

    [Fact]
    public void Shape_conditions_by_operating_system_become_a_cpu_and_a_cuda_variant()
    {
        var project = _temp.WriteFile("Detector/Detector.csproj", Csproj("""
            <PackageReference Include="TorchSharp-cuda-windows" Version="0.107.0" Condition="$([MSBuild]::IsOSPlatform('Windows'))" />
            <PackageReference Include="TorchSharp-cpu" Version="0.107.0" Condition="'$(OS)' != 'Windows_NT'" />
            <PackageReference Include="System.Drawing.Common" Version="9.0.0" Condition="'$(OS)' == 'Windows_NT'" />
            """));

        var result = SpecExporter.Export(new ExportOptions { Project = project });
        var (spec, plans) = ReadBack(result);

        Assert.Equal("detector_torchsharp_multi", spec.Name);
        Assert.Equal(["cpu", "cuda"], spec.Variants.Select(v => v.Name));
        Assert.Equal(["linux-x64", "osx-arm64"], spec.FindVariant("cpu")!.Platforms);
        Assert.Equal(["win-x64"], spec.FindVariant("cuda")!.Platforms);
        Assert.Equal(["torchsharp==0.107.0", "cpu"], DependencyTexts(spec.FindVariant("cpu")!));
        Assert.Equal(["torchsharp==0.107.0", "cuda=12.8", "cudnn=9", "System.Drawing.Common==9.0.0"], DependencyTexts(spec.FindVariant("cuda")!));
        Assert.Equal(3, plans.Count);
        Assert.Equal(ComputeDevice.Cuda, plans.Single(p => p.Platform == "win-x64").Device);
    }

    [Fact]
    public void Shape_choose_when_by_runtime_identifier_with_libtorch_packages_directly()
    {
        var project = _temp.WriteFile("Seg/Seg.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <RuntimeIdentifiers>linux-x64;win-x64</RuntimeIdentifiers>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="TorchSharp" Version="[0.107.0]" />
              </ItemGroup>
              <Choose>
                <When Condition="'$(RuntimeIdentifier)' == 'linux-x64'">
                  <ItemGroup>
                    <PackageReference Include="libtorch-cuda-12.8-linux-x64" Version="2.10.0" />
                  </ItemGroup>
                </When>
                <Otherwise>
                  <ItemGroup>
                    <PackageReference Include="libtorch-cpu-win-x64" Version="2.10.0" Condition="$(RuntimeIdentifier.StartsWith('win'))" />
                  </ItemGroup>
                </Otherwise>
              </Choose>
            </Project>
            """);

        var result = SpecExporter.Export(new ExportOptions { Project = project, FromHistory = true });
        var (spec, plans) = ReadBack(result);

        Assert.Equal(["win-x64"], spec.FindVariant("cpu")!.Platforms);
        Assert.Equal(["linux-x64"], spec.FindVariant("cuda")!.Platforms);
        Assert.Equal(["torchsharp==0.107.0", "libtorch>=2.10.0", "cuda=12.8"], DependencyTexts(spec.FindVariant("cuda")!));
        Assert.Equal(["torchsharp==0.107.0", "libtorch>=2.10.0", "cpu"], DependencyTexts(spec.FindVariant("cpu")!));
        Assert.Equal(["cpu/win-x64", "cuda/linux-x64"], plans.Select(p => p.Variant + "/" + p.Platform).Order());
    }

    [Fact]
    public void Shape_multi_targeting_with_global_json_exports_the_newest_framework_and_the_sdk_policy()
    {
        _temp.WriteFile("global.json", """{ "sdk": { "version": "10.0.100", "rollForward": "latestFeature" } }""");
        var project = _temp.WriteFile("Lib/Lib.csproj", Csproj(
            """
            <PackageReference Include="TorchSharp-cpu" Version="0.107.0" />
            <PackageReference Include="TorchVision" Version="0.107.0" />
            <PackageReference Include="Microsoft.Extensions.Logging" Version="9.0.0" Condition="'$(Configuration)' == 'Debug'" />
            """,
            "<TargetFrameworks>net8.0;net10.0;netstandard2.0</TargetFrameworks>"));

        var result = SpecExporter.Export(new ExportOptions { Project = project, FromHistory = true });
        var (spec, _) = ReadBack(result);

        Assert.Equal("net10.0", spec.DefaultVariant.Framework.GetShortFolderName());
        Assert.Equal("dotnet-sdk>=10.0.100,<10.1", spec.DefaultVariant.Find(DependencyKind.DotnetSdk)!.Text);
        Assert.Contains(result.Warnings, w => w.Code == ExportMessages.SeveralFrameworksDescriptor.Code);
        var condition = Assert.Single(result.Warnings, w => w.Code == ExportMessages.UnknownConditionDescriptor.Code);
        var line = File.ReadAllLines(project)[condition.Location!.Line - 1];
        Assert.Equal(line.IndexOf("Condition=", StringComparison.Ordinal) + 1, condition.Location.Column);
        Assert.Contains("Microsoft.Extensions.Logging", line);
        Assert.Contains("Microsoft.Extensions.Logging>=9.0.0", DependencyTexts(spec.DefaultVariant));
    }

    [Fact]
    public void The_output_is_written_beside_the_project_and_not_overwritten_without_force()
    {
        var project = _temp.WriteFile("App/App.csproj", Csproj("<PackageReference Include=\"TorchSharp-cpu\" Version=\"0.107.0\" />"));
        var result = SpecExporter.Export(new ExportOptions { Project = project });

        SpecExporter.Write(result, force: false);
        var error = Assert.Throws<TorchEnvException>(() => SpecExporter.Write(result, force: false));

        Assert.Equal(_temp.Combine("App", "environment.yml"), result.OutputPath);
        Assert.Equal(result.Text, File.ReadAllText(result.OutputPath));
        Assert.Equal("TENV0590", error.Diagnostic.Code);
        Assert.Equal(result.OutputPath, EnvironmentSpecReader.Read(result.OutputPath).FilePath);
    }

    [Fact]
    public void A_project_without_torchsharp_is_an_error_that_says_what_was_looked_for()
    {
        var project = _temp.WriteFile("Web/Web.csproj", Csproj("<PackageReference Include=\"Spectre.Console\" Version=\"0.57.2\" />"));

        var error = Assert.Throws<TorchEnvException>(() => SpecExporter.Export(new ExportOptions { Project = project }));

        Assert.Equal(ExportMessages.NoTorchSharpDescriptor.Code, error.Diagnostic.Code);
        Assert.Contains("TorchSharp-cpu", error.Diagnostic.Message);
    }

    [Fact]
    public void Malformed_project_xml_is_an_error_at_its_line_and_column()
    {
        var project = _temp.WriteFile("Bad/Bad.csproj", "<Project>\n  <ItemGroup>\n    <PackageReference Include=\"TorchSharp-cpu\" Version=\"0.107.0\">\n  </ItemGroup>\n</Project>\n");

        var error = Assert.Throws<TorchEnvException>(() => SpecExporter.Export(new ExportOptions { Project = project }));

        Assert.Equal(ExportMessages.MalformedFileDescriptor.Code, error.Diagnostic.Code);
        Assert.Equal((project, 4), (error.Diagnostic.Location!.File, error.Diagnostic.Location.Line));
    }

    [Fact]
    public void A_cpu_and_a_cuda_runtime_on_one_platform_is_an_error_at_the_reference()
    {
        var project = _temp.WriteFile("Both/Both.csproj", Csproj("""
            <PackageReference Include="TorchSharp-cpu" Version="0.107.0" />
            <PackageReference Include="TorchSharp-cuda-linux" Version="0.107.0" />
            """));

        var error = Assert.Throws<TorchEnvException>(() => SpecExporter.Export(new ExportOptions { Project = project }));

        Assert.Equal(ExportMessages.TwoRuntimesDescriptor.Code, error.Diagnostic.Code);
        Assert.Contains("linux-x64", error.Diagnostic.Message);
        Assert.Equal(8, error.Diagnostic.Location!.Line);
    }

    [Fact]
    public void A_folder_without_any_project_is_an_error_that_says_where_it_looked()
    {
        _temp.WriteFile("Empty/bin/Old.csproj", Csproj("<PackageReference Include=\"TorchSharp-cpu\" Version=\"0.107.0\" />"));

        var error = Assert.Throws<TorchEnvException>(() => SpecExporter.Export(new ExportOptions { Project = _temp.Combine("Empty") }));

        Assert.Equal(ExportMessages.ProjectNotFoundDescriptor.Code, error.Diagnostic.Code);
        Assert.Contains("at or below", error.Diagnostic.Message);
    }
}
