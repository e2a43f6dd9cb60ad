using static TorchSharp.torch;

namespace TorchEnv.Training.Data;

/// <summary>Functions that turn a list of samples into one batch of named tensors (PyTorch's <c>default_collate</c>).</summary>
public static class Collate
{
    /// <summary>Stacks map-style samples key by key: n samples of <c>image [3,32,32]</c> become <c>image [n,3,32,32]</c>.</summary>
    public static Dictionary<string, Tensor> StackDictionaries(IReadOnlyList<Dictionary<string, Tensor>> samples)
    {
        ArgumentOutOfRangeException.ThrowIfZero(samples.Count);
        var batch = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var key in samples[0].Keys)
        {
            batch[key] = stack(samples.Select(s => s.TryGetValue(key, out var t)
                ? t
                : throw new InvalidOperationException($"A sample lacks the tensor '{key}' that the first sample of the batch has.")).ToArray());
        }

        return batch;
    }

    /// <summary>Stacks list samples (TorchSharp's <c>IterableDataset</c>) position by position; the keys are "0", "1", …</summary>
    public static Dictionary<string, Tensor> StackLists(IReadOnlyList<IList<Tensor>> samples)
    {
        ArgumentOutOfRangeException.ThrowIfZero(samples.Count);
        var batch = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        for (var position = 0; position < samples[0].Count; position++)
        {
            var p = position;
            batch[p.ToString(System.Globalization.CultureInfo.InvariantCulture)] = stack(samples.Select(s => s[p]).ToArray());
        }

        return batch;
    }
}
