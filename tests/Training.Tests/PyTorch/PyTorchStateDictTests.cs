using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Razorvine.Pickle;
using TorchEnv.TestSupport;
using TorchEnv.Training.Diagnostics;
using TorchEnv.Training.Normalization;
using TorchEnv.Training.PyTorch;
using TrainingApp1;
using static TorchSharp.torch;

namespace TorchEnv.Training.Tests.PyTorch;

/// <summary>
/// The PyTorch state dict writer, read back with independent readers: .NET's zip reader for the container and
/// Razorvine.Pickle for data.pkl (what torch.load does with them is shown by <see cref="PyTorchInteropTests"/>).
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class PyTorchStateDictTests : IDisposable
{
    private readonly TempDirectory _temp = new("torchenv-pytorch");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_file_is_a_zip_of_stored_entries_in_PyTorchs_layout_with_each_tensors_bytes()
    {
        var path = _temp.Combine("weights.pt");
        using var weight = arange(6, dtype: ScalarType.Float32).reshape(2, 3);
        using var count = tensor(7L);

        PyTorchStateDict.Save([("layer.weight", weight), ("layer.count", count)], path);

        using var zip = ZipFile.OpenRead(path);
        Assert.Equal(["archive/data.pkl", "archive/byteorder", "archive/data/0", "archive/data/1", "archive/version"], zip.Entries.Select(e => e.FullName));
        Assert.All(zip.Entries, e => Assert.Equal(e.Length, e.CompressedLength));
        Assert.Equal("3\n", Text(zip, "archive/version"));
        Assert.Equal("little", Text(zip, "archive/byteorder"));
        Assert.Equal(new[] { 0f, 1, 2, 3, 4, 5 }.SelectMany(BitConverter.GetBytes), Bytes(zip, "archive/data/0"));
        Assert.Equal(BitConverter.GetBytes(7L), Bytes(zip, "archive/data/1"));
        Assert.All(DataOffsets(path), offset => Assert.Equal(0, offset % 64));   // torch.load(mmap=True) maps them in place
    }

    [Fact]
    public void The_pickle_is_an_ordered_dict_of_rebuilt_tensors_with_their_storage_shape_and_strides()
    {
        var path = _temp.Combine("shapes.pt");
        using var wide = zeros(70_000, dtype: ScalarType.BFloat16);              // numel needs a 4-byte integer
        using var grid = ones(300, 2, 1, dtype: ScalarType.Float16);             // a 2-byte dimension
        using var flags = tensor(new[] { true, false });
        using var scalar = tensor(2.5);

        PyTorchStateDict.Save([("wide", wide), ("grid", grid), ("flags", flags), ("scalar", scalar)], path);

        var tensors = Unpickle(path);
        Assert.Equal(["wide", "grid", "flags", "scalar"], tensors.Keys);
        Assert.Equal(new RebuiltTensor("BFloat16Storage", "0", "cpu", 70_000, 0, [70_000], [1], false), tensors["wide"]);
        Assert.Equal(new RebuiltTensor("HalfStorage", "1", "cpu", 600, 0, [300, 2, 1], [2, 1, 1], false), tensors["grid"]);
        Assert.Equal(new RebuiltTensor("BoolStorage", "2", "cpu", 2, 0, [2], [1], false), tensors["flags"]);
        Assert.Equal(new RebuiltTensor("DoubleStorage", "3", "cpu", 1, 0, [], [], false), tensors["scalar"]);
    }

    [Fact]
    public void A_non_contiguous_tensor_is_written_in_its_logical_order()
    {
        var path = _temp.Combine("transposed.pt");
        using var matrix = arange(6, dtype: ScalarType.Int32).reshape(2, 3);
        using var transposed = matrix.t();

        PyTorchStateDict.Save([("t", transposed)], path);

        using var zip = ZipFile.OpenRead(path);
        Assert.Equal(new[] { 0, 3, 1, 4, 2, 5 }.SelectMany(BitConverter.GetBytes), Bytes(zip, "archive/data/0"));
        Assert.Equal(new RebuiltTensor("IntStorage", "0", "cpu", 6, 0, [3, 2], [2, 1], false), Unpickle(path)["t"]);
    }

    [Fact]
    public void The_template_model_exports_every_parameter_and_buffer_with_the_batch_norm_counters_PyTorch_has()
    {
        var path = _temp.Combine("model.pt");
        using var model = new SmallResNet(classes: 10);
        var removed = BatchNormCounters.RemoveUnused(model);

        var names = PyTorchStateDict.Save(model, path);

        Assert.Equal(9, removed);
        Assert.Equal(model.state_dict().Count + removed, names.Count);
        Assert.Equal(names, Unpickle(path).Keys);
        var counters = names.Select((n, i) => (n, i)).Where(x => x.n.EndsWith(".num_batches_tracked", StringComparison.Ordinal)).ToList();
        Assert.Equal(removed, counters.Count);
        Assert.All(counters, c => Assert.Equal(c.n.Replace("num_batches_tracked", "running_var", StringComparison.Ordinal), names[c.i - 1]));
        Assert.Equal(new RebuiltTensor("LongStorage", counters[0].i.ToString(System.Globalization.CultureInfo.InvariantCulture), "cpu", 1, 0, [], [], false), Unpickle(path)["stem.1.num_batches_tracked"]);
        Assert.Contains("stage2.shortcut.1.running_mean", names);
        Assert.Equal(["stem.0.weight", "stem.1.weight", "stem.1.bias", "stem.1.running_mean", "stem.1.running_var", "stem.1.num_batches_tracked"],
            names.SkipWhile(n => !n.StartsWith("stem.", StringComparison.Ordinal)).Take(6));   // PyTorch's grouping: a module's parameters, then its buffers
        Assert.Contains("head.bias", names);
    }

    [Fact]
    public void A_complex_tensor_is_TENV0659_and_leaves_the_existing_file_as_it_was()
    {
        var path = _temp.WriteFile("keep.pt", "previous export");
        using var good = ones(2);
        using var complex = zeros(2, dtype: ScalarType.ComplexFloat32);

        var error = Assert.Throws<TrainingException>(() => PyTorchStateDict.Save([("good", good), ("phase", complex)], path));

        Assert.Equal("TENV0659", error.Code);
        Assert.Contains("'phase'", error.Message, StringComparison.Ordinal);
        Assert.Equal("previous export", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(_temp.Path));
    }

    private static string Text(ZipArchive zip, string name) => Encoding.UTF8.GetString(Bytes(zip, name));

    private static byte[] Bytes(ZipArchive zip, string name)
    {
        using var stream = zip.GetEntry(name)!.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>Where each entry's data starts, from the local file headers.</summary>
    private static List<long> DataOffsets(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var offsets = new List<long>();
        var at = 0;
        while (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at)) == 0x04034b50)
        {
            var size = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at + 18));
            var data = at + 30 + BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at + 26)) + BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at + 28));
            offsets.Add(data);
            at = data + size;
        }

        return offsets;
    }

    private static Dictionary<string, RebuiltTensor> Unpickle(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        var result = new StateDictUnpickler().loads(Bytes(zip, "archive/data.pkl"));
        var dict = Assert.IsType<OrderedDict>(result);
        // Razorvine's SETITEMS stores the pairs last first; Python's stores them in file order, which is this reversed.
        return Enumerable.Reverse(dict.Items).ToDictionary(kv => kv.Key, kv => Assert.IsType<RebuiltTensor>(kv.Value));
    }

    /// <summary>What <c>torch._utils._rebuild_tensor_v2</c> is called with (storage unpacked from its persistent id).</summary>
    private sealed record RebuiltTensor(string StorageType, string Key, string Location, long Numel, long Offset, long[] Shape, long[] Strides, bool RequiresGrad)
    {
        public bool Equals(RebuiltTensor? other) =>
            other is not null && (StorageType, Key, Location, Numel, Offset, RequiresGrad) == (other.StorageType, other.Key, other.Location, other.Numel, other.Offset, other.RequiresGrad)
            && Shape.SequenceEqual(other.Shape) && Strides.SequenceEqual(other.Strides);

        public override int GetHashCode() => HashCode.Combine(StorageType, Key, Numel);

        public override string ToString() => $"{StorageType} {Key} {Location} numel {Numel} +{Offset} [{string.Join(", ", Shape)}] strides [{string.Join(", ", Strides)}] grad {RequiresGrad}";
    }

    /// <summary>A <c>torch.*Storage</c> global: only named in persistent ids, never called.</summary>
    private sealed record StorageClass(string Name) : IObjectConstructor
    {
        public object construct(object[] args) => throw new InvalidOperationException($"{Name} called");
    }

    private sealed record Storage(string Type, string Key, string Location, long Numel);

    /// <summary>A Python OrderedDict: keys in insertion order (filled by SETITEMS through the dictionary interface).</summary>
    private sealed class OrderedDict : System.Collections.Hashtable
    {
        public List<KeyValuePair<string, object>> Items { get; } = [];

        public override void Add(object key, object? value) => this[key] = value;

        public override object? this[object key]
        {
            get => base[key];
            set
            {
                Items.Add(new((string)key, value!));
                base[key] = value;
            }
        }
    }

    private sealed class StateDictUnpickler : Unpickler
    {
        static StateDictUnpickler()
        {
            registerConstructor("collections", "OrderedDict", new Constructor(_ => new OrderedDict()));
            registerConstructor("torch._utils", "_rebuild_tensor_v2", new Constructor(args =>
            {
                var storage = (Storage)args[0];
                return new RebuiltTensor(storage.Type, storage.Key, storage.Location, storage.Numel, Convert.ToInt64(args[1]),
                    Longs(args[2]), Longs(args[3]), (bool)args[4]);
            }));
            foreach (var type in new[] { "FloatStorage", "DoubleStorage", "HalfStorage", "BFloat16Storage", "LongStorage", "IntStorage", "ShortStorage", "CharStorage", "ByteStorage", "BoolStorage" })
            {
                registerConstructor("torch", type, new StorageClass(type));   // GLOBAL pushes it as it is
            }
        }

        protected override object persistentLoad(object pid)
        {
            var id = (object[])pid;
            Assert.Equal("storage", id[0]);
            return new Storage(((StorageClass)id[1]).Name, (string)id[2], (string)id[3], Convert.ToInt64(id[4]));
        }

        private static long[] Longs(object tuple) => [.. ((object[])tuple).Select(Convert.ToInt64)];
    }

    private sealed class Constructor(Func<object[], object> create) : IObjectConstructor
    {
        public object construct(object[] args) => create(args);
    }
}
