using TorchEnv.Core.Stack;

namespace TorchEnv.Core.Gpu;

/// <summary>One NVIDIA GPU as the driver shows it.</summary>
/// <param name="Name">Its model, e.g. <c>NVIDIA A100-SXM4-40GB</c> (with the PCI bus id when read from <c>/proc</c>).</param>
/// <param name="ComputeCapability">Its compute capability; null when it could not be read (see <see cref="GpuReport.CapabilityProblem"/>).</param>
public sealed record GpuDevice(string Name, ComputeCapability? ComputeCapability)
{
    /// <summary><c>NVIDIA A100-SXM4-40GB (compute capability 8.0)</c>.</summary>
    public override string ToString() =>
        $"{Name} (compute capability {(ComputeCapability is { } cc ? cc.ToString() : "unknown")})";
}

/// <summary>What a machine has for CUDA: the NVIDIA driver and the GPUs it shows.</summary>
/// <param name="DriverVersion">The driver version, e.g. <c>570.86.15</c>; null when there is no driver or it shows none.</param>
/// <param name="DriverSource">Where the driver was seen (<c>/proc/driver/nvidia/version</c>, libcuda's path, <c>nvidia-smi</c>); null without one.</param>
/// <param name="Gpus">The visible GPUs, in the driver's order.</param>
/// <param name="CapabilityProblem">Why compute capabilities are missing (nvidia-smi absent or failing), null when they were read.</param>
/// <param name="Origin">Whose report this is: <c>this machine</c>, or the test hook's file (<see cref="GpuDetection.ReportVariable"/>).</param>
public sealed record GpuReport(string? DriverVersion, string? DriverSource, IReadOnlyList<GpuDevice> Gpus, string? CapabilityProblem, string Origin)
{
    /// <summary>No driver, no GPU.</summary>
    public static GpuReport Nothing(string origin) => new(null, null, [], null, origin);
}

/// <summary>The seam through which doctor and <c>TorchEnvVariant=auto</c> see the GPUs; tests give a fixed report.</summary>
public interface IGpuDetector
{
    /// <summary>Reads the driver and the GPUs (may start a child process; never throws for a machine without NVIDIA).</summary>
    GpuReport Detect();
}

/// <summary>A detector that always gives the same report (tests; the test hook's file).</summary>
/// <param name="report">The report.</param>
public sealed class FixedGpuDetector(GpuReport report) : IGpuDetector
{
    /// <inheritdoc />
    public GpuReport Detect() => report;
}
