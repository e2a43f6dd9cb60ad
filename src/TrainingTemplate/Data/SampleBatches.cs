using TorchSharp;
using static TorchSharp.torch;

namespace TorchEnv.Training.Data;

/// <summary>
/// Any TorchSharp <c>Dataset&lt;T&gt;</c> as an <see cref="IBatchDataset"/>: a batch is its samples' tensors
/// (<c>GetTensor</c>, one call per sample) stacked by a collate function, all on the worker that assembles it — as
/// PyTorch's <c>DataLoader</c> does in its worker processes. Datasets that can gather whole batches into buffers
/// (<see cref="Images.ImageFolderDataset"/>) implement <see cref="IBatchDataset"/> themselves and are faster.
/// </summary>
/// <typeparam name="TSample">What the dataset returns for one index.</typeparam>
/// <param name="dataset">Random-access dataset; its <c>GetTensor</c> must be thread-safe. Not disposed here.</param>
/// <param name="collate">Turns the samples of one batch into named tensors (e.g. <see cref="Collate.StackDictionaries"/>).</param>
public sealed class SampleBatches<TSample>(
    utils.data.Dataset<TSample> dataset,
    Func<IReadOnlyList<TSample>, Dictionary<string, Tensor>> collate) : IBatchDataset
{
    /// <inheritdoc />
    public long Count => dataset.Count;

    /// <summary>False: samples are produced by the dataset's own code, whose cost is unknown.</summary>
    public bool InMemory => false;

    /// <inheritdoc />
    /// <remarks>Runs the dataset's <c>GetTensor</c> with <see cref="LoaderWorkerInfo.Current"/> telling it the epoch.</remarks>
    public IAssembledBatch Assemble(long[] indices, long seed, int epoch)
    {
        var previous = LoaderWorkerInfo.Current;
        LoaderWorkerInfo.Current = new LoaderWorkerInfo(previous?.WorkerId ?? 0, previous?.Workers ?? 1, seed, epoch);
        try
        {
            // Samples and intermediate stacks die with the scope; the batch's tensors are detached from it and handed over.
            using var scope = NewDisposeScope();
            var samples = new TSample[indices.Length];
            for (var i = 0; i < indices.Length; i++)
            {
                samples[i] = dataset.GetTensor(indices[i]);
            }

            var tensors = collate(samples);
            foreach (var tensor in tensors.Values)
            {
                tensor.DetachFromDisposeScope();
            }

            return new Tensors(tensors);
        }
        finally
        {
            LoaderWorkerInfo.Current = previous;
        }
    }

    private sealed class Tensors(Dictionary<string, Tensor> tensors) : IAssembledBatch
    {
        private Dictionary<string, Tensor>? _tensors = tensors;

        public Dictionary<string, Tensor> ToTensors()
        {
            var taken = _tensors ?? throw new InvalidOperationException("The batch's tensors were already taken.");
            _tensors = null;
            return taken;
        }

        public void Dispose()
        {
            if (_tensors is { } left)
            {
                _tensors = null;
                foreach (var tensor in left.Values)
                {
                    tensor.Dispose();
                }
            }
        }
    }
}
