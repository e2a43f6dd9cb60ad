using TorchEnv.Training.Diagnostics;
using static TorchSharp.torch;

namespace TorchEnv.Training.Hardware;

/// <summary>The device a run computes on, checked before anything is put on it.</summary>
public static class TrainingDevice
{
    /// <summary>
    /// <c>cpu</c> or <c>cuda</c> as a TorchSharp device. For <c>cuda</c>, throws TENV0615 when CUDA is not usable in
    /// this process (instead of TorchSharp's stack trace at the first tensor moved there).
    /// </summary>
    /// <param name="name"><c>cpu</c> or <c>cuda</c> (the <c>--device</c> option).</param>
    /// <param name="lockedDevice">The device of the locked variant (the generated <c>TorchEnvironment.Device</c>), for the message.</param>
    public static Device Open(string name, string lockedDevice)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!string.Equals(name, "cuda", StringComparison.OrdinalIgnoreCase))
        {
            return CPU;
        }

        if (!cuda.is_available())
        {
            throw TrainingMessages.CudaUnavailable(lockedDevice);
        }

        return CUDA;
    }
}
