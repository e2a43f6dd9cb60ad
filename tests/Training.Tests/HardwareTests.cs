using TorchEnv.Training.Amp;
using TorchEnv.Training.Data;
using TorchEnv.Training.Hardware;
using static TorchSharp.torch;

namespace TorchEnv.Training.Tests;

// torch.CUDA would initialise the CUDA backend; a Device value does not (there is no GPU here).

public sealed class HardwareTests
{
    private static readonly Device Cuda = new(TorchSharp.DeviceType.CUDA);

    private const string TwoSocketsWithHyperThreads = """
        processor	: 0
        model name	: Test Xeon
        physical id	: 0
        core id		: 0
        flags		: fpu avx2 avx512f avx512_bf16
        processor	: 1
        model name	: Test Xeon
        physical id	: 0
        core id		: 0
        flags		: fpu avx2 avx512f avx512_bf16
        processor	: 2
        physical id	: 1
        core id		: 0
        processor	: 3
        physical id	: 1
        core id		: 1
        """;

    [Fact]
    public void Physical_cores_count_distinct_sockets_and_cores()
    {
        var cpu = CpuInfo.Parse(TwoSocketsWithHyperThreads, logicalProcessors: 4);
        Assert.Equal(3, cpu.PhysicalCores);
        Assert.Equal("Test Xeon", cpu.ModelName);
        Assert.True(cpu.HasNativeBFloat16);
    }

    [Fact]
    public void A_container_limit_caps_the_cores()
    {
        Assert.Equal(2, CpuInfo.Parse(TwoSocketsWithHyperThreads, logicalProcessors: 2).PhysicalCores);
        Assert.Equal(6, CpuInfo.Parse("processor : 0\nflags : sse\n", logicalProcessors: 6).PhysicalCores);
    }

    [Theory]
    [InlineData(2, 2, false, 1)]    // this machine training on the CPU: still one worker
    [InlineData(16, 16, false, 1)]  // a CPU run that uses every core for compute
    [InlineData(16, 8, false, 4)]   // fewer compute threads leave room: floor(12) - 8
    [InlineData(16, 16, true, 11)]  // CUDA: floor(0.75 * 16) - 1 launching thread
    [InlineData(1, 1, true, 1)]
    public void The_default_worker_count_follows_the_documented_formula(int cores, int computeThreads, bool cuda, int expected)
    {
        var cpu = new CpuInfo("test", cores, new HashSet<string>());
        Assert.Equal(expected, WorkerCount.Default(cuda ? Cuda : CPU, cpu, computeThreads));
    }

    [Fact]
    public void Auto_precision_is_bf16_only_where_the_cpu_computes_it()
    {
        var native = new CpuInfo("bf16 CPU", 8, new HashSet<string> { "amx_bf16" });
        var emulated = new CpuInfo("old CPU", 8, new HashSet<string> { "avx2" });

        Assert.Equal(ScalarType.BFloat16, MixedPrecisionPlan.Resolve(CPU, AmpMode.Auto, native).Dtype);
        Assert.Null(MixedPrecisionPlan.Resolve(CPU, AmpMode.Auto, emulated).Dtype);
        var forced = MixedPrecisionPlan.Resolve(CPU, AmpMode.BFloat16, emulated);
        Assert.Equal(ScalarType.BFloat16, forced.Dtype);
        Assert.StartsWith("warning TENV0610", forced.Warning);
        Assert.False(forced.UsesGradScaler);

        var cuda = MixedPrecisionPlan.Resolve(Cuda, AmpMode.Auto, emulated);
        Assert.Equal(ScalarType.Float16, cuda.Dtype);
        Assert.True(cuda.UsesGradScaler);
        Assert.True(MixedPrecisionPlan.Resolve(CPU, AmpMode.Float16, emulated).UsesGradScaler);
    }
}
