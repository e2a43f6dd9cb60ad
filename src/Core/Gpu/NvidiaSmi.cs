using System.Diagnostics;
using System.ComponentModel;
using TorchEnv.Core.Stack;

namespace TorchEnv.Core.Gpu;

/// <summary>What <c>nvidia-smi</c> said about the GPUs.</summary>
/// <param name="Gpus">One per GPU, with its compute capability; empty when it could not run.</param>
/// <param name="DriverVersion">The driver version it reports (the only source on Windows), or null.</param>
/// <param name="Problem">Why it gave nothing (not installed, failed, timed out), or null.</param>
public sealed record NvidiaSmiResult(IReadOnlyList<GpuDevice> Gpus, string? DriverVersion, string? Problem);

/// <summary>
/// The GPUs' compute capabilities, as the driver reports them through <c>nvidia-smi --query-gpu=name,compute_cap,driver_version</c>
/// (NVML; installed with every NVIDIA driver, and mounted into containers by the NVIDIA Container Toolkit). Neither
/// <c>/proc</c> nor the device nodes show the compute capability, and a child process keeps the driver out of the
/// build's and the tool's own process.
/// </summary>
public static class NvidiaSmi
{
    /// <summary>The arguments of the query.</summary>
    public static readonly IReadOnlyList<string> QueryArguments = ["--query-gpu=name,compute_cap,driver_version", "--format=csv,noheader"];

    /// <summary>Runs <c>nvidia-smi</c> (from PATH) and reads its answer; gives up after <paramref name="timeout"/>.</summary>
    public static NvidiaSmiResult Query(TimeSpan timeout)
    {
        var start = new ProcessStartInfo(OperatingSystem.IsWindows() ? "nvidia-smi.exe" : "nvidia-smi")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in QueryArguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start);
            if (process is null)
            {
                return new NvidiaSmiResult([], null, "nvidia-smi could not be started");
            }

            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                return new NvidiaSmiResult([], null, $"nvidia-smi did not answer within {timeout.TotalSeconds:0} s");
            }

            return process.ExitCode == 0
                ? Parse(output.Result)
                : new NvidiaSmiResult([], null, $"nvidia-smi exited with code {process.ExitCode}: {(error.Result + output.Result).Trim()}");
        }
        catch (Win32Exception)
        {
            return new NvidiaSmiResult([], null, "nvidia-smi is not installed (it comes with the NVIDIA driver)");
        }
    }

    /// <summary>Reads the CSV lines <c>NVIDIA A100-SXM4-40GB, 8.0, 570.86.15</c>; an old driver prints <c>[N/A]</c> or refuses the field.</summary>
    public static NvidiaSmiResult Parse(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var gpus = new List<GpuDevice>();
        string? driver = null;
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // The name may hold commas; the two last fields never do.
            var fields = line.Split(',');
            if (fields.Length < 3)
            {
                continue;
            }

            var name = string.Join(',', fields[..^2]).Trim();
            gpus.Add(new GpuDevice(name, ComputeCapability.TryParse(fields[^2])));
            driver ??= fields[^1].Trim() is { Length: > 0 } d && d != "[N/A]" ? d : null;
        }

        var problem = gpus.Count > 0 && gpus.All(g => g.ComputeCapability is null) ? "nvidia-smi reports no compute capability (a driver older than R510)" : null;
        return new NvidiaSmiResult(gpus, driver, problem);
    }
}
