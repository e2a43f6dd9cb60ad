using TorchSharp;

namespace TorchEnv.Training.Data;

/// <summary>Settings of a <see cref="PrefetchingDataLoader"/>. Only <see cref="BatchSize"/> is required.</summary>
public sealed record DataLoaderOptions
{
    /// <summary>Samples per batch (&gt;= 1).</summary>
    public required int BatchSize { get; init; }

    /// <summary>Visit the samples in a fresh random order every epoch (default true); false keeps dataset order (evaluation).</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Seed of the shuffle and of <see cref="LoaderWorkerInfo.RandomFor"/>; with the epoch it fixes every order and augmentation.</summary>
    public long Seed { get; init; }

    /// <summary>Drop the last batch when it would be smaller than <see cref="BatchSize"/> (default false).</summary>
    public bool DropLast { get; init; }

    /// <summary>
    /// Worker threads assembling batches ahead of the loop; 0 assembles each batch on the training thread when the loop
    /// asks for it. Null: 0 for data in memory (<see cref="IBatchDataset.InMemory"/>), else <see cref="WorkerCount.Default"/> for <see cref="Device"/>.
    /// </summary>
    public int? Workers { get; init; }

    /// <summary>Batches each worker may build ahead of the training loop (default 2, as PyTorch's <c>prefetch_factor</c>).</summary>
    public int PrefetchFactor { get; init; } = 2;

    /// <summary>The device the training loop moves batches to; CUDA turns on pinned memory (see <see cref="PinMemory"/>).</summary>
    public torch.Device? Device { get; init; }

    /// <summary>Build batches in page-locked host memory so that <see cref="TensorBatch.To"/> copies without blocking; null means "when <see cref="Device"/> is CUDA".</summary>
    public bool? PinMemory { get; init; }

    /// <summary>Whether batches are pinned, after defaults.</summary>
    public bool UsesPinnedMemory => PinMemory ?? Device?.type == DeviceType.CUDA;
}
