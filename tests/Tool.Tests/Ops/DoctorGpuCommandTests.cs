using System.Text.Json;
using TorchEnv.Core.Gpu;
using TorchEnv.Core.Lock;
using TorchEnv.TestSupport;
using TorchEnv.Tool.Cli;

namespace TorchEnv.Tool.Tests.Ops;

/// <summary>
/// <c>torchenv doctor</c> on GPU machines faked through the <c>TORCHENV_GPU_REPORT</c> test hook: a GPU the locked
/// libtorch has no kernels for fails the <c>gpu</c> check with TENV0380 and its fix, a supported one passes, and
/// <c>--variant auto</c> says which variant it checks and why.
/// </summary>
public sealed class DoctorGpuCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new("torchenv-doctor-gpu");

    public DoctorGpuCommandTests()
    {
        LockedEnvironment Entry(string variant, string device) => new()
        {
            Variant = variant, Platform = "linux-x64", SpecHash = "sha256:" + new string('0', 64), Framework = "net10.0",
            Stack = new LockedStack
            {
                TorchSharp = "0.107.0", LibTorch = "2.10.0", Device = device, Cuda = device == "cuda" ? "12.8" : null,
                CudaArchitectures = device == "cuda" ? ["sm_70", "sm_75", "sm_80", "sm_86", "sm_90", "sm_100", "sm_120"] : [],
            },
            Host = new HostRequirements { NvidiaDriver = device == "cuda" ? "525.60.13" : null },
            Packages = [],
        };

        LockFileWriter.Write(_temp.Combine(LockFileWriter.DefaultFileName), new EnvironmentLock
        {
            FormatVersion = EnvironmentLock.CurrentFormatVersion,
            ToolVersion = "0.1.0-test",
            Name = "gpu_torchsharp_cpu",
            Environments = [Entry("cpu", "cpu"), Entry("cuda", "cuda")],
        });
    }

    public void Dispose() => _temp.Dispose();

    private ToolRun Doctor(string gpu, string variant)
    {
        var report = _temp.WriteFile($"gpu-{gpu}.json", $$"""{"driver": "570.86.15", "gpus": [{"name": "Tesla X", "computeCapability": "{{gpu}}"}]}""");
        return ToolRunner.Run(_temp.Path, new Dictionary<string, string> { [GpuDetection.ReportVariable] = report, ["NUGET_PACKAGES"] = _temp.Combine("packages") },
            "doctor", "--variant", variant, "--json");
    }

    private static JsonElement Check(JsonElement result, string id) =>
        result.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("id").GetString() == id);

    [Fact]
    public void A_faked_6_1_gpu_fails_the_gpu_check_with_TENV0380_and_names_the_fix()
    {
        var run = Doctor("6.1", "cuda");

        run.AssertExit(ExitCodes.CheckFailed);
        using var document = JsonDocument.Parse(run.Out);
        var gpu = Check(document.RootElement.GetProperty("result"), "gpu");
        Assert.Equal("fail", gpu.GetProperty("status").GetString());
        Assert.StartsWith("1: Tesla X (compute capability 6.1) (from TORCHENV_GPU_REPORT=", gpu.GetProperty("found").GetString(), StringComparison.Ordinal);
        Assert.Contains("torchsharp==0.105.1 with cuda=12.1", gpu.GetProperty("fix").GetString(), StringComparison.Ordinal);
        Assert.Contains("error TENV0380: Tesla X (compute capability 6.1): libtorch 2.10.0 (CUDA 12.8) has kernels for sm_70", run.Error, StringComparison.Ordinal);
        Assert.Equal("pass", Check(document.RootElement.GetProperty("result"), "nvidia-driver").GetProperty("status").GetString());
    }

    [Fact]
    public void A_faked_8_0_gpu_passes_the_gpu_check()
    {
        var run = Doctor("8.0", "cuda");

        using var document = JsonDocument.Parse(run.Out);
        var gpu = Check(document.RootElement.GetProperty("result"), "gpu");
        Assert.Equal("pass", gpu.GetProperty("status").GetString());
        Assert.DoesNotContain("TENV0380", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("8.0", "cuda")]
    [InlineData("6.1", "cpu")]
    public void Variant_auto_checks_the_variant_the_build_would_choose_and_says_why(string gpu, string chosen)
    {
        var run = Doctor(gpu, "auto");

        using var document = JsonDocument.Parse(run.Out);
        var result = document.RootElement.GetProperty("result");
        Assert.Equal(chosen, result.GetProperty("variant").GetString());
        Assert.Contains($"--variant auto chose '{chosen}': ", run.Error, StringComparison.Ordinal);
        Assert.Contains("Tesla X (compute capability " + gpu + ")", result.GetProperty("variantReason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Why_takes_variant_auto_too()
    {
        var report = _temp.WriteFile("none.json", """{"driver": null, "gpus": []}""");

        var run = ToolRunner.Run(_temp.Path, new Dictionary<string, string> { [GpuDetection.ReportVariable] = report }, "why", "TorchSharp", "--variant", "auto", "--frozen");

        Assert.Contains("--variant auto chose 'cpu': no NVIDIA driver was found", run.Error, StringComparison.Ordinal);
    }
}
