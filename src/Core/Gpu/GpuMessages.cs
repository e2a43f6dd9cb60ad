using TorchEnv.Core.Diagnostics;

namespace TorchEnv.Core.Gpu;

/// <summary>The diagnostics about the host's NVIDIA GPUs (TENV0380–TENV0389), each documented in <c>docs/diagnostics.md</c>.</summary>
public static class GpuMessages
{
    /// <summary>TENV0380: a visible GPU has no kernels in the locked libtorch (its compute capability is not among the lock's architectures).</summary>
    public static readonly DiagnosticDescriptor UnsupportedGpuDescriptor = new(
        "TENV0380", DiagnosticSeverity.Error, ExitClass.BadInput,
        "{0}: libtorch {1} (CUDA {2}) has kernels for {3} only, so the first CUDA operation on it fails with \"no kernel image is available for execution on the device\", whatever the driver.",
        "{4}");

    /// <summary>TENV0381: the test hook's GPU report file does not read.</summary>
    public static readonly DiagnosticDescriptor BadReportFileDescriptor = new(
        "TENV0381", DiagnosticSeverity.Error, ExitClass.BadInput,
        "{0} names '{1}', which is not a GPU report: {2}.",
        "Write a JSON file such as {{\"driver\": \"570.86.15\", \"gpus\": [{{\"name\": \"NVIDIA A100\", \"computeCapability\": \"8.0\"}}]}}, or unset {0} (it is a test hook; docs/cuda.md).");

    internal static Diagnostic UnsupportedGpu(string gpus, string libTorch, string cuda, string architectures, string fix) =>
        UnsupportedGpuDescriptor.Create(null, gpus, libTorch, cuda, architectures, fix);

    internal static Diagnostic BadReportFile(string path, string problem, int line = 1, int column = 1) =>
        BadReportFileDescriptor.Create(new SourceLocation(path, line, column), GpuDetection.ReportVariable, path, problem);
}
