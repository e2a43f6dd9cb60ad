using System.Diagnostics;
using System.Reflection;
using TorchEnv.Training.Data;
using TorchEnv.Training.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchEnv.Training.Profiling;

/// <summary>
/// A step profiler for TorchSharp training loops (TorchSharp 0.107.0 has no <c>torch.profiler</c>): named spans per
/// step, a <see cref="ProfilerSchedule"/> deciding which steps are recorded, optional per-module forward spans through
/// module hooks and loader-worker lanes, a Chrome trace per recorded cycle and a summary with hints.
/// </summary>
/// <example>
/// <code>
/// using var profiler = new StepProfiler(new ProfilerOptions { LogDirectory = "runs" });
/// foreach (var batch in profiler.TimeDataWait(loader.GetEpoch(epoch)))
/// {
///     using (profiler.Span(StepSpans.Forward)) { ... }
///     using (profiler.Span(StepSpans.Backward)) { ... }
///     using (profiler.Span(StepSpans.OptimizerStep)) { ... }
///     profiler.Step(batch.Size);
/// }
/// Console.WriteLine(profiler.Summary().ToTable());
/// </code>
/// </example>
/// <remarks>
/// Spans belong to the thread that runs the loop. On CUDA every span boundary calls <c>torch.cuda.synchronize()</c>
/// while recording, so the times are the device's, not the kernel launches'. Trace files hold only recorded steps:
/// <c>&lt;LogDirectory&gt;/&lt;Name&gt;.&lt;last step&gt;.pt.trace.json</c>, with a <c>.summary.txt</c> beside it.
/// </remarks>
public sealed class StepProfiler : IDisposable
{
    private const int LoopLane = 1;
    private const int FirstWorkerLane = 100;

    private readonly object _lock = new();
    private readonly ProfilerOptions _options;
    private readonly long _origin = Stopwatch.GetTimestamp();
    private readonly DateTimeOffset _originWallClock = DateTimeOffset.UtcNow;
    private readonly bool _synchronize;
    private readonly List<TraceEvent> _stepEvents = [];
    private readonly List<TraceEvent> _cycleEvents = [];
    private readonly Dictionary<string, (int Count, long Ticks)> _spanTotals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Count, long Ticks)> _moduleTotals = new(StringComparer.Ordinal);
    private readonly SortedDictionary<int, string> _lanes = new() { [LoopLane] = "training loop" };
    private readonly Stack<(string Name, long Start)> _openModules = new();
    private readonly List<Action> _detach = [];
    private readonly List<string> _traceFiles = [];
    private long _stepStart;
    private int _recordedSteps;
    private int _unsavedSteps;
    private long _recordedTicks;
    private TimeSpan _recordedCpu;
    private TimeSpan _stepStartCpu;
    private long _recordedSamples;
    private long _recordedHostSyncs;
    private readonly Dictionary<string, double> _threadCpuSeconds = new(StringComparer.Ordinal);
    private Dictionary<string, long>? _windowThreadTicks;
    private long _windowStart;
    private int? _loopThread;
    private int _hostSyncsThisStep;
    private bool _disposed;

    /// <summary>Creates the profiler; step 0 starts now.</summary>
    public StepProfiler(ProfilerOptions options)
    {
        _options = options;
        options.Schedule.Validate();
        _synchronize = options.Device?.type == DeviceType.CUDA;
        CurrentAction = options.Enabled ? options.Schedule.ActionAt(0) : ProfilerAction.None;
        _stepStartCpu = IsActive ? ProcessCpuTime() : TimeSpan.Zero;
        _stepStart = Stopwatch.GetTimestamp();
        if (Records(CurrentAction))
        {
            OpenThreadWindow();
        }
    }

    /// <summary>The current 0-based step.</summary>
    public long StepNumber { get; private set; }

    /// <summary>What the profiler does in the current step.</summary>
    public ProfilerAction CurrentAction { get; private set; }

    /// <summary>Whether spans of the current step are timed.</summary>
    public bool IsActive => CurrentAction != ProfilerAction.None;

    /// <summary>Trace files written so far.</summary>
    public IReadOnlyList<string> TraceFiles
    {
        get
        {
            lock (_lock)
            {
                return _traceFiles.ToArray();
            }
        }
    }

    /// <summary>Opens a span; dispose it to record it (<c>using (profiler.Span(StepSpans.Forward)) { … }</c>).</summary>
    public ProfilerSpan Span(string name)
    {
        if (!IsActive)
        {
            return default;
        }

        Synchronize();
        return new ProfilerSpan(this, name, Stopwatch.GetTimestamp());
    }

    /// <summary>
    /// Wraps a sequence of batches so that the time each <c>MoveNext</c> blocks is recorded as
    /// <see cref="StepSpans.DataWait"/>; disposing the wrapper disposes the source (stopping a loader's epoch).
    /// </summary>
    public IEnumerable<T> TimeDataWait<T>(IEnumerable<T> batches)
    {
        using var enumerator = batches.GetEnumerator();
        while (true)
        {
            bool more;
            using (Span(StepSpans.DataWait))
            {
                more = enumerator.MoveNext();
            }

            if (!more)
            {
                yield break;
            }

            yield return enumerator.Current;
        }
    }

    /// <summary>Reads a scalar back to the host (<c>.item()</c>) inside a <see cref="StepSpans.HostSync"/> span and counts it for the hints.</summary>
    public float ReadScalar(Tensor value)
    {
        if (IsActive)
        {
            _hostSyncsThisStep++;
        }

        using (Span(StepSpans.HostSync))
        {
            if (value.dtype == ScalarType.Float32)
            {
                return value.item<float>();
            }

            using var converted = value.to_type(ScalarType.Float32);
            return converted.item<float>();
        }
    }

    /// <summary>
    /// Records each module's forward as a nested <c>module: name</c> span, through TorchSharp's forward hooks
    /// (they run when modules are invoked with <c>call()</c>, not <c>forward()</c>). Hooks are removed on dispose.
    /// </summary>
    public void TraceModules(nn.Module model)
    {
        var modules = new List<(string Name, nn.Module Module)> { (model.GetType().Name, model) };
        modules.AddRange(model.named_modules().Select(m => (m.name, m.module)));
        foreach (var (name, module) in modules)
        {
            var label = StepSpans.ModulePrefix + (string.IsNullOrEmpty(name) ? module.GetType().Name : name);
            var pre = AddHook(module, "register_forward_pre_hook", _ => ModuleEntered(label));
            var post = AddHook(module, "register_forward_hook", _ => ModuleExited(label));
            if (pre is not null)
            {
                _detach.Add(pre);
            }

            if (post is not null)
            {
                _detach.Add(post);
            }
        }
    }

    /// <summary>Shows the loader's workers building batches on their own lanes of the trace.</summary>
    public void Observe(PrefetchingDataLoader loader)
    {
        loader.BatchBuilt = WorkerBatchBuilt;
        _detach.Add(() => loader.BatchBuilt = null);
    }

    /// <summary>Ends the current step (processing <paramref name="samples"/> samples) and advances the schedule; writes the trace after the last active step of a cycle.</summary>
    public void Step(int samples = 0)
    {
        var action = CurrentAction;
        if (action != ProfilerAction.None)
        {
            Synchronize();
        }

        var now = Stopwatch.GetTimestamp();
        var cpu = action == ProfilerAction.None ? TimeSpan.Zero : ProcessCpuTime();
        lock (_lock)
        {
            if (action is ProfilerAction.Record or ProfilerAction.RecordAndSave)
            {
                // "user_annotation" + "ProfilerStep#N", as torch.profiler writes steps, so viewers group them the same way.
                _cycleEvents.Add(new TraceEvent(StepSpans.StepPrefix + StepNumber, "user_annotation", LoopLane, _stepStart, now, StepNumber));
                foreach (var e in _stepEvents)
                {
                    _cycleEvents.Add(e);
                    if (e.Lane != LoopLane)
                    {
                        continue;
                    }

                    var totals = e.Name.StartsWith(StepSpans.ModulePrefix, StringComparison.Ordinal) ? _moduleTotals : _spanTotals;
                    var (count, ticks) = totals.GetValueOrDefault(e.Name);
                    totals[e.Name] = (count + 1, ticks + e.End - e.Start);
                }

                _recordedSteps++;
                _unsavedSteps++;
                _recordedTicks += now - _stepStart;
                _recordedCpu += cpu - _stepStartCpu;
                _recordedSamples += samples;
                _recordedHostSyncs += _hostSyncsThisStep;
            }

            _stepEvents.Clear();
        }

        _openModules.Clear();
        _hostSyncsThisStep = 0;
        StepNumber++;
        CurrentAction = _options.Enabled ? _options.Schedule.ActionAt(StepNumber) : ProfilerAction.None;
        if (Records(action) && !Records(CurrentAction))
        {
            CloseThreadWindow();
        }
        else if (!Records(action) && Records(CurrentAction))
        {
            OpenThreadWindow();
        }

        if (action == ProfilerAction.RecordAndSave)
        {
            SaveCycle();
        }

        _stepStartCpu = IsActive ? ProcessCpuTime() : TimeSpan.Zero;
        _stepStart = Stopwatch.GetTimestamp();
    }

    /// <summary>The summary of every recorded step so far, with hints.</summary>
    public ProfileSummary Summary()
    {
        lock (_lock)
        {
            var total = _recordedTicks;
            var spans = Summarise(_spanTotals, total);
            var modules = Summarise(_moduleTotals, total);
            using var process = Process.GetCurrentProcess();
            var summary = new ProfileSummary(
                _recordedSteps,
                total * 1000.0 / Stopwatch.Frequency,
                _recordedSamples,
                spans,
                modules,
                _recordedSteps == 0 ? 0 : _recordedHostSyncs / (double)_recordedSteps,
                process.PeakWorkingSet64,
                [])
            {
                ProcessCpuMilliseconds = _recordedCpu.TotalMilliseconds,
                ThreadCores = ThreadCores(),
            };
            return summary with { Hints = ProfilerHints.For(summary, _options) };
        }
    }

    /// <summary>Writes what an unfinished cycle recorded, removes module hooks and stops observing loaders.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var detach in _detach)
        {
            detach();
        }

        _detach.Clear();
        if (_unsavedSteps > 0)
        {
            SaveCycle();
        }
    }

    internal void End(string name, long start)
    {
        Synchronize();
        var end = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            _stepEvents.Add(new TraceEvent(name, "user_annotation", LoopLane, start, end, StepNumber));
        }
    }

    // Per-thread CPU is read when a run of recorded steps starts and ends (reading it every step would cost more than
    // the spans themselves): cheap, and over whole windows it is exact to the kernel's 10 ms tick.
    private static bool Records(ProfilerAction action) => action is ProfilerAction.Record or ProfilerAction.RecordAndSave;

    private void OpenThreadWindow()
    {
        _loopThread ??= ThreadCpuTimes.CurrentThreadId();
        _windowThreadTicks = ThreadCpuTimes.ByGroup(_loopThread);
        _windowStart = Stopwatch.GetTimestamp();
    }

    private void CloseThreadWindow()
    {
        if (_windowThreadTicks is not { } before)
        {
            return;
        }

        var seconds = Stopwatch.GetElapsedTime(_windowStart).TotalSeconds;
        foreach (var (group, cores) in ThreadCpuTimes.CoresBetween(before, ThreadCpuTimes.ByGroup(_loopThread), seconds))
        {
            _threadCpuSeconds[group] = _threadCpuSeconds.GetValueOrDefault(group) + cores * seconds;
        }

        _windowThreadTicks = null;
    }

    // The closed windows plus the one still open (a schedule that records to the end never closes it).
    private Dictionary<string, double> ThreadCores()
    {
        var total = new Dictionary<string, double>(_threadCpuSeconds, StringComparer.Ordinal);
        if (_windowThreadTicks is { } before)
        {
            var open = Stopwatch.GetElapsedTime(_windowStart).TotalSeconds;
            foreach (var (group, cores) in ThreadCpuTimes.CoresBetween(before, ThreadCpuTimes.ByGroup(_loopThread), open))
            {
                total[group] = total.GetValueOrDefault(group) + cores * open;
            }
        }

        var seconds = _recordedTicks / (double)Stopwatch.Frequency;
        return total.ToDictionary(g => g.Key, g => seconds <= 0 ? 0 : Math.Round(g.Value / seconds, 3), StringComparer.Ordinal);
    }

    private static SpanSummary[] Summarise(Dictionary<string, (int Count, long Ticks)> totals, long stepTicks) =>
        totals
            .Select(t => new SpanSummary(
                t.Key,
                t.Value.Count,
                t.Value.Ticks * 1000.0 / Stopwatch.Frequency,
                stepTicks == 0 ? 0 : t.Value.Ticks / (double)stepTicks))
            .OrderByDescending(s => s.TotalMilliseconds)
            .ToArray();

    private static Action? AddHook(nn.Module module, string method, Action<nn.Module> hook)
    {
        // Hooks live on TorchSharp's generic HookableModule<TPre, TPost>; every forward signature has the
        // Action<Module> overload, found by reflection because the generic arguments differ per module type.
        var register = module.GetType().GetMethod(method, BindingFlags.Public | BindingFlags.Instance, [typeof(Action<nn.Module>)]);
        var remover = register?.Invoke(module, [hook]);
        var remove = remover?.GetType().GetMethod("remove", BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes);
        return remove is null ? null : () => remove.Invoke(remover, null);
    }

    private void ModuleEntered(string label)
    {
        if (IsActive)
        {
            Synchronize();
            _openModules.Push((label, Stopwatch.GetTimestamp()));
        }
    }

    private void ModuleExited(string label)
    {
        if (!IsActive || _openModules.Count == 0 || _openModules.Peek().Name != label)
        {
            return;
        }

        var (_, start) = _openModules.Pop();
        End(label, start);
    }

    private void WorkerBatchBuilt(LoaderBatchTiming timing)
    {
        if (!IsActive)
        {
            return;
        }

        var lane = FirstWorkerLane + timing.Worker;
        lock (_lock)
        {
            _lanes.TryAdd(lane, $"loader worker {timing.Worker}");
            _stepEvents.Add(new TraceEvent($"{StepSpans.LoaderBatch} #{timing.Batch}", "dataloader", lane, timing.StartTimestamp, timing.EndTimestamp, StepNumber));
        }
    }

    // CPU time of every thread of the process (compute threads, loader workers, GC): with wall time it shows how many
    // cores the loop kept busy, and it is less disturbed than wall time by other processes on a shared machine.
    private static TimeSpan ProcessCpuTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    private void Synchronize()
    {
        if (_synchronize)
        {
            cuda.synchronize();
        }
    }

    private void SaveCycle()
    {
        TraceEvent[] events;
        Dictionary<int, string> lanes;
        long lastStep;
        lock (_lock)
        {
            events = _cycleEvents.ToArray();
            lanes = new Dictionary<int, string>(_lanes);
            lastStep = events.Length == 0 ? StepNumber : events.Max(e => e.Step);
            _cycleEvents.Clear();
            _unsavedSteps = 0;
        }

        if (_options.LogDirectory is not { } folder || events.Length == 0)
        {
            return;
        }

        var trace = Path.Combine(folder, $"{_options.Name}.{lastStep}.pt.trace.json");
        AtomicFile.Write(trace, stream => ChromeTraceWriter.Write(stream, events, lanes, _origin, _originWallClock));
        AtomicFile.WriteAllText(Path.Combine(folder, $"{_options.Name}.{lastStep}.summary.txt"), Summary().ToTable());
        lock (_lock)
        {
            _traceFiles.Add(Path.GetFullPath(trace));
        }
    }
}
