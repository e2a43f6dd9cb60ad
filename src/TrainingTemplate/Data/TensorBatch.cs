using System.Collections;
using System.Diagnostics.CodeAnalysis;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchEnv.Training.Data;

/// <summary>
/// One batch: named tensors (e.g. <c>image</c>, <c>label</c>) built on a loader worker and handed to the training
/// loop. The batch owns its tensors — they are outside every dispose scope — so dispose it when done
/// (<c>using (batch)</c>); <see cref="To"/> moves the ownership to the device copy.
/// </summary>
public sealed class TensorBatch : IReadOnlyDictionary<string, Tensor>, IDisposable
{
    private readonly Dictionary<string, Tensor> _tensors;
    private bool _disposed;

    internal TensorBatch(long index, IReadOnlyList<long> sampleIndices, Dictionary<string, Tensor> tensors)
    {
        Index = index;
        SampleIndices = sampleIndices;
        _tensors = tensors;
    }

    /// <summary>Position of the batch in its epoch (0-based).</summary>
    public long Index { get; }

    /// <summary>The dataset indices of the samples, in batch order.</summary>
    public IReadOnlyList<long> SampleIndices { get; }

    /// <summary>Number of samples.</summary>
    public int Size => SampleIndices.Count;

    /// <inheritdoc />
    public int Count => _tensors.Count;

    /// <inheritdoc />
    public IEnumerable<string> Keys => _tensors.Keys;

    /// <inheritdoc />
    public IEnumerable<Tensor> Values => _tensors.Values;

    /// <inheritdoc />
    public Tensor this[string key]
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _tensors.TryGetValue(key, out var tensor)
                ? tensor
                : throw new KeyNotFoundException($"The batch has no tensor '{key}'; it has: {string.Join(", ", _tensors.Keys)}.");
        }
    }

    /// <summary>
    /// Copies the batch to <paramref name="device"/> and disposes this one (ownership moves to the result). From pinned
    /// memory to CUDA the copies are asynchronous (<c>non_blocking</c>), overlapping with the computation.
    /// Returns this batch unchanged when every tensor is already on <paramref name="device"/>.
    /// </summary>
    public TensorBatch To(Device device, bool nonBlocking = true)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_tensors.Values.All(t => t.device == device))
        {
            return this;
        }

        var moved = new Dictionary<string, Tensor>(_tensors.Count, StringComparer.Ordinal);
        try
        {
            foreach (var (name, tensor) in _tensors)
            {
                moved[name] = tensor.to(device, non_blocking: nonBlocking).DetachFromDisposeScope();
            }
        }
        catch
        {
            foreach (var tensor in moved.Values)
            {
                tensor.Dispose();
            }

            throw;
        }

        Dispose();
        return new TensorBatch(Index, SampleIndices, moved);
    }

    /// <inheritdoc />
    public bool ContainsKey(string key) => _tensors.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out Tensor value) => _tensors.TryGetValue(key, out value);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, Tensor>> GetEnumerator() => _tensors.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Frees the batch's tensors (idempotent).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var tensor in _tensors.Values)
        {
            tensor.Dispose();
        }
    }
}
