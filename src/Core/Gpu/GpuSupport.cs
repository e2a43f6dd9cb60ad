using NuGet.Versioning;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Native;
using TorchEnv.Core.Stack;

namespace TorchEnv.Core.Gpu;

/// <summary>How a machine's GPUs fit one locked CUDA entry.</summary>
/// <param name="Architectures">The entry's GPU architectures (the lock's, else its matrix row's); empty when unknown.</param>
/// <param name="Supported">GPUs the locked libtorch has kernels for.</param>
/// <param name="Unsupported">GPUs it has none for.</param>
/// <param name="Unknown">GPUs whose compute capability could not be read (or whose architectures are unknown).</param>
public sealed record GpuFit(IReadOnlyList<string> Architectures, IReadOnlyList<GpuDevice> Supported, IReadOnlyList<GpuDevice> Unsupported, IReadOnlyList<GpuDevice> Unknown);

/// <summary>
/// The rules that decide whether a locked CUDA entry can run on a machine, shared by <c>torchenv doctor</c> and
/// <c>TorchEnvVariant=auto</c>: the driver against the lock's minimum, each GPU's compute capability against the
/// architectures the locked libtorch has kernels for (<see cref="CudaArchitectures.Supports"/>).
/// </summary>
public static class GpuSupport
{
    /// <summary>The minimum driver of a CUDA entry: what the lock records, else CUDA's table for its platform; null when unknown.</summary>
    public static string? DriverMinimum(LockedEnvironment entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.Host.NvidiaDriver ?? (entry.Stack.Cuda is not { } cuda ? null
            : entry.Platform.StartsWith("win-", StringComparison.Ordinal) ? NvidiaDriverRequirements.MinimumWindowsDriver(cuda)
            : NvidiaDriverRequirements.MinimumLinuxDriver(cuda));
    }

    /// <summary>True when <paramref name="version"/> is at least <paramref name="minimum"/> (an unknown minimum asks nothing).</summary>
    public static bool DriverMeets(string version, string? minimum) =>
        minimum is null || !NuGetVersion.TryParse(version, out var have) || !NuGetVersion.TryParse(minimum, out var need) || have >= need;

    /// <summary>Sorts the GPUs of <paramref name="report"/> by whether the locked libtorch of <paramref name="entry"/> runs on them.</summary>
    public static GpuFit Fit(GpuReport report, LockedEnvironment entry)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(entry);
        var architectures = StackMatrix.CudaArchitecturesOf(entry.Stack.CudaArchitectures, entry.Stack.TorchSharp);
        var unknown = report.Gpus.Where(g => g.ComputeCapability is null || architectures.Count == 0).ToList();
        var known = report.Gpus.Except(unknown).ToList();
        return new GpuFit(
            architectures,
            known.Where(g => CudaArchitectures.Supports(architectures, g.ComputeCapability!.Value)).ToList(),
            known.Where(g => !CudaArchitectures.Supports(architectures, g.ComputeCapability!.Value)).ToList(),
            unknown);
    }

    /// <summary>TENV0380 for the GPUs of <paramref name="fit"/> the locked libtorch has no kernels for, with the rows that would run on them.</summary>
    public static Diagnostic Unsupported(GpuFit fit, LockedEnvironment entry)
    {
        ArgumentNullException.ThrowIfNull(fit);
        ArgumentNullException.ThrowIfNull(entry);
        var capabilities = fit.Unsupported.Select(g => g.ComputeCapability!.Value).Distinct().ToList();
        var rows = StackMatrix.Rows
            .Where(r => r.CudaPlatforms.Contains(entry.Platform, StringComparer.Ordinal) && capabilities.All(c => CudaArchitectures.Supports(r.CudaArchitectures, c)))
            .Take(2)
            .Select(r => $"torchsharp=={r.TorchSharp.MaxVersion!.ToNormalizedString()} with cuda={r.Cuda} (libtorch {r.LibTorch.ToNormalizedString()}: {CudaArchitectures.Format(r.CudaArchitectures)})")
            .ToList();
        var cpu = "or build the CPU variant (dotnet build -p:TorchEnvVariant=cpu, or auto to choose by the GPU; check it with torchenv doctor --variant cpu)";
        var hide = fit.Supported.Count > 0 ? $" Or hide the unsupported GPU(s) with CUDA_VISIBLE_DEVICES (supported here: {string.Join(", ", fit.Supported.Select(g => g.Name))})." : "";
        var fix = rows.Count > 0
            ? $"Lock a TorchSharp whose CUDA build has kernels for compute capability {string.Join(", ", capabilities)}: write {string.Join(", or ", rows)} in the CUDA variant of environment.yml and run torchenv lock; {cpu}.{hide}"
            : $"No TorchSharp release in the stack matrix has CUDA kernels for compute capability {string.Join(", ", capabilities)} on {entry.Platform}: build the CPU variant (dotnet build -p:TorchEnvVariant=cpu, or auto).{hide}";
        return GpuMessages.UnsupportedGpu(string.Join(", ", fit.Unsupported), entry.Stack.LibTorch, entry.Stack.Cuda ?? "?", CudaArchitectures.Format(fit.Architectures), fix);
    }
}
