namespace TorchEnv.Training.Data;

/// <summary>
/// Counters of a <see cref="PrefetchingDataLoader"/> since it was created, updated as epochs run. The tensor
/// counts come from TorchSharp's per-thread dispose statistics of the worker threads, summed when each worker exits:
/// together with the consuming thread's <c>DisposeScopeManager.Statistics</c> they show whether every tensor built on a
/// worker was freed.
/// </summary>
public sealed class LoaderStatistics
{
    private long _batchesDelivered;
    private long _batchesBuilt;
    private long _waitTicks;
    private long _buildTicks;
    private long _workerTensorsCreated;
    private long _workerTensorsDisposed;
    private int _runningWorkers;

    /// <summary>Batches handed to the training loop.</summary>
    public long BatchesDelivered => Interlocked.Read(ref _batchesDelivered);

    /// <summary>Batches built by workers (including prefetched ones released unused when an epoch stopped early).</summary>
    public long BatchesBuilt => Interlocked.Read(ref _batchesBuilt);

    /// <summary>Time the training loop spent waiting for a batch.</summary>
    public TimeSpan ConsumerWait => TimeSpan.FromSeconds(Interlocked.Read(ref _waitTicks) / (double)System.Diagnostics.Stopwatch.Frequency);

    /// <summary>Time workers spent building batches (summed over workers).</summary>
    public TimeSpan WorkerBusy => TimeSpan.FromSeconds(Interlocked.Read(ref _buildTicks) / (double)System.Diagnostics.Stopwatch.Frequency);

    /// <summary>Tensors created on worker threads (finished workers only).</summary>
    public long WorkerTensorsCreated => Interlocked.Read(ref _workerTensorsCreated);

    /// <summary>Tensors disposed on worker threads (finished workers only).</summary>
    public long WorkerTensorsDisposed => Interlocked.Read(ref _workerTensorsDisposed);

    /// <summary>
    /// Tensors created on workers and not disposed there: the ones handed over in batches. After an epoch, the
    /// consuming thread's live-tensor count must have dropped by exactly this much if nothing leaked.
    /// </summary>
    public long WorkerTensorsHandedOver => WorkerTensorsCreated - WorkerTensorsDisposed;

    /// <summary>Worker threads alive right now (0 between epochs and after Dispose).</summary>
    public int RunningWorkers => Volatile.Read(ref _runningWorkers);

    internal void Delivered(long waitTicks)
    {
        Interlocked.Increment(ref _batchesDelivered);
        Interlocked.Add(ref _waitTicks, waitTicks);
    }

    internal void Built(long buildTicks)
    {
        Interlocked.Increment(ref _batchesBuilt);
        Interlocked.Add(ref _buildTicks, buildTicks);
    }

    internal void WorkerStarted() => Interlocked.Increment(ref _runningWorkers);

    internal void WorkerExited(long tensorsCreated, long tensorsDisposed)
    {
        Interlocked.Add(ref _workerTensorsCreated, tensorsCreated);
        Interlocked.Add(ref _workerTensorsDisposed, tensorsDisposed);
        Interlocked.Decrement(ref _runningWorkers);
    }
}
