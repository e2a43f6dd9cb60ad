namespace TorchEnv.Training.Profiling;

/// <summary>One complete span ("ph": "X") of the trace, in Stopwatch ticks.</summary>
internal readonly record struct TraceEvent(string Name, string Category, int Lane, long Start, long End, long Step);
