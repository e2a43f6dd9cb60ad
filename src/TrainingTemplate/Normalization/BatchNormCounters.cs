using TorchSharp;

namespace TorchEnv.Training.Normalization;

/// <summary>
/// Removes the <c>num_batches_tracked</c> buffer from batch-norm layers whose running statistics use a fixed momentum
/// (the default 0.1): there the counter is never read (PyTorch reads it only when momentum is None), and updating it
/// is TorchSharp 0.107.0's <c>num_batches_tracked.add_(1)</c>, whose implicit temporary Scalar can be freed by its
/// finalizer while libtorch reads it (dotnet/TorchSharp PR #1434) — training then aborts with "Unknown scalar type".
/// </summary>
/// <remarks>
/// The running mean and variance are updated exactly as before. The model's state dict no longer contains the
/// <c>num_batches_tracked</c> entries, so a checkpoint written before the removal does not load strictly into it.
/// </remarks>
public static class BatchNormCounters
{
    /// <summary>
    /// Removes the counter from every batch-norm layer in <paramref name="model"/> that tracks
    /// running statistics with a fixed momentum; layers with momentum null (a cumulative average) keep it.
    /// </summary>
    /// <param name="model">The model, typically right after construction.</param>
    /// <returns>How many layers lost their counter.</returns>
    public static int RemoveUnused(torch.nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var removed = 0;
        foreach (var module in model.modules())
        {
            if (module is TorchSharp.Modules.BatchNorm { momentum: not null, num_batches_tracked: not null } batchNorm)
            {
                batchNorm.num_batches_tracked = null;   // the setter disposes the tensor and unregisters the buffer
                removed++;
            }
        }

        return removed;
    }
}
