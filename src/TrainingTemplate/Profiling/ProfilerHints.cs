using System.Globalization;
using TorchEnv.Training.Amp;
using TorchEnv.Training.Hardware;
using TorchSharp;

namespace TorchEnv.Training.Profiling;

/// <summary>
/// Turns a profile into advice a person can act on — the findings the article's profiler session led to: the loop
/// starving for data, stray host synchronisations, mixed precision left off on hardware that supports it (or on where
/// it is emulated).
/// </summary>
public static class ProfilerHints
{
    /// <summary>Data wait above this share of the step time is a bottleneck.</summary>
    public const double DataWaitThreshold = 0.20;

    /// <summary>Host-to-device copies above this share deserve a look.</summary>
    public const double CopyThreshold = 0.10;

    /// <summary>Host reads per step at or above this count are "a sync every step".</summary>
    public const double HostSyncsPerStepThreshold = 1.0;

    /// <summary>The hints for <paramref name="summary"/> of a run configured by <paramref name="options"/>.</summary>
    public static IReadOnlyList<string> For(ProfileSummary summary, ProfilerOptions options, CpuInfo? cpu = null)
    {
        cpu ??= CpuInfo.Current;
        var c = CultureInfo.InvariantCulture;
        var hints = new List<string>();
        if (summary.Steps == 0)
        {
            return hints;
        }

        var dataWait = summary.Share(StepSpans.DataWait);
        if (dataWait > DataWaitThreshold)
        {
            var loader = options.Loader is { } l
                ? string.Create(c, $" (now {l.Workers} worker(s), prefetch factor {l.PrefetchFactor})")
                : "";
            hints.Add(string.Create(c,
                $"The loop waited for data {dataWait:P0} of the step time: give the loader more workers (--workers) or a larger prefetch factor{loader}, or make the dataset's decoding and transforms cheaper."));
        }

        if (summary.HostSyncsPerStep >= HostSyncsPerStepThreshold)
        {
            hints.Add(string.Create(c,
                $"{summary.HostSyncsPerStep:F1} host synchronisations per step (values read back with .item()): each one waits for all queued device work. Accumulate the loss on the device and read it every log interval instead."));
        }

        var onCuda = options.Device?.type == DeviceType.CUDA;
        if (onCuda && summary.Share(StepSpans.HostToDevice) > CopyThreshold)
        {
            hints.Add(string.Create(c,
                $"Host-to-device copies take {summary.Share(StepSpans.HostToDevice):P0} of the step: keep pinned memory on (DataLoaderOptions.PinMemory) and copy with TensorBatch.To(device, nonBlocking: true)."));
        }

        if (options.MixedPrecision is { } plan)
        {
            if (!plan.Enabled && (onCuda || cpu.HasNativeBFloat16))
            {
                hints.Add(onCuda
                    ? "Mixed precision is off on a CUDA device: --amp fp16 (or auto) runs matrix work on tensor cores and halves activation memory."
                    : "Mixed precision is off, but this CPU computes bf16 natively (avx512_bf16/amx_bf16): try --amp bf16 (or auto).");
            }
            else if (plan.Dtype == torch.ScalarType.BFloat16 && !onCuda && !cpu.HasNativeBFloat16)
            {
                hints.Add("bf16 autocast is on, but this CPU has no native bf16 (no avx512_bf16/amx_bf16 flag): bf16 matrix work is emulated and slower than float32. Use --amp off (or auto).");
            }
        }

        return hints;
    }
}
