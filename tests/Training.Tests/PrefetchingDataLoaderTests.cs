using TorchEnv.Training.Data;
using TorchEnv.Training.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchEnv.Training.Tests;

[Trait("Category", "Integration")]
[Collection(TorchCollection.Name)]
public sealed class PrefetchingDataLoaderTests
{
    [Fact]
    public void The_same_seed_and_epoch_give_the_same_order_whatever_the_worker_count()
    {
        using var dataset = new IndexDataset(100);
        var oneWorker = Orders(dataset, workers: 1, epoch: 3);
        Assert.Equal(oneWorker, Orders(dataset, workers: 3, epoch: 3));
        Assert.Equal(oneWorker, Orders(dataset, workers: 0, epoch: 3));   // on the training thread
    }

    [Fact]
    public void Data_in_memory_is_assembled_on_the_training_thread_and_no_worker_starts()
    {
        var dataset = new RecordingBatches(40, inMemory: true);
        using var loader = new PrefetchingDataLoader(dataset, new DataLoaderOptions { BatchSize = 8, Seed = 3 });
        Assert.Equal(0, loader.Workers);
        var delivered = new List<long>();
        foreach (var batch in loader.GetEpoch(0))
        {
            using (batch)
            {
                Assert.Equal(0, loader.Statistics.RunningWorkers);
                delivered.AddRange(batch["index"].data<long>().ToArray());
            }
        }

        Assert.Equal(EpochPermutation.Create(40, 3, 0), delivered);
        Assert.All(dataset.AssembledOn, id => Assert.Equal(Environment.CurrentManagedThreadId, id));
        Assert.All(dataset.TensorsMadeOn, id => Assert.Equal(Environment.CurrentManagedThreadId, id));
    }

    [Fact]
    public void With_workers_buffers_are_assembled_on_them_and_tensors_made_on_the_training_thread()
    {
        var dataset = new RecordingBatches(40, inMemory: false);
        using var loader = new PrefetchingDataLoader(dataset, new DataLoaderOptions { BatchSize = 8, Workers = 2 });
        Assert.Equal(5, loader.GetEpoch(0).Count(batch => { batch.Dispose(); return true; }));
        Assert.DoesNotContain(Environment.CurrentManagedThreadId, dataset.AssembledOn);
        Assert.All(dataset.TensorsMadeOn, id => Assert.Equal(Environment.CurrentManagedThreadId, id));
    }

    [Fact]
    public void A_coded_error_of_the_dataset_reaches_the_loop_as_it_is()
    {
        var dataset = new RecordingBatches(40, inMemory: false, failAtBatch: 2);
        using var loader = new PrefetchingDataLoader(dataset, new DataLoaderOptions { BatchSize = 8, Workers = 2, Shuffle = false });
        var delivered = 0;
        var error = Assert.Throws<TrainingException>(() =>
        {
            foreach (var batch in loader.GetEpoch(0))
            {
                batch.Dispose();
                delivered++;
            }
        });

        Assert.Equal("TENV0632", error.Code);   // the image's own error, not the loader's generic TENV0620
        Assert.Contains("image-16.png", error.Message);
        Assert.Equal(2, delivered);
        Assert.Equal(0, loader.Statistics.RunningWorkers);
    }

    [Fact]
    public void Every_epoch_gets_a_different_order()
    {
        using var dataset = new IndexDataset(100);
        Assert.NotEqual(Orders(dataset, workers: 2, epoch: 0), Orders(dataset, workers: 2, epoch: 1));
    }

    [Theory]
    [InlineData(false, 100)]
    [InlineData(true, 96)]
    public void Each_sample_comes_exactly_once_per_epoch(bool dropLast, int expected)
    {
        using var dataset = new IndexDataset(100);
        using var loader = PrefetchingDataLoader.Create(dataset, new DataLoaderOptions { BatchSize = 8, Workers = 3, DropLast = dropLast, Seed = 5 });
        var seen = new List<long>();
        var batchIndices = new List<long>();
        foreach (var batch in loader.GetEpoch(0))
        {
            using (batch)
            {
                batchIndices.Add(batch.Index);
                // The tensors are the samples the batch says it holds: the worker built the right batch.
                Assert.Equal(batch.SampleIndices, batch["index"].data<long>().ToArray());
                seen.AddRange(batch.SampleIndices);
            }
        }

        Assert.Equal(expected, seen.Count);
        Assert.Equal(expected, seen.Distinct().Count());
        Assert.Equal(Enumerable.Range(0, (int)loader.BatchesPerEpoch).Select(i => (long)i), batchIndices);   // in order
    }

    [Fact]
    public void Batches_are_stacked_per_name()
    {
        using var dataset = new IndexDataset(10);
        using var loader = PrefetchingDataLoader.Create(dataset, new DataLoaderOptions { BatchSize = 4, Workers = 2 });
        using var batch = loader.GetEpoch(0).First();
        Assert.Equal(new long[] { 4, 3 }, batch["features"].shape);
        Assert.Equal(new long[] { 4 }, batch["index"].shape);
    }

    [Fact]
    public void No_tensor_built_on_a_worker_is_leaked_after_a_full_epoch()
    {
        using var dataset = new IndexDataset(64);
        using var loader = PrefetchingDataLoader.Create(dataset, new DataLoaderOptions { BatchSize = 8, Workers = 3 });
        var consumer = DisposeScopeManager.Statistics;
        var liveBefore = consumer.ThreadTotalLiveCount;
        foreach (var batch in loader.GetEpoch(0))
        {
            batch.Dispose();
        }

        AssertNoLeak(loader, liveBefore, expectedHandedOver: 8 * 4);
    }

    [Fact]
    public void Stopping_mid_epoch_stops_the_workers_and_frees_the_prefetched_batches()
    {
        using var dataset = new IndexDataset(200);
        using var loader = PrefetchingDataLoader.Create(dataset, new DataLoaderOptions { BatchSize = 4, Workers = 3, PrefetchFactor = 2 });
        var liveBefore = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        var taken = 0;
        foreach (var batch in loader.GetEpoch(0))
        {
            batch.Dispose();
            if (++taken == 2)
            {
                break;
            }
        }

        Assert.Equal(0, loader.Statistics.RunningWorkers);
        Assert.True(loader.Statistics.BatchesBuilt > 2, "workers had prefetched batches that the break released");
        AssertNoLeak(loader, liveBefore, expectedHandedOver: 2 * 4);
    }

    [Fact]
    public void Cancellation_stops_the_epoch_without_leaks()
    {
        using var dataset = new IndexDataset(200, delayMilliseconds: 1);
        using var loader = PrefetchingDataLoader.Create(dataset, new DataLoaderOptions { BatchSize = 4, Workers = 2 });
        using var cancel = new CancellationTokenSource();
        var liveBefore = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        var taken = 0;
        Assert.Throws<OperationCanceledException>(() =>
        {
            foreach (var batch in loader.GetEpoch(0, cancellationToken: cancel.Token))
            {
                batch.Dispose();
                if (++taken == 3)
                {
                    cancel.Cancel();
                }
            }
        });

        Assert.Equal(3, taken);
        Assert.Equal(0, loader.Statistics.RunningWorkers);
        AssertNoLeak(loader, liveBefore, expectedHandedOver: 3 * 4);
    }

    [Fact]
    public void Disposing_the_loader_mid_epoch_leaves_no_thread_running()
    {
        using var dataset = new IndexDataset(200);
        var loader = PrefetchingDataLoader.Create(dataset, new DataLoaderOptions { BatchSize = 4, Workers = 3 });
        var liveBefore = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        using var epoch = loader.GetEpoch(0).GetEnumerator();
        Assert.True(epoch.MoveNext());
        epoch.Current.Dispose();

        loader.Dispose();

        Assert.Equal(0, loader.Statistics.RunningWorkers);
        Assert.False(epoch.MoveNext());
        AssertNoLeak(loader, liveBefore, expectedHandedOver: 4);
    }

    [Fact]
    public void A_worker_exception_reaches_the_loop_with_its_cause()
    {
        using var dataset = new IndexDataset(100, failAt: 37);
        using var loader = PrefetchingDataLoader.Create(dataset, new DataLoaderOptions { BatchSize = 5, Workers = 3, Shuffle = false });
        var liveBefore = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        var delivered = 0;
        var error = Assert.Throws<TrainingException>(() =>
        {
            foreach (var batch in loader.GetEpoch(0))
            {
                batch.Dispose();
                delivered++;
            }
        });

        Assert.Equal("TENV0620", error.Code);
        Assert.Contains("batch 7", error.Message);   // sample 37 is in batch 7 without shuffling
        var cause = Assert.IsType<InvalidDataException>(error.InnerException);
        Assert.Equal("sample 37 is broken", cause.Message);
        Assert.Equal(7, delivered);                    // every batch before the failing one arrived
        Assert.Equal(0, loader.Statistics.RunningWorkers);
        AssertNoLeak(loader, liveBefore, expectedHandedOver: 7 * 4);
    }

    [Fact]
    public void An_epoch_can_start_at_a_batch_to_resume()
    {
        using var dataset = new IndexDataset(50);
        using var loader = PrefetchingDataLoader.Create(dataset, new DataLoaderOptions { BatchSize = 5, Workers = 2, Seed = 9 });
        var full = loader.GetEpoch(4).Select(Take).ToList();
        var tail = loader.GetEpoch(4, startBatch: 6).Select(Take).ToList();
        Assert.Equal(full.Skip(6), tail);
    }

    [Fact]
    public void Two_epochs_at_once_are_refused()
    {
        using var dataset = new IndexDataset(50);
        using var loader = PrefetchingDataLoader.Create(dataset, new DataLoaderOptions { BatchSize = 5, Workers = 1 });
        using var first = loader.GetEpoch(0).GetEnumerator();
        var error = Assert.Throws<TrainingException>(() => loader.GetEpoch(1).GetEnumerator());
        Assert.Equal("TENV0623", error.Code);
    }

    [Fact]
    public void Invalid_options_and_empty_epochs_are_explained()
    {
        using var dataset = new IndexDataset(3);
        var badBatch = Assert.Throws<TrainingException>(() => PrefetchingDataLoader.Create(dataset, new DataLoaderOptions { BatchSize = 0 }));
        Assert.Equal("TENV0621", badBatch.Code);
        Assert.Contains("BatchSize", badBatch.Message);

        using var loader = PrefetchingDataLoader.Create(dataset, new DataLoaderOptions { BatchSize = 4, DropLast = true, Workers = 1 });
        var empty = Assert.Throws<TrainingException>(() => loader.GetEpoch(0));
        Assert.Equal("TENV0622", empty.Code);
    }

    [Fact]
    public void A_generic_dataset_works_with_a_custom_collate_function()
    {
        using var dataset = new PairDataset(12);
        using var loader = PrefetchingDataLoader.Create(
            dataset,
            samples => new Dictionary<string, Tensor> { ["value"] = tensor(samples.Select(s => s.Value).ToArray()) },
            new DataLoaderOptions { BatchSize = 5, Workers = 2, Shuffle = false });
        var values = loader.GetEpoch(0).SelectMany(b => { using (b) { return b["value"].data<int>().ToArray(); } }).ToArray();
        Assert.Equal(Enumerable.Range(0, 12).Select(i => i * 10), values);
    }

    [Fact]
    public void Workers_see_the_epoch_they_build()
    {
        using var dataset = new IndexDataset(20);
        using var loader = PrefetchingDataLoader.Create(dataset, new DataLoaderOptions { BatchSize = 4, Workers = 2, Seed = 11 });
        using var batch = loader.GetEpoch(6).First();
        Assert.All(batch["epoch"].data<long>().ToArray(), e => Assert.Equal(6, e));
        Assert.All(batch["seed"].data<long>().ToArray(), s => Assert.Equal(11, s));
    }

    private static long[] Take(TensorBatch batch)
    {
        using (batch)
        {
            return batch.SampleIndices.ToArray();
        }
    }

    private static List<long> Orders(IndexDataset dataset, int workers, int epoch)
    {
        using var loader = PrefetchingDataLoader.Create(dataset, new DataLoaderOptions { BatchSize = 7, Workers = workers, Seed = 1234 });
        return loader.GetEpoch(epoch).SelectMany(Take).ToList();
    }

    // The worker threads' tensors (from TorchSharp's per-thread dispose statistics) and the consuming thread's
    // disposals must cancel out exactly; the count handed over proves that tensors really crossed threads.
    private static void AssertNoLeak(PrefetchingDataLoader loader, long consumerLiveBefore, long expectedHandedOver)
    {
        var consumerDelta = DisposeScopeManager.Statistics.ThreadTotalLiveCount - consumerLiveBefore;
        Assert.True(loader.Statistics.WorkerTensorsHandedOver >= expectedHandedOver,
            $"expected at least {expectedHandedOver} tensors handed over, saw {loader.Statistics.WorkerTensorsHandedOver}");
        Assert.Equal(0, loader.Statistics.WorkerTensorsHandedOver + consumerDelta);
    }

    /// <summary>Sample i: index i, three features i/10, the worker's epoch and seed; optionally slow or broken.</summary>
    private sealed class IndexDataset(long count, long failAt = -1, int delayMilliseconds = 0) : utils.data.Dataset
    {
        public override long Count => count;

        public override Dictionary<string, Tensor> GetTensor(long index)
        {
            if (index == failAt)
            {
                throw new InvalidDataException($"sample {index} is broken");
            }

            if (delayMilliseconds > 0)
            {
                Thread.Sleep(delayMilliseconds);
            }

            var worker = LoaderWorkerInfo.Current;
            return new Dictionary<string, Tensor>
            {
                ["index"] = tensor(index),
                ["features"] = full(3, index / 10f),
                ["epoch"] = tensor((long)(worker?.Epoch ?? -1)),
                ["seed"] = tensor(worker?.Seed ?? -1),
            };
        }
    }

    /// <summary>An <see cref="IBatchDataset"/> that records which threads assemble and make tensors; may fail like a bad image.</summary>
    private sealed class RecordingBatches(long count, bool inMemory, long failAtBatch = -1) : IBatchDataset
    {
        public System.Collections.Concurrent.ConcurrentBag<int> AssembledOn { get; } = [];

        public System.Collections.Concurrent.ConcurrentBag<int> TensorsMadeOn { get; } = [];

        public long Count => count;

        public bool InMemory => inMemory;

        public IAssembledBatch Assemble(long[] indices, long seed, int epoch)
        {
            AssembledOn.Add(Environment.CurrentManagedThreadId);
            if (indices.Contains(failAtBatch * 8))
            {
                throw TrainingMessages.ImageCorrupt($"image-{failAtBatch * 8}.png", "made to fail");
            }

            return new Indices(indices, this);
        }

        private sealed class Indices(long[] indices, RecordingBatches owner) : IAssembledBatch
        {
            public Dictionary<string, Tensor> ToTensors()
            {
                owner.TensorsMadeOn.Add(Environment.CurrentManagedThreadId);
                return new Dictionary<string, Tensor> { ["index"] = tensor(indices) };
            }

            public void Dispose()
            {
            }
        }
    }

    private sealed class PairDataset(long count) : utils.data.Dataset<(int Value, string Name)>
    {
        public override long Count => count;

        public override (int Value, string Name) GetTensor(long index) => ((int)index * 10, $"item {index}");
    }
}
