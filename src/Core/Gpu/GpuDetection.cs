using System.Text.Json;
using System.Text.Json.Serialization;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Native;
using TorchEnv.Core.Stack;

namespace TorchEnv.Core.Gpu;

/// <summary>
/// This machine's driver and GPUs: the driver from the kernel module or libcuda (<see cref="NvidiaHost"/>, files only),
/// the GPUs and their compute capabilities from the driver through <see cref="NvidiaSmi"/> (a child process), which is
/// started only when there is a driver or a GPU to ask about.
/// </summary>
/// <param name="nvidia">Where the driver and GPU files are read.</param>
/// <param name="query">The compute-capability query (<see cref="NvidiaSmi.Query"/>; tests give their own).</param>
public sealed class HostGpuDetector(NvidiaHost nvidia, Func<NvidiaSmiResult> query) : IGpuDetector
{
    /// <inheritdoc />
    public GpuReport Detect()
    {
        var (driver, source) = nvidia.Driver();
        var names = nvidia.Gpus();
        // On Windows (no /proc) nvidia-smi is the only source; on Linux without driver files there is nothing to ask.
        if (driver is null && source is null && names.Count == 0 && !OperatingSystem.IsWindows())
        {
            return GpuReport.Nothing(GpuDetection.ThisMachine);
        }

        var smi = query();
        if (driver is null && smi.DriverVersion is { } reported)
        {
            (driver, source) = (reported, "nvidia-smi");
        }

        var gpus = smi.Gpus.Count > 0 ? smi.Gpus : names.Select(n => new GpuDevice(n, null)).ToList();
        return new GpuReport(driver, source, gpus, smi.Gpus.Count > 0 ? smi.Problem : smi.Problem ?? "nvidia-smi listed no GPU", GpuDetection.ThisMachine);
    }
}

/// <summary>
/// Which detector doctor and <c>TorchEnvVariant=auto</c> use: this machine's, unless the test hook
/// <see cref="ReportVariable"/> names a JSON file holding the report to pretend (how the end-to-end tests show a GPU
/// machine's choices on a machine without one).
/// </summary>
public static class GpuDetection
{
    /// <summary>
    /// The test hook: <c>TORCHENV_GPU_REPORT=/path/report.json</c> with
    /// <c>{"driver": "570.86.15", "gpus": [{"name": "NVIDIA A100", "computeCapability": "8.0"}]}</c>
    /// (<c>"driver": null</c> and no GPUs for a machine without NVIDIA). Documented in docs/cuda.md.
    /// </summary>
    public const string ReportVariable = "TORCHENV_GPU_REPORT";

    /// <summary>The <see cref="GpuReport.Origin"/> of a real detection.</summary>
    public const string ThisMachine = "this machine";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>How long nvidia-smi may take (it loads the driver's NVML; seconds on a busy machine).</summary>
    public static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The detector for this process: the report file of <see cref="ReportVariable"/> when <paramref name="variable"/>
    /// (its value; null to read the environment) is set, else this machine's.
    /// </summary>
    /// <exception cref="TorchEnvException">TENV0381 when the report file does not read.</exception>
    public static IGpuDetector ForThisMachine(HostAbi? host = null, string? variable = null)
    {
        var path = variable ?? Environment.GetEnvironmentVariable(ReportVariable);
        return string.IsNullOrWhiteSpace(path)
            ? new HostGpuDetector(NvidiaHost.Current(host ?? HostAbi.Detect()), () => NvidiaSmi.Query(QueryTimeout))
            : new FixedGpuDetector(ReadReport(path));
    }

    /// <summary>Reads a report file of the test hook.</summary>
    /// <exception cref="TorchEnvException">TENV0381 when it does not exist, is not JSON, or holds a compute capability that is not one.</exception>
    public static GpuReport ReadReport(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        ReportFile? file;
        try
        {
            file = JsonSerializer.Deserialize<ReportFile>(File.ReadAllText(full), Json);
        }
        catch (JsonException e)
        {
            throw new TorchEnvException(GpuMessages.BadReportFile(full, e.Message, (int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TorchEnvException(GpuMessages.BadReportFile(full, e.Message));
        }

        if (file is null)
        {
            throw new TorchEnvException(GpuMessages.BadReportFile(full, "it is empty (null)"));
        }

        var gpus = new List<GpuDevice>();
        foreach (var gpu in file.Gpus ?? [])
        {
            var capability = ComputeCapability.TryParse(gpu.ComputeCapability);
            if (gpu.ComputeCapability is not null && capability is null)
            {
                throw new TorchEnvException(GpuMessages.BadReportFile(full, $"\"computeCapability\": \"{gpu.ComputeCapability}\" is not a compute capability such as 8.0"));
            }

            gpus.Add(new GpuDevice(gpu.Name ?? $"GPU {gpus.Count}", capability));
        }

        return new GpuReport(file.Driver, file.Driver is null ? null : ReportVariable, gpus,
            gpus.Any(g => g.ComputeCapability is null) ? "the report gives no compute capability" : null, $"{ReportVariable}={full}");
    }

    private sealed record ReportFile(
        [property: JsonPropertyName("driver")] string? Driver,
        [property: JsonPropertyName("gpus")] IReadOnlyList<ReportGpu>? Gpus);

    private sealed record ReportGpu(
        [property: JsonPropertyName("name")] string? Name,
        [property: JsonPropertyName("computeCapability")] string? ComputeCapability);
}
