using System.Diagnostics;
using TorchEnv.Training.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchEnv.Training.Data;

/// <summary>
/// A data loader that delivers whole batches to the training loop in a fresh deterministic order every epoch, assembled
/// ahead of the loop on worker threads (PyTorch's <c>DataLoader(num_workers=N, prefetch_factor=2)</c>; TorchSharp's own
/// DataLoader builds each batch only when the loop asks for it) — or, for data already in memory, on the training
/// thread itself with no worker at all (<c>num_workers=0</c>), which is then the fastest choice.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Every epoch visits the samples in a fresh order from (seed, epoch) (<see cref="EpochPermutation"/>), each
/// sample exactly once; the last short batch is kept unless <see cref="DataLoaderOptions.DropLast"/>.</item>
/// <item>With workers, batch <c>b</c> is assembled by worker <c>b mod N</c>; each worker has a queue of
/// <see cref="DataLoaderOptions.PrefetchFactor"/> batches; the loop takes them round-robin, so batches arrive in order
/// and at most N × prefetch batches exist at once.</item>
/// <item>Workers only assemble host buffers (<see cref="IBatchDataset.Assemble"/>); the tensors are made on the
/// training thread (<see cref="IAssembledBatch.ToTensors"/>). libtorch runs its parallel kernels on the OpenMP team of
/// the thread that calls them: tensor work on a worker would start a second team on the same cores, and every
/// preemption of a compute thread stalls the training step at its next barrier.</item>
/// <item>An exception in a worker stops the epoch and is thrown from the loop's <c>MoveNext</c>: a
/// <see cref="TrainingException"/> (e.g. an unreadable image, named) as it is, anything else as TENV0620 with the
/// original as inner exception. Cancellation, <c>break</c> and <see cref="Dispose"/> stop the workers, wait for them
/// and free every batch not handed over.</item>
/// </list>
/// </remarks>
public sealed class PrefetchingDataLoader : IDisposable
{
    private readonly IBatchDataset _dataset;
    private readonly object _gate = new();
    private EpochRun? _running;
    private bool _disposed;

    /// <summary>Creates the loader; no thread starts until an epoch is enumerated.</summary>
    /// <param name="dataset">What assembles the batches; not disposed by the loader.</param>
    /// <param name="options">Batch size, shuffle, workers, prefetch, device.</param>
    public PrefetchingDataLoader(IBatchDataset dataset, DataLoaderOptions options)
    {
        _dataset = dataset;
        Options = options;
        if (options.BatchSize < 1)
        {
            throw TrainingMessages.LoaderOptionInvalid(nameof(options.BatchSize), options.BatchSize, "it is at least 1");
        }

        if (options.PrefetchFactor < 1)
        {
            throw TrainingMessages.LoaderOptionInvalid(nameof(options.PrefetchFactor), options.PrefetchFactor, "it is at least 1");
        }

        if (options.Workers is < 0)
        {
            throw TrainingMessages.LoaderOptionInvalid(nameof(options.Workers), options.Workers, "it is at least 0 (0: on the training thread; unset: the default)");
        }

        Workers = options.Workers ?? (dataset.InMemory ? 0 : WorkerCount.Default(options.Device));
        SamplesPerEpoch = dataset.Count;
        BatchesPerEpoch = options.DropLast
            ? SamplesPerEpoch / options.BatchSize
            : (SamplesPerEpoch + options.BatchSize - 1) / options.BatchSize;
    }

    /// <summary>The options the loader was created with.</summary>
    public DataLoaderOptions Options { get; }

    /// <summary>Worker threads per epoch (after defaults); 0 means batches are assembled on the training thread.</summary>
    public int Workers { get; }

    /// <summary>Samples in the dataset.</summary>
    public long SamplesPerEpoch { get; }

    /// <summary>Batches each epoch delivers.</summary>
    public long BatchesPerEpoch { get; }

    /// <summary>Counters: batches, waiting time, worker tensors.</summary>
    public LoaderStatistics Statistics { get; } = new();

    /// <summary>Called on the worker thread after each batch is assembled (the profiler traces worker activity with it).</summary>
    public Action<LoaderBatchTiming>? BatchBuilt { get; set; }

    /// <summary>A loader over a map-style TorchSharp dataset (samples are name → tensor): one that implements <see cref="IBatchDataset"/> assembles its own batches, any other is fetched per sample and stacked name by name.</summary>
    public static PrefetchingDataLoader Create(utils.data.Dataset dataset, DataLoaderOptions options) =>
        new(dataset as IBatchDataset ?? new SampleBatches<Dictionary<string, Tensor>>(dataset, Collate.StackDictionaries), options);

    /// <summary>A loader over a TorchSharp <c>IterableDataset</c> (samples are tensor lists), stacking each position ("0", "1", …).</summary>
    public static PrefetchingDataLoader Create(utils.data.IterableDataset dataset, DataLoaderOptions options) =>
        new(new SampleBatches<IList<Tensor>>(dataset, Collate.StackLists), options);

    /// <summary>A loader over any TorchSharp dataset with a collate function of your own.</summary>
    public static PrefetchingDataLoader Create<TSample>(
        utils.data.Dataset<TSample> dataset, Func<IReadOnlyList<TSample>, Dictionary<string, Tensor>> collate, DataLoaderOptions options) =>
        new(new SampleBatches<TSample>(dataset, collate), options);

    /// <summary>
    /// The batches of epoch <paramref name="epoch"/>, from batch <paramref name="startBatch"/> on (to resume mid-epoch).
    /// Workers start when enumeration starts and stop when it ends; one epoch runs at a time.
    /// </summary>
    /// <param name="epoch">0-based epoch; with the seed it fixes the order.</param>
    /// <param name="startBatch">First batch to deliver; the earlier ones of this epoch's order are skipped, not built.</param>
    /// <param name="cancellationToken">Stops the epoch; <c>MoveNext</c> then throws <see cref="OperationCanceledException"/>.</param>
    public IEnumerable<TensorBatch> GetEpoch(int epoch, long startBatch = 0, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        if (startBatch < 0 || startBatch > BatchesPerEpoch)
        {
            throw new ArgumentOutOfRangeException(nameof(startBatch), startBatch, $"The epoch has {BatchesPerEpoch} batches.");
        }

        if (BatchesPerEpoch == 0)
        {
            throw TrainingMessages.EmptyEpoch(SamplesPerEpoch, Options.BatchSize);
        }

        return new EpochBatches(this, epoch, startBatch, cancellationToken);
    }

    /// <summary>Stops a running epoch: signals the workers, waits for them and frees every batch not handed over.</summary>
    public void Dispose()
    {
        EpochRun? running;
        lock (_gate)
        {
            _disposed = true;
            running = _running;
        }

        running?.Dispose();
    }

    private EpochRun Start(int epoch, long startBatch, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_running is not null)
            {
                throw TrainingMessages.EpochAlreadyRunning();
            }

            _running = new EpochRun(this, epoch, startBatch, cancellationToken);
            return _running;
        }
    }

    private void Finished(EpochRun run)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_running, run))
            {
                _running = null;
            }
        }
    }

    private sealed class EpochBatches(PrefetchingDataLoader loader, int epoch, long startBatch, CancellationToken token)
        : IEnumerable<TensorBatch>
    {
        public IEnumerator<TensorBatch> GetEnumerator() => loader.Start(epoch, startBatch, token);

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>One epoch in flight: the worker threads (if any), their queues, and the consumer's position.</summary>
    private sealed class EpochRun : IEnumerator<TensorBatch>
    {
        private readonly PrefetchingDataLoader _loader;
        private readonly int _epoch;
        private readonly long[] _order;
        private readonly long _startBatch;
        private readonly BoundedQueue<WorkItem>[] _queues;
        private readonly Thread[] _threads;
        private readonly CancellationTokenSource _stop;
        private long _next;
        private TensorBatch? _current;
        private bool _stopped;

        public EpochRun(PrefetchingDataLoader loader, int epoch, long startBatch, CancellationToken token)
        {
            _loader = loader;
            _epoch = epoch;
            _startBatch = startBatch;
            _next = startBatch;
            var options = loader.Options;
            _order = EpochPermutation.Create(loader.SamplesPerEpoch, (ulong)options.Seed, epoch, options.Shuffle);
            var workers = (int)Math.Min(loader.Workers, loader.BatchesPerEpoch - startBatch);
            _stop = CancellationTokenSource.CreateLinkedTokenSource(token);
            _queues = new BoundedQueue<WorkItem>[workers];
            _threads = new Thread[workers];
            for (var w = 0; w < workers; w++)
            {
                _queues[w] = new BoundedQueue<WorkItem>(options.PrefetchFactor);
                var worker = w;
                _threads[w] = new Thread(() => RunWorker(worker))
                {
                    IsBackground = true,
                    Name = $"TorchEnv loader worker {w}",
                };
            }

            foreach (var thread in _threads)
            {
                loader.Statistics.WorkerStarted();
                thread.Start();
            }
        }

        public TensorBatch Current => _current ?? throw new InvalidOperationException("MoveNext has not returned true.");

        object System.Collections.IEnumerator.Current => Current;

        public bool MoveNext()
        {
            _current = null;
            if (_stopped || _next >= _loader.BatchesPerEpoch)
            {
                Stop();
                return false;
            }

            if (_stop.IsCancellationRequested)
            {
                Stop();
                throw new OperationCanceledException("The epoch was cancelled.");
            }

            var waitStart = Stopwatch.GetTimestamp();
            var batch = _next;
            IAssembledBatch assembled;
            if (_queues.Length == 0)
            {
                // In memory: assembling costs less than a thread hand-off would, and nothing competes with compute.
                try
                {
                    assembled = Assemble(batch);
                }
                catch
                {
                    Stop();
                    throw;
                }

                _loader.Statistics.Built(Stopwatch.GetTimestamp() - waitStart);
            }
            else
            {
                var worker = (int)((batch - _startBatch) % _queues.Length);
                WorkItem item;
                try
                {
                    item = _queues[worker].Take(_stop.Token);
                }
                catch (OperationCanceledException)
                {
                    Stop();
                    throw;
                }

                if (item.Error is not null)
                {
                    Stop();
                    throw item.Error as TrainingException ?? TrainingMessages.WorkerFailed(worker, item.BatchIndex, item.Error);
                }

                assembled = item.Batch!;
            }

            try
            {
                _current = ToTensorBatch(batch, assembled);
            }
            catch
            {
                Stop();
                throw;
            }

            _loader.Statistics.Delivered(Stopwatch.GetTimestamp() - waitStart);
            _next++;
            return true;
        }

        public void Reset() => throw new NotSupportedException("Start a new epoch with GetEpoch instead.");

        public void Dispose() => Stop();

        private IAssembledBatch Assemble(long batch)
        {
            var options = _loader.Options;
            var first = batch * options.BatchSize;
            var count = (int)Math.Min(options.BatchSize, _order.Length - first);
            var indices = new long[count];
            Array.Copy(_order, first, indices, 0, count);
            return _loader._dataset.Assemble(indices, options.Seed, _epoch);
        }

        // On the training thread: the assembled buffers become tensors, owned by the batch (outside every dispose scope).
        private TensorBatch ToTensorBatch(long batch, IAssembledBatch assembled)
        {
            using (assembled)
            {
                var options = _loader.Options;
                var first = batch * options.BatchSize;
                var indices = _order.AsSpan((int)first, (int)Math.Min(options.BatchSize, _order.Length - first)).ToArray();
                using var scope = NewDisposeScope();
                var tensors = assembled.ToTensors();
                var owned = new Dictionary<string, Tensor>(tensors.Count, StringComparer.Ordinal);
                foreach (var (name, tensor) in tensors)
                {
                    var kept = options.UsesPinnedMemory && !tensor.is_pinned() ? tensor.pin_memory() : tensor;
                    owned[name] = kept.DetachFromDisposeScope();
                }

                return new TensorBatch(batch, indices, owned);
            }
        }

        private void Stop()
        {
            lock (_threads)
            {
                if (_stopped)
                {
                    return;
                }

                _stopped = true;
            }

            _stop.Cancel();
            foreach (var thread in _threads)
            {
                // A worker finishes the batch it is assembling (Assemble cannot be interrupted), then sees the stop.
                thread.Join();
            }

            foreach (var queue in _queues)
            {
                foreach (var left in queue.Drain())
                {
                    left.Batch?.Dispose();
                }
            }

            _stop.Dispose();
            _loader.Finished(this);
        }

        private void RunWorker(int worker)
        {
            var statistics = DisposeScopeManager.Statistics;
            var createdBefore = statistics.CreatedInScopeCount + statistics.CreatedOutsideScopeCount;
            var disposedBefore = statistics.DisposedInScopeCount + statistics.DisposedOutsideScopeCount;
            var options = _loader.Options;
            LoaderWorkerInfo.Current = new LoaderWorkerInfo(worker, _queues.Length, options.Seed, _epoch);
            try
            {
                for (var batch = _startBatch + worker; batch < _loader.BatchesPerEpoch; batch += _queues.Length)
                {
                    if (_stop.IsCancellationRequested)
                    {
                        return;
                    }

                    WorkItem item;
                    var started = Stopwatch.GetTimestamp();
                    try
                    {
                        var assembled = Assemble(batch);
                        var ended = Stopwatch.GetTimestamp();
                        _loader.Statistics.Built(ended - started);
                        _loader.BatchBuilt?.Invoke(new LoaderBatchTiming(worker, batch, started, ended));
                        item = new WorkItem(batch, assembled, null);
                    }
                    catch (Exception ex)
                    {
                        // Hand the failure to the loop in batch order and stop this worker; the loop stops the others.
                        _queues[worker].TryAdd(new WorkItem(batch, null, ex), _stop.Token);
                        return;
                    }

                    if (!_queues[worker].TryAdd(item, _stop.Token))
                    {
                        item.Batch?.Dispose();
                        return;
                    }
                }
            }
            finally
            {
                LoaderWorkerInfo.Current = null;
                _loader.Statistics.WorkerExited(
                    statistics.CreatedInScopeCount + statistics.CreatedOutsideScopeCount - createdBefore,
                    statistics.DisposedInScopeCount + statistics.DisposedOutsideScopeCount - disposedBefore);
            }
        }
    }

    private sealed record WorkItem(long BatchIndex, IAssembledBatch? Batch, Exception? Error);
}
