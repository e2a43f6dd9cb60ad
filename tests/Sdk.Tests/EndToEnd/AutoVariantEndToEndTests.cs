using TorchEnv.Core.Gpu;
using TorchEnv.TestSupport;
using TorchEnv.TestSupport.EndToEnd;

namespace TorchEnv.Sdk.Tests.EndToEnd;

/// <summary>
/// <c>TorchEnvVariant=auto</c> in a real <c>dotnet msbuild -restore</c> of a project whose lock has a CPU and a CUDA
/// variant (CUDA from the fixture feed): the real machine (no NVIDIA here), then GPU machines faked through the
/// <c>TORCHENV_GPU_REPORT</c> test hook; an explicit variant always wins.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class AutoVariantEndToEndTests(SdkEndToEndFixture fixture)
{
    private TestProject CreateProject()
    {
        var project = fixture.CreateProject("auto-variant");
        CudaFixtureFeed.Build(new LocalFeed(project.PathOf("cuda-feed")), new CudaFixtureOptions { Windows = false });
        project.WriteProject($"TorchEnv.Sdk/{fixture.SdkVersion}", SdkEndToEndFixture.ProjectBody());
        project.WriteFile("Program.cs", "System.Console.WriteLine(E2eApp.TorchEnvironment.Device);\n");
        project.WriteFile("environment.yml", """
            name: e2e_net10_auto
            channels: [nuget.org, ./cuda-feed]
            platforms: [linux-x64]
            dependencies:
              - torchsharp=0.107.0
            variants:
              cpu:
                dependencies: [cpu]
              cuda:
                dependencies: [cuda=12.8, cudnn=9]

            """);
        return project;
    }

    /// <summary>Restores and generates only (the tiny CUDA files are not meant to load); returns the output and the generated variant.</summary>
    private static (DotNetResult Result, string Variant) Restore(TestProject project, string? gpuReport, string variant = "auto")
    {
        var result = project.Dotnet(new Dictionary<string, string?> { [GpuDetection.ReportVariable] = gpuReport },
            "msbuild", "-nologo", "-v:n", "-restore", "-t:GenerateTorchEnvironment", $"-p:TorchEnvVariant={variant}");
        Assert.True(result.Succeeded, result.ToString());
        var generated = File.ReadAllText(Directory.GetFiles(project.PathOf("obj"), "*.TorchEnvironment.g.cs", SearchOption.AllDirectories).Single());
        var line = generated.Split('\n').Single(l => l.Contains("public const string Variant = ", StringComparison.Ordinal));
        return (result, line.Split('"')[1]);
    }

    private static string Report(TestProject project, string name, string text) => project.WriteFile(name, text);

    [Fact]
    public void Auto_builds_cpu_on_this_machine_cuda_on_a_faked_gpu_machine_and_cpu_when_the_gpu_or_driver_is_too_old()
    {
        var project = CreateProject();

        var here = Restore(project, gpuReport: null);
        if (!File.Exists("/proc/driver/nvidia/version"))
        {
            Assert.Equal("cpu", here.Variant);
            Assert.Contains("TorchEnvVariant=auto chose 'cpu': no NVIDIA driver was found.", here.Result.Output, StringComparison.Ordinal);
        }

        var a100 = Restore(project, Report(project, "a100.json", """{"driver": "570.86.15", "gpus": [{"name": "NVIDIA A100-SXM4-40GB", "computeCapability": "8.0"}]}"""));
        Assert.Equal("cuda", a100.Variant);
        Assert.Contains("TorchEnvVariant=auto chose 'cuda': NVIDIA driver 570.86.15 (≥ 525.60.13) and NVIDIA A100-SXM4-40GB (compute capability 8.0), which libtorch 2.10.0 (CUDA 12.8) has kernels for", a100.Result.Output, StringComparison.Ordinal);
        Assert.Contains("libtorch-cuda-12.8-linux-x64/2.10.0", project.RestoredPackages());

        var pascal = Restore(project, Report(project, "p40.json", """{"driver": "570.86.15", "gpus": [{"name": "Tesla P40", "computeCapability": "6.1"}]}"""));
        Assert.Equal("cpu", pascal.Variant);
        Assert.Contains("TorchEnvVariant=auto chose 'cpu': Tesla P40 (compute capability 6.1): libtorch 2.10.0 (CUDA 12.8) has no kernels for it", pascal.Result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(project.RestoredPackages(), p => p.StartsWith("libtorch-cuda", StringComparison.OrdinalIgnoreCase));

        var oldDriver = Restore(project, Report(project, "old-driver.json", """{"driver": "470.256.02", "gpus": [{"name": "NVIDIA A100-SXM4-40GB", "computeCapability": "8.0"}]}"""));
        Assert.Equal("cpu", oldDriver.Variant);
        Assert.Contains("the NVIDIA driver 470.256.02 is older than libtorch 2.10.0 (CUDA 12.8) needs (525.60.13 or newer)", oldDriver.Result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_named_variant_wins_over_the_gpus_so_ci_can_pin_it()
    {
        var project = CreateProject();
        var a100 = Report(project, "a100.json", """{"driver": "570.86.15", "gpus": [{"name": "NVIDIA A100-SXM4-40GB", "computeCapability": "8.0"}]}""");

        var pinned = Restore(project, a100, variant: "cpu");

        Assert.Equal("cpu", pinned.Variant);
        Assert.DoesNotContain("TorchEnvVariant=auto", pinned.Result.Output, StringComparison.Ordinal);
    }
}
