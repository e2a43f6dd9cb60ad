using TorchEnv.Training.Diagnostics;

namespace TorchEnv.Training.Profiling;

/// <summary>What the profiler does during one step (PyTorch's <c>ProfilerAction</c>).</summary>
public enum ProfilerAction
{
    /// <summary>Not profiling: spans cost nothing.</summary>
    None,

    /// <summary>Timing spans to settle caches and allocators, results discarded.</summary>
    Warmup,

    /// <summary>Recording.</summary>
    Record,

    /// <summary>Recording the last step of a cycle; the trace is written after it.</summary>
    RecordAndSave,
}

/// <summary>
/// When to record, with the semantics of <c>torch.profiler.schedule(wait, warmup, active, repeat, skip_first)</c>:
/// after <paramref name="SkipFirst"/> steps, cycles of <paramref name="Wait"/> idle steps, <paramref name="Warmup"/>
/// warm-up steps and <paramref name="Active"/> recorded steps, <paramref name="Repeat"/> times (0 = until the end).
/// </summary>
/// <param name="Wait">Idle steps at the start of each cycle.</param>
/// <param name="Warmup">Warm-up steps (timed, discarded).</param>
/// <param name="Active">Recorded steps (&gt;= 1).</param>
/// <param name="Repeat">Cycles; 0 repeats until training ends.</param>
/// <param name="SkipFirst">Steps ignored before the first cycle.</param>
public sealed record ProfilerSchedule(int Wait, int Warmup, int Active, int Repeat = 1, int SkipFirst = 0)
{
    /// <summary>The article's schedule: wait 1, warm up 1, record 3, once.</summary>
    public static ProfilerSchedule Default { get; } = new(1, 1, 3);

    /// <summary>Throws TENV0640 when a field is out of range.</summary>
    public void Validate()
    {
        if (Wait < 0 || Warmup < 0 || Active < 1 || Repeat < 0 || SkipFirst < 0)
        {
            throw TrainingMessages.ScheduleInvalid($"wait={Wait}, warmup={Warmup}, active={Active}, repeat={Repeat}, skipFirst={SkipFirst}");
        }
    }

    /// <summary>The action for 0-based step <paramref name="step"/>.</summary>
    public ProfilerAction ActionAt(long step)
    {
        if (step < SkipFirst)
        {
            return ProfilerAction.None;
        }

        step -= SkipFirst;
        long cycle = Wait + Warmup + Active;
        if (Repeat > 0 && step / cycle >= Repeat)
        {
            return ProfilerAction.None;
        }

        var inCycle = step % cycle;
        if (inCycle < Wait)
        {
            return ProfilerAction.None;
        }

        if (inCycle < Wait + Warmup)
        {
            return ProfilerAction.Warmup;
        }

        return inCycle < cycle - 1 ? ProfilerAction.Record : ProfilerAction.RecordAndSave;
    }
}
