using System.Globalization;
using System.Text;

namespace TorchEnv.Training.Profiling;

/// <summary>Time spent in one span name over the recorded steps.</summary>
/// <param name="Name">Span name (<see cref="StepSpans"/>, or <c>module: …</c>).</param>
/// <param name="Count">How many times it was recorded.</param>
/// <param name="TotalMilliseconds">Summed duration.</param>
/// <param name="Share">Fraction of the recorded step time (0–1).</param>
public sealed record SpanSummary(string Name, int Count, double TotalMilliseconds, double Share)
{
    /// <summary>Mean duration of one occurrence.</summary>
    public double MeanMilliseconds => Count == 0 ? 0 : TotalMilliseconds / Count;
}

/// <summary>
/// What the recorded (active) steps show: step time, throughput, where the time went, and hints a person can act on.
/// </summary>
/// <param name="Steps">Recorded steps.</param>
/// <param name="TotalMilliseconds">Their summed wall time.</param>
/// <param name="Samples">Samples they processed (as passed to <see cref="StepProfiler.Step"/>).</param>
/// <param name="Spans">Top-level spans (data wait, copy, forward, backward, optimizer step, host syncs), largest first.</param>
/// <param name="Modules">Per-module forward spans (nested in forward), largest first; empty unless modules are traced.</param>
/// <param name="HostSyncsPerStep">Values read back to the host per step through <see cref="StepProfiler.ReadScalar"/>.</param>
/// <param name="PeakWorkingSetBytes">Peak resident memory of the process so far.</param>
/// <param name="Hints">Actionable findings (see <see cref="ProfilerHints"/>).</param>
public sealed record ProfileSummary(
    int Steps,
    double TotalMilliseconds,
    long Samples,
    IReadOnlyList<SpanSummary> Spans,
    IReadOnlyList<SpanSummary> Modules,
    double HostSyncsPerStep,
    long PeakWorkingSetBytes,
    IReadOnlyList<string> Hints)
{
    /// <summary>Mean wall time of a step.</summary>
    public double MeanStepMilliseconds => Steps == 0 ? 0 : TotalMilliseconds / Steps;

    /// <summary>Samples per second over the recorded steps.</summary>
    public double SamplesPerSecond => TotalMilliseconds <= 0 ? 0 : Samples / (TotalMilliseconds / 1000.0);

    /// <summary>CPU time the whole process used during the recorded steps (all threads).</summary>
    public double ProcessCpuMilliseconds { get; init; }

    /// <summary>
    /// Cores each group of threads kept busy during the recorded steps (the training thread, libtorch's OpenMP workers,
    /// loader workers, garbage collector, JIT, …); Linux only, empty elsewhere.
    /// </summary>
    public IReadOnlyDictionary<string, double> ThreadCores { get; init; } = new Dictionary<string, double>();

    /// <summary>Cores kept busy on average during the recorded steps (CPU time / wall time).</summary>
    public double BusyCores => TotalMilliseconds <= 0 ? 0 : ProcessCpuMilliseconds / TotalMilliseconds;

    /// <summary>Samples per CPU-second: throughput per unit of work, which other load on the machine distorts less than <see cref="SamplesPerSecond"/>.</summary>
    public double SamplesPerCpuSecond => ProcessCpuMilliseconds <= 0 ? 0 : Samples / (ProcessCpuMilliseconds / 1000.0);

    /// <summary>The fraction of step time spent in <paramref name="span"/> (0 when never recorded).</summary>
    public double Share(string span) => Spans.FirstOrDefault(s => s.Name == span)?.Share ?? 0;

    /// <summary>A fixed-width table for the console and the summary file.</summary>
    public string ToTable(int maxModules = 10)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"Profiled {Steps} steps: {MeanStepMilliseconds:F1} ms/step, {SamplesPerSecond:F1} samples/s, {BusyCores:F2} cores busy, peak memory {PeakWorkingSetBytes / (1024.0 * 1024.0):F0} MiB");
        if (ThreadCores.Count > 0)
        {
            text.AppendLine(c, $"Cores busy by thread: {string.Join(", ", ThreadCores.OrderByDescending(t => t.Value).Select(t => string.Create(c, $"{t.Key} {t.Value:F2}")))}");
        }

        text.AppendLine(c, $"{"span",-36} {"calls",7} {"total ms",10} {"mean ms",9} {"share",7}");
        var accounted = 0.0;
        foreach (var span in Spans)
        {
            text.AppendLine(c, $"{span.Name,-36} {span.Count,7} {span.TotalMilliseconds,10:F1} {span.MeanMilliseconds,9:F2} {span.Share,7:P1}");
            accounted += span.Share;
        }

        text.AppendLine(c, $"{"(other: logging, loop overhead)",-36} {"",7} {TotalMilliseconds * Math.Max(0, 1 - accounted),10:F1} {"",9} {Math.Max(0, 1 - accounted),7:P1}");
        if (Modules.Count > 0)
        {
            text.AppendLine(c, $"Top modules (forward, nested):");
            foreach (var module in Modules.Take(maxModules))
            {
                text.AppendLine(c, $"  {module.Name,-34} {module.Count,7} {module.TotalMilliseconds,10:F1} {module.MeanMilliseconds,9:F2} {module.Share,7:P1}");
            }
        }

        if (Hints.Count == 0)
        {
            text.AppendLine("Hints: none — nothing stands out.");
        }
        else
        {
            text.AppendLine("Hints:");
            foreach (var hint in Hints)
            {
                text.AppendLine("  - " + hint);
            }
        }

        return text.ToString();
    }
}
