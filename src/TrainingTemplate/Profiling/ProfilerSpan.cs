namespace TorchEnv.Training.Profiling;

/// <summary>An open span of a <see cref="StepProfiler"/>; disposing it records the span. Free when not recording.</summary>
public readonly struct ProfilerSpan : IDisposable
{
    private readonly StepProfiler? _owner;
    private readonly string? _name;
    private readonly long _start;

    internal ProfilerSpan(StepProfiler owner, string name, long start)
    {
        _owner = owner;
        _name = name;
        _start = start;
    }

    /// <summary>Ends the span.</summary>
    public void Dispose() => _owner?.End(_name!, _start);
}
