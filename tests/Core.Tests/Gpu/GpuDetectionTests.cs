using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Gpu;
using TorchEnv.Core.Stack;
using TorchEnv.TestSupport;

namespace TorchEnv.Core.Tests.Gpu;

public sealed class GpuDetectionTests : IDisposable
{
    private readonly TempDirectory _temp = new("torchenv-gpu-test");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_test_hook_file_is_the_report_doctor_and_auto_see()
    {
        var file = _temp.WriteFile("gpus.json", """{"driver": "570.86.15", "gpus": [{"name": "NVIDIA A100", "computeCapability": "8.0"}, {"name": "Tesla P40", "computeCapability": "6.1"}]}""");

        var report = GpuDetection.ForThisMachine(variable: file).Detect();

        Assert.Equal(("570.86.15", "TORCHENV_GPU_REPORT", $"TORCHENV_GPU_REPORT={file}"), (report.DriverVersion, report.DriverSource, report.Origin));
        Assert.Equal([new GpuDevice("NVIDIA A100", new ComputeCapability(8, 0)), new GpuDevice("Tesla P40", new ComputeCapability(6, 1))], report.Gpus);
    }

    [Fact]
    public void A_report_without_a_driver_is_a_machine_without_nvidia()
    {
        var report = GpuDetection.ReadReport(_temp.WriteFile("none.json", """{"driver": null, "gpus": []}"""));

        Assert.Equal((null, null, 0), (report.DriverVersion, report.DriverSource, report.Gpus.Count));
    }

    [Theory]
    [InlineData("""{"driver": "570.86.15", "gpus": [{"name": "X", "computeCapability": "eight"}]}""", "is not a compute capability such as 8.0", 1)]
    [InlineData("{\n  \"driver\": 570,\n}", "could not be converted", 2)]
    public void A_bad_report_file_is_TENV0381_at_the_file(string text, string problem, int line)
    {
        var file = _temp.WriteFile("bad.json", text);

        var error = Assert.Throws<TorchEnvException>(() => GpuDetection.ReadReport(file)).Diagnostic;

        Assert.Equal("TENV0381", error.Code);
        Assert.Equal((file, line), (error.Location!.File, error.Location.Line));
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_report_file_is_TENV0381_too() =>
        Assert.Equal("TENV0381", Assert.Throws<TorchEnvException>(() => GpuDetection.ReadReport(_temp.Combine("missing.json"))).Diagnostic.Code);

    [Fact]
    public void Nvidia_smi_lines_give_name_compute_capability_and_driver()
    {
        var result = NvidiaSmi.Parse("NVIDIA A100-SXM4-40GB, 8.0, 570.86.15\nNVIDIA GeForce RTX 4090, Founders, 8.9, 570.86.15\n");

        Assert.Equal([new GpuDevice("NVIDIA A100-SXM4-40GB", new ComputeCapability(8, 0)), new GpuDevice("NVIDIA GeForce RTX 4090, Founders", new ComputeCapability(8, 9))], result.Gpus);
        Assert.Equal(("570.86.15", null), (result.DriverVersion, result.Problem));
    }

    [Fact]
    public void An_old_nvidia_smi_without_compute_capabilities_says_so() =>
        Assert.Contains("no compute capability", NvidiaSmi.Parse("Tesla K80, [N/A], 470.256.02\n").Problem);

    [Fact]
    public void A_linux_machine_without_driver_files_is_not_asked_anything()
    {
        var detector = new HostGpuDetector(new NvidiaHost(_temp.Combine("empty-root"), null), () => throw new InvalidOperationException("nvidia-smi must not run"));

        var report = detector.Detect();

        Assert.Equal((null, 0, GpuDetection.ThisMachine), (report.DriverVersion, report.Gpus.Count, report.Origin));
    }
}
