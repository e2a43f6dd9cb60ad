using TorchEnv.Core.Lock;

namespace TorchEnv.Core.Gpu;

/// <summary>What <c>auto</c> chose and why, in one sentence for the build log and the tool.</summary>
/// <param name="Variant">The chosen variant's name.</param>
/// <param name="Reason">Why, e.g. <c>NVIDIA driver 570.86.15 (≥ 525.60.13) and NVIDIA A100 (compute capability 8.0), which libtorch 2.10.0 (CUDA 12.8) has kernels for</c>.</param>
public sealed record VariantChoice(string Variant, string Reason);

/// <summary>
/// <c>TorchEnvVariant=auto</c> and <c>torchenv … --variant auto</c>: the first CUDA variant of the lock whose minimum
/// driver this machine's NVIDIA driver meets and whose libtorch has kernels for one of its GPUs, else the first CPU
/// variant. An explicit variant is never replaced, so CI pins by naming one.
/// </summary>
public static class AutoVariant
{
    /// <summary>The value that asks for the choice.</summary>
    public const string Name = "auto";

    /// <summary>True for <c>auto</c> (any case).</summary>
    public static bool IsAuto(string? variant) => string.Equals(variant?.Trim(), Name, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Chooses among the entries of <paramref name="lockFile"/> for <paramref name="platform"/> (in the lock's order, the
    /// spec's). GPUs are looked at (through <paramref name="detector"/>) only when the lock has a CUDA variant for a
    /// platform that is this host's (<paramref name="hostPlatform"/>). Null when the lock has no entry for the platform.
    /// </summary>
    public static VariantChoice? Choose(EnvironmentLock lockFile, string platform, string hostPlatform, IGpuDetector detector)
    {
        ArgumentNullException.ThrowIfNull(lockFile);
        ArgumentNullException.ThrowIfNull(detector);
        var entries = lockFile.Environments.Where(e => string.Equals(e.Platform, platform, StringComparison.OrdinalIgnoreCase)).ToList();
        if (entries.Count == 0)
        {
            return null;
        }

        var cuda = entries.Where(IsCuda).ToList();
        var cpu = entries.FirstOrDefault(e => !IsCuda(e));
        if (cuda.Count == 0)
        {
            return new VariantChoice(entries[0].Variant, $"the lock has no CUDA variant for {platform}");
        }

        if (!string.Equals(platform, hostPlatform, StringComparison.OrdinalIgnoreCase))
        {
            return Fallback(cpu, cuda[0], $"the build is for {platform}, not this machine ({hostPlatform}), so its GPUs say nothing about the target; name the variant to build CUDA");
        }

        var report = detector.Detect();
        var origin = report.Origin == GpuDetection.ThisMachine ? "" : $" (GPU report from {report.Origin})";
        string? firstProblem = null;
        foreach (var entry in cuda)
        {
            var problem = ProblemWith(report, entry, out var reason);
            if (problem is null)
            {
                return new VariantChoice(entry.Variant, reason + origin);
            }

            firstProblem ??= problem;
        }

        return Fallback(cpu, cuda[0], firstProblem + origin);
    }

    private static bool IsCuda(LockedEnvironment entry) => entry.Stack.Cuda is not null;

    private static VariantChoice Fallback(LockedEnvironment? cpu, LockedEnvironment cuda, string why) => cpu is not null
        ? new VariantChoice(cpu.Variant, why)
        : new VariantChoice(cuda.Variant, why + $"; the lock has no CPU variant, so '{cuda.Variant}' is built anyway");

    /// <summary>Why <paramref name="entry"/> cannot run here, or null with the reason it can.</summary>
    private static string? ProblemWith(GpuReport report, LockedEnvironment entry, out string reason)
    {
        reason = "";
        var stack = $"libtorch {entry.Stack.LibTorch} (CUDA {entry.Stack.Cuda})";
        var minimum = GpuSupport.DriverMinimum(entry);
        if (report.DriverVersion is not { } driver)
        {
            return report.DriverSource is null ? "no NVIDIA driver was found" : $"the NVIDIA driver at {report.DriverSource} shows no version";
        }

        if (!GpuSupport.DriverMeets(driver, minimum))
        {
            return $"the NVIDIA driver {driver} is older than {stack} needs ({minimum} or newer)";
        }

        if (report.Gpus.Count == 0)
        {
            return $"the NVIDIA driver {driver} shows no GPU";
        }

        var fit = GpuSupport.Fit(report, entry);
        if (fit.Supported.Count == 0)
        {
            return fit.Unsupported.Count > 0
                ? $"{string.Join(", ", fit.Unsupported)}: {stack} has no kernels for it (it has {string.Join(' ', fit.Architectures)})"
                : $"the compute capability of {string.Join(", ", fit.Unknown.Select(g => g.Name))} could not be read ({report.CapabilityProblem ?? "the lock records no GPU architectures"}), so it is not known to run {stack}";
        }

        reason = $"NVIDIA driver {driver} (≥ {minimum ?? "any"}) and {string.Join(", ", fit.Supported)}, which {stack} has kernels for";
        return null;
    }
}
