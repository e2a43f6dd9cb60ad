using TorchEnv.Training.Amp;
using TorchSharp;

namespace TorchEnv.Training.Profiling;

/// <summary>Settings of a <see cref="StepProfiler"/>.</summary>
public sealed record ProfilerOptions
{
    /// <summary>A profiler that records nothing: every span is free (for runs without --profile or --benchmark).</summary>
    public static ProfilerOptions Off { get; } = new() { Enabled = false };

    /// <summary>False turns every call into a no-op.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Which steps to record (default: the article's wait 1, warmup 1, active 3).</summary>
    public ProfilerSchedule Schedule { get; init; } = ProfilerSchedule.Default;

    /// <summary>Folder for <c>&lt;name&gt;.&lt;step&gt;.pt.trace.json</c> and the summary; null writes no files.</summary>
    public string? LogDirectory { get; init; }

    /// <summary>First part of the trace file names (PyTorch uses the worker name).</summary>
    public string Name { get; init; } = "train";

    /// <summary>Where the model computes; on CUDA every span boundary synchronises so that times are GPU times.</summary>
    public torch.Device? Device { get; init; }

    /// <summary>The run's mixed precision, for the hint about precision; null skips that hint.</summary>
    public MixedPrecisionPlan? MixedPrecision { get; init; }

    /// <summary>The loader's worker count and prefetch factor, quoted in the data-wait hint.</summary>
    public (int Workers, int PrefetchFactor)? Loader { get; init; }
}
