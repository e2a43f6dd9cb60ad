using TorchEnv.Training.Diagnostics;
using TorchEnv.Training.Hardware;

namespace TorchEnv.Training.Tests;

[Trait("Category", "Integration")]
[Collection(TorchCollection.Name)]
public sealed class TrainingDeviceTests
{
    [Fact]
    public void Cuda_without_a_usable_gpu_is_TENV0615_naming_the_locked_variant_and_cpu_opens()
    {
        Assert.Equal(TorchSharp.DeviceType.CPU, TrainingDevice.Open("cpu", "cpu").type);

        var error = Assert.Throws<TrainingException>(() => TrainingDevice.Open("cuda", "cpu"));   // no GPU on this machine

        Assert.Equal("TENV0615", error.Code);
        Assert.Equal(TrainingExitCodes.StackCheckFailed, error.ExitCode);
        Assert.Contains("built on the locked cpu variant", error.Message);
        Assert.Contains("--device cpu", error.Fix);
    }
}
