using TorchEnv.Core.Export;
using TorchEnv.Core.Spec;
using TorchEnv.Core.Stack;

namespace TorchEnv.Core.Tests.Export;

/// <summary>Export of a project that was really restored: the pins are what restore chose, not what the project says.</summary>
[Trait("Category", "Integration")]
public sealed class RestoredExportTests(RestoredProjectFixture fixture) : IClassFixture<RestoredProjectFixture>
{
    [Fact]
    public void Shape_restored_project_with_libtorch_directly_exports_the_restored_versions_the_sdk_and_its_runtime_identifier()
    {
        var result = SpecExporter.Export(new ExportOptions { Project = fixture.ProjectPath, Output = Path.Combine(fixture.Folder, "exact.yml") });
        var spec = EnvironmentSpecReader.Parse(result.Text, result.OutputPath);
        var plan = Assert.Single(StackPlanner.PlanAll(spec));

        Assert.Equal(Path.Combine(fixture.Folder, "obj", "project.assets.json"), result.AssetsPath);
        Assert.Empty(result.Warnings);
        var variant = Assert.Single(spec.Variants);
        Assert.Equal(["linux-x64"], variant.Platforms);
        // Version="0.*" floated to what restore chose; the SDK is the one that restored.
        var sdk = variant.Find(DependencyKind.DotnetSdk)!;
        Assert.True(sdk.IsExactPin);
        Assert.StartsWith("dotnet-sdk==10.0.", sdk.Text);
        Assert.Equal(["torchsharp==0.107.0", "libtorch==2.10.0", "cpu", "Spectre.Console==0.57.2"], variant.Dependencies.Skip(1).Select(d => d.Text));
        Assert.Equal(ComputeDevice.Cpu, plan.Device);
        Assert.Contains("restored 0.107.0", result.Text);
    }

    [Fact]
    public void From_history_ignores_the_assets_and_keeps_the_floating_version()
    {
        var result = SpecExporter.Export(new ExportOptions { Project = fixture.ProjectPath, Output = Path.Combine(fixture.Folder, "history.yml"), FromHistory = true });
        var spec = EnvironmentSpecReader.Parse(result.Text, result.OutputPath);

        Assert.Null(result.AssetsPath);
        Assert.Null(spec.DefaultVariant.Find(DependencyKind.DotnetSdk));
        Assert.Equal(["torchsharp=0.*", "libtorch>=2.10.0", "cpu", "Spectre.Console==0.57.2"], spec.DefaultVariant.Dependencies.Select(d => d.Text));
        Assert.NotEmpty(StackPlanner.PlanAll(spec));
    }
}
