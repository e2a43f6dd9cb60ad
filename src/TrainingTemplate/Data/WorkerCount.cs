using TorchEnv.Training.Hardware;
using TorchSharp;

namespace TorchEnv.Training.Data;

/// <summary>The default number of loader workers.</summary>
public static class WorkerCount
{
    /// <summary>
    /// <c>max(1, floor(0.75 × physical cores) − compute threads)</c>. The 75% follows the usual PyTorch advice
    /// (num_workers at 70–80% of the physical cores, leaving room for the OS and the main thread); from that budget the
    /// threads the computation itself needs are subtracted: one on CUDA (the thread that launches kernels), libtorch's
    /// intra-op threads (<c>torch.get_num_threads()</c>) on CPU. At least one worker always runs, so batches are built
    /// ahead even on a small machine: on 2 cores training on the CPU, floor(1.5) − 2 &lt; 1, so 1 worker.
    /// </summary>
    /// <param name="device">Where the model computes.</param>
    /// <param name="cpu">The host CPU; this machine's by default.</param>
    /// <param name="computeThreads">libtorch's intra-op threads; <c>torch.get_num_threads()</c> by default.</param>
    public static int Default(torch.Device? device = null, CpuInfo? cpu = null, int? computeThreads = null)
    {
        cpu ??= CpuInfo.Current;
        var budget = (int)Math.Floor(0.75 * cpu.PhysicalCores);
        var compute = device?.type == DeviceType.CUDA ? 1 : computeThreads ?? torch.get_num_threads();
        return Math.Max(1, budget - compute);
    }
}
