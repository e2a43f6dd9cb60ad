using TorchEnv.Core.Export;
using TorchEnv.Core.Spec;
using TorchEnv.Core.Stack;
using TorchEnv.TestSupport;
using TorchEnv.TestSupport.Adoption;

namespace TorchEnv.Core.Tests.Export;

/// <summary>
/// The CUDA version of an exported CUDA bundle comes from the stack-matrix row of the TorchSharp version found: for every
/// release the matrix knows (first and last of each row), on Linux and Windows, a project referencing that TorchSharp's
/// CUDA package exports the row's <c>cuda=</c> and <c>cudnn=</c>, and the result plans.
/// </summary>
public sealed class CudaRowExportTests : IDisposable
{
    private readonly TempDirectory _temp = new("torchenv-export-cuda");

    public CudaRowExportTests() => _temp.WriteFile("NuGet.config", RepositoryShapes.NuGetOrgConfig);

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string, string> Releases()
    {
        var data = new TheoryData<string, string>();
        foreach (var row in StackMatrix.Rows)
        {
            foreach (var version in new[] { row.TorchSharp.MinVersion!, row.TorchSharp.MaxVersion! }.Distinct())
            {
                data.Add(version.ToNormalizedString(), "TorchSharp-cuda-linux");
                data.Add(version.ToNormalizedString(), "TorchSharp-cuda-windows");
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Releases))]
    public void A_cuda_bundle_exports_the_cuda_and_cudnn_of_its_torchsharp_row(string version, string bundle)
    {
        var row = StackMatrix.RowOf(NuGet.Versioning.NuGetVersion.Parse(version))!;
        var project = _temp.WriteFile($"{bundle}-{version}/Train.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup>
              <ItemGroup><PackageReference Include="{bundle}" Version="{version}" /></ItemGroup>
            </Project>
            """);

        var result = SpecExporter.Export(new ExportOptions { Project = project });
        var spec = EnvironmentSpecReader.Parse(result.Text, result.OutputPath);
        var plan = Assert.Single(StackPlanner.PlanAll(spec));

        var variant = Assert.Single(spec.Variants);
        Assert.Equal($"cuda={row.Cuda}", variant.Find(DependencyKind.Cuda)!.Text);
        Assert.Equal($"cudnn={row.CudnnMajor}", variant.Find(DependencyKind.Cudnn)!.Text);
        Assert.Equal($"torchsharp=={version}", variant.Find(DependencyKind.TorchSharp)!.Text);
        Assert.Equal((ComputeDevice.Cuda, row.Cuda), (plan.Device, plan.Cuda));
        Assert.Equal(row.LibTorch, plan.Candidates[0].Row.LibTorch);
    }

    [Theory]
    [InlineData("[0.105.0,0.106.0)", "12.1")]
    [InlineData("0.105.*", "12.8")]
    [InlineData("0.102.1", "12.1")]
    public void A_declared_range_takes_the_row_restore_would_pick(string declared, string cuda)
    {
        Assert.Equal(cuda, ProjectAnalysis.DeclaredRow(declared)!.Cuda);
    }
}
