using static TorchSharp.torch;

namespace TorchEnv.Training.Data;

/// <summary>
/// A dataset that assembles whole batches itself, the form <see cref="PrefetchingDataLoader"/> runs on. Assembling
/// (reading, decoding, cropping into host buffers) may run on loader worker threads; turning the buffers into tensors
/// runs on the training thread, so that libtorch's parallel kernels run on one thread's OpenMP team only — a second
/// team on a loader thread would compete with the training thread's for the same cores.
/// </summary>
public interface IBatchDataset
{
    /// <summary>Samples in the dataset.</summary>
    long Count { get; }

    /// <summary>
    /// True when batches come from memory (e.g. images decoded once, <see cref="Images.ImageFolderDataset.CacheDecoded"/>):
    /// assembling one costs far less than a training step, so by default the loader assembles on the training thread
    /// and starts no worker threads at all.
    /// </summary>
    bool InMemory { get; }

    /// <summary>
    /// Gathers the samples <paramref name="indices"/> of epoch <paramref name="epoch"/> into host buffers. Called on
    /// worker threads, several at once: thread-safe, and no libtorch computation (allocation is fine).
    /// </summary>
    /// <param name="indices">Dataset indices, in batch order.</param>
    /// <param name="seed">The loader's seed; with the epoch and the sample index it fixes every random augmentation.</param>
    /// <param name="epoch">0-based epoch.</param>
    IAssembledBatch Assemble(long[] indices, long seed, int epoch);
}

/// <summary>A batch gathered by <see cref="IBatchDataset.Assemble"/>, not yet tensors. Dispose releases its buffers.</summary>
public interface IAssembledBatch : IDisposable
{
    /// <summary>
    /// The batch's named tensors (on the CPU), created on the training thread. The caller owns them; called at most once.
    /// </summary>
    Dictionary<string, Tensor> ToTensors();
}
