using System.Text;
using TorchEnv.Training.Diagnostics;
using TorchEnv.Training.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchEnv.Training.PyTorch;

/// <summary>
/// Writes a model's weights as a PyTorch state dict: the file <c>torch.save(model.state_dict(), path)</c> would write,
/// which <c>torch.load(path, weights_only=True)</c> reads and <c>model.load_state_dict(...)</c> loads into the same
/// architecture written in PyTorch. TorchSharp's own <c>save</c> format is not one <c>torch.load</c> reads.
/// </summary>
/// <remarks>
/// <para>
/// The format is PyTorch's zip serialisation (version 3): <c>archive/data.pkl</c>, a pickle (protocol 2) of an
/// <c>OrderedDict</c> of <c>torch._utils._rebuild_tensor_v2</c> calls whose storages are persistent ids, and one stored
/// entry <c>archive/data/&lt;n&gt;</c> with the little-endian bytes of each tensor. Only globals that
/// <c>weights_only=True</c> allows are used. Tensors are written contiguous, on the CPU, detached.
/// </para>
/// <para>
/// Names are TorchSharp's, which follow PyTorch's: fields become attributes, <c>Sequential</c> children <c>0</c>,
/// <c>1</c>, … A batch-norm layer whose unused <c>num_batches_tracked</c> counter was removed
/// (<see cref="Normalization.BatchNormCounters"/>) gets the entry back, as the 0-d int64 tensor 0, so that the keys
/// are exactly those of the PyTorch module's <c>state_dict()</c> and a strict load succeeds (PyTorch reads the counter
/// only for layers with <c>momentum=None</c>).
/// </para>
/// </remarks>
public static class PyTorchStateDict
{
    private const string Archive = "archive";

    /// <summary>Writes <paramref name="model"/>'s parameters and buffers to <paramref name="path"/> atomically.</summary>
    /// <returns>The names written, in order.</returns>
    public static IReadOnlyList<string> Save(nn.Module model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var scope = NewDisposeScope();
        var entries = Entries(model);
        Save(entries, path);
        return [.. entries.Select(e => e.Name)];
    }

    /// <summary>
    /// Writes named tensors to <paramref name="path"/> atomically, as a state dict in the given order (also for other
    /// tensors than weights, e.g. a batch and its logits to compare with PyTorch).
    /// </summary>
    /// <exception cref="TrainingException">TENV0659: a tensor of a type PyTorch's format has no storage for; TENV0658: over 4 GiB.</exception>
    public static void Save(IReadOnlyList<(string Name, Tensor Tensor)> entries, string path)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var storages = new List<TorchStorageType>(entries.Count);
        foreach (var (name, tensor) in entries)
        {
            if (!seen.Add(name))
            {
                throw new ArgumentException($"The name '{name}' appears twice.", nameof(entries));
            }

            storages.Add(TorchStorageType.For(tensor.dtype)
                ?? throw TrainingMessages.PyTorchExportUnsupported(path, name, tensor.dtype.ToString()));
        }

        var pickle = Pickle(entries, storages);
        AtomicFile.Write(path, stream =>
        {
            var zip = new StoredZipWriter(stream, path);
            zip.Add($"{Archive}/data.pkl", pickle);
            zip.Add($"{Archive}/byteorder", "little"u8);
            for (var i = 0; i < entries.Count; i++)
            {
                using var scope = NewDisposeScope();
                var cpu = entries[i].Tensor.detach().cpu().contiguous();
                zip.Add($"{Archive}/data/{i}", cpu.bytes);
            }

            zip.Add($"{Archive}/version", "3\n"u8);
            zip.Finish();
        });
    }

    /// <summary>
    /// The state dict <see cref="Save(nn.Module, string)"/> writes: the entries of <c>model.state_dict()</c> grouped as
    /// PyTorch groups them (module by module, in TorchSharp's module order: each module's parameters, then its buffers;
    /// TorchSharp's own list has every parameter before any buffer), with <c>num_batches_tracked</c> restored after
    /// <c>running_var</c> where it was removed. <c>load_state_dict</c> matches by name, so the order is for people.
    /// </summary>
    public static IReadOnlyList<(string Name, Tensor Tensor)> Entries(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var state = model.state_dict();
        var parameters = model.named_parameters().Select(p => p.name).ToHashSet(StringComparer.Ordinal);
        var entries = new List<(string, Tensor)>(state.Count);
        foreach (var (name, module) in model.named_modules().Prepend(("", model)))
        {
            var prefix = name.Length == 0 ? "" : name + ".";
            var own = state.Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal) && !e.Key.AsSpan(prefix.Length).Contains('.')).ToList();
            entries.AddRange(own.Where(e => parameters.Contains(e.Key)).Select(e => (e.Key, e.Value)));
            entries.AddRange(own.Where(e => !parameters.Contains(e.Key)).Select(e => (e.Key, e.Value)));
            if (module is TorchSharp.Modules.BatchNorm { num_batches_tracked: null, running_var: not null })
            {
                entries.Add((prefix + "num_batches_tracked", tensor(0L)));
            }
        }

        // Anything a module listing missed keeps its place at the end rather than being lost.
        var listed = entries.Select(e => e.Item1).ToHashSet(StringComparer.Ordinal);
        entries.AddRange(state.Where(e => !listed.Contains(e.Key)).Select(e => (e.Key, e.Value)));
        return entries;
    }

    private static byte[] Pickle(IReadOnlyList<(string Name, Tensor Tensor)> entries, IReadOnlyList<TorchStorageType> storages)
    {
        var pickle = new PickleWriter();
        pickle.WriteGlobal("collections", "OrderedDict");
        pickle.WriteEmptyTuple();
        pickle.WriteReduce();
        pickle.WriteMark();
        for (var i = 0; i < entries.Count; i++)
        {
            var (name, tensor) = entries[i];
            var shape = tensor.shape;
            pickle.WriteString(name);

            // torch._utils._rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks)
            pickle.WriteGlobal("torch._utils", "_rebuild_tensor_v2");
            pickle.WriteMark();
            pickle.WriteMark();                                  // persistent id: ('storage', type, key, location, numel)
            pickle.WriteString("storage");
            pickle.WriteGlobal("torch", storages[i].ClassName);
            pickle.WriteString(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            pickle.WriteString("cpu");
            pickle.WriteInt(shape.Aggregate(1L, (n, d) => n * d));
            pickle.WriteTuple();
            pickle.WritePersistentId();
            pickle.WriteInt(0);
            pickle.WriteIntTuple(shape);
            pickle.WriteIntTuple(ContiguousStrides(shape));
            pickle.WriteBool(false);
            pickle.WriteGlobal("collections", "OrderedDict");
            pickle.WriteEmptyTuple();
            pickle.WriteReduce();
            pickle.WriteTuple();
            pickle.WriteReduce();
        }

        pickle.WriteSetItems();
        return pickle.Finish();
    }

    private static long[] ContiguousStrides(long[] shape)
    {
        var strides = new long[shape.Length];
        var stride = 1L;
        for (var d = shape.Length - 1; d >= 0; d--)
        {
            strides[d] = stride;
            stride *= Math.Max(1, shape[d]);
        }

        return strides;
    }
}
