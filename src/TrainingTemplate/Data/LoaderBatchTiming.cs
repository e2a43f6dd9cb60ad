namespace TorchEnv.Training.Data;

/// <summary>When a worker built one batch (<see cref="System.Diagnostics.Stopwatch"/> timestamps); for the profiler's trace.</summary>
/// <param name="Worker">0-based worker number.</param>
/// <param name="Batch">Batch index in its epoch.</param>
/// <param name="StartTimestamp">Stopwatch timestamp when the worker started fetching the samples.</param>
/// <param name="EndTimestamp">Stopwatch timestamp when the batch was ready.</param>
public readonly record struct LoaderBatchTiming(int Worker, long Batch, long StartTimestamp, long EndTimestamp);
