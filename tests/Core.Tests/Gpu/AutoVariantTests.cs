using TorchEnv.Core.Gpu;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Stack;
using TorchEnv.Core.Tests.Ops;

namespace TorchEnv.Core.Tests.Gpu;

public sealed class AutoVariantTests
{
    private static readonly EnvironmentLock CpuAndCuda = OpsLocks.Lock("x_torchsharp_cpu", OpsLocks.Cpu(), OpsLocks.Cuda());

    private static IGpuDetector Machine(string? driver, params (string Name, string? Capability)[] gpus) =>
        new FixedGpuDetector(new GpuReport(driver, driver is null ? null : "/proc/driver/nvidia/version",
            gpus.Select(g => new GpuDevice(g.Name, ComputeCapability.TryParse(g.Capability))).ToList(), null, GpuDetection.ThisMachine));

    private static VariantChoice Choose(IGpuDetector machine, EnvironmentLock? lockFile = null, string platform = "linux-x64") =>
        AutoVariant.Choose(lockFile ?? CpuAndCuda, platform, "linux-x64", machine)!;

    [Fact]
    public void A_new_enough_driver_and_a_supported_gpu_choose_cuda_and_say_so()
    {
        var choice = Choose(Machine("570.86.15", ("NVIDIA A100-SXM4-40GB", "8.0")));

        Assert.Equal("cuda", choice.Variant);
        Assert.Equal("NVIDIA driver 570.86.15 (≥ 525.60.13) and NVIDIA A100-SXM4-40GB (compute capability 8.0), which libtorch 2.10.0 (CUDA 12.8) has kernels for", choice.Reason);
    }

    [Fact]
    public void No_driver_chooses_cpu()
    {
        var choice = Choose(Machine(null));

        Assert.Equal(("cpu", "no NVIDIA driver was found"), (choice.Variant, choice.Reason));
    }

    [Fact]
    public void A_driver_older_than_the_lock_needs_chooses_cpu_naming_both_versions()
    {
        var choice = Choose(Machine("470.256.02", ("Tesla T4", "7.5")));

        Assert.Equal("cpu", choice.Variant);
        Assert.Equal("the NVIDIA driver 470.256.02 is older than libtorch 2.10.0 (CUDA 12.8) needs (525.60.13 or newer)", choice.Reason);
    }

    [Fact]
    public void A_gpu_without_kernels_in_the_locked_libtorch_chooses_cpu_naming_the_gpu()
    {
        var choice = Choose(Machine("570.86.15", ("Tesla P40", "6.1")));

        Assert.Equal("cpu", choice.Variant);
        Assert.StartsWith("Tesla P40 (compute capability 6.1): libtorch 2.10.0 (CUDA 12.8) has no kernels for it", choice.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void One_supported_gpu_of_two_is_enough_for_cuda()
    {
        var choice = Choose(Machine("570.86.15", ("Tesla P40", "6.1"), ("NVIDIA L4", "8.9")));

        Assert.Equal("cuda", choice.Variant);
        Assert.Contains("NVIDIA L4 (compute capability 8.9)", choice.Reason);
    }

    [Fact]
    public void A_gpu_of_unknown_compute_capability_is_not_taken_to_run_cuda()
    {
        var choice = Choose(Machine("570.86.15", ("Tesla V100", null)));

        Assert.Equal("cpu", choice.Variant);
        Assert.Contains("compute capability of Tesla V100 could not be read", choice.Reason);
    }

    [Fact]
    public void Another_platform_than_this_host_never_looks_at_the_gpus()
    {
        var lockFile = OpsLocks.Lock("x", OpsLocks.Cpu("win-x64"), OpsLocks.Cuda("win-x64"));

        var choice = Choose(new ThrowingDetector(), lockFile, "win-x64");

        Assert.Equal("cpu", choice.Variant);
        Assert.Contains("the build is for win-x64, not this machine (linux-x64)", choice.Reason);
    }

    [Fact]
    public void A_lock_without_a_cuda_variant_takes_its_first_variant_without_detection()
    {
        var choice = Choose(new ThrowingDetector(), OpsLocks.Lock("x", OpsLocks.Cpu(variant: "small"), OpsLocks.Cpu(variant: "big")));

        Assert.Equal(("small", "the lock has no CUDA variant for linux-x64"), (choice.Variant, choice.Reason));
    }

    [Fact]
    public void A_lock_with_only_a_cuda_variant_builds_it_even_without_a_gpu_and_says_so()
    {
        var choice = Choose(Machine(null), OpsLocks.Lock("x", OpsLocks.Cuda()));

        Assert.Equal("cuda", choice.Variant);
        Assert.EndsWith("the lock has no CPU variant, so 'cuda' is built anyway", choice.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_platform_the_lock_lacks_gives_no_choice() =>
        Assert.Null(AutoVariant.Choose(CpuAndCuda, "osx-arm64", "osx-arm64", Machine(null)));

    [Theory]
    [InlineData("auto", true)]
    [InlineData(" Auto ", true)]
    [InlineData("cuda", false)]
    [InlineData(null, false)]
    public void Only_auto_asks_for_the_choice(string? variant, bool auto) => Assert.Equal(auto, AutoVariant.IsAuto(variant));

    private sealed class ThrowingDetector : IGpuDetector
    {
        public GpuReport Detect() => throw new InvalidOperationException("the GPUs must not be looked at");
    }
}
