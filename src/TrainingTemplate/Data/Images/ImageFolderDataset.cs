using System.Buffers;
using TorchEnv.Training.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchEnv.Training.Data.Images;

/// <summary>
/// Images laid out one folder per class (<c>&lt;root&gt;/&lt;class&gt;/&lt;image&gt;.png|.jpg|…</c>, torchvision's
/// <c>ImageFolder</c>). A batch is <c>image</c> (float32 <c>[n, 3, size, size]</c>, normalised) and <c>label</c>
/// (int64 class index; classes in ordinal order of their folder names). Grey images are replicated to three channels.
/// </summary>
/// <remarks>
/// <para>The fast path: <see cref="CacheDecoded"/> decodes every image once into memory, after which a
/// <see cref="PrefetchingDataLoader"/> assembles batches on the training thread with no worker at all. Without the cache
/// (data larger than the budget) the loader's workers read, decode and crop each image every epoch.</para>
/// <para>Either way a batch is built the same way — crop and flip copy uint8 pixels into the batch, then one tensor
/// operation normalises it — so the cache never changes a run's numbers. Random augmentations come from (seed, epoch,
/// sample index) (<see cref="LoaderWorkerInfo.SampleRandom"/>). Files are chosen by extension (as torchvision does) and
/// decoded by content (a PNG named <c>.JPEG</c> loads).</para>
/// </remarks>
public sealed class ImageFolderDataset : utils.data.Dataset, IBatchDataset
{
    /// <summary>Name of the image tensor in a sample and in a batch.</summary>
    public const string ImageKey = "image";

    /// <summary>Name of the label tensor in a sample and in a batch.</summary>
    public const string LabelKey = "label";

    private readonly IImageDecoder _decoder;
    private DecodedImageCache? _cache;

    /// <summary>Scans <paramref name="root"/>; throws TENV0630 when it is not an image folder, TENV0631 for image files of a format the decoder cannot read.</summary>
    /// <param name="root">Folder with one sub-folder per class.</param>
    /// <param name="transform">Resize, crop, flip, normalisation.</param>
    /// <param name="decoder">Reads the files; <see cref="ImageDecoders.Default"/> (PNG, JPEG, GIF, BMP, WebP) by default.</param>
    /// <param name="seed">Seed of the augmentations outside a loader (a loader passes its own).</param>
    public ImageFolderDataset(string root, ImageTransform transform, IImageDecoder? decoder = null, long seed = 0)
    {
        Root = Path.GetFullPath(root);
        Transform = transform;
        Seed = seed;
        _decoder = decoder ?? ImageDecoders.Default;
        if (!Directory.Exists(Root))
        {
            throw TrainingMessages.ImageFolderInvalid(Root, "the folder does not exist");
        }

        Classes = Directory.GetDirectories(Root)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(name => !name.StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (Classes.Count == 0)
        {
            throw TrainingMessages.ImageFolderInvalid(Root, "it has no class sub-folders");
        }

        var samples = new List<ImageSample>();
        var unreadable = new List<string>();
        for (var label = 0; label < Classes.Count; label++)
        {
            var files = Directory.EnumerateFiles(Path.Combine(Root, Classes[label]), "*", SearchOption.AllDirectories)
                .Order(StringComparer.Ordinal);
            foreach (var file in files)
            {
                var extension = Path.GetExtension(file).ToLowerInvariant();
                if (!ImageFileFormats.ImageExtensions.Contains(extension))
                {
                    continue;
                }

                // The name only says "an image"; which format is read from the content when it is decoded.
                if (_decoder.CanDecode(FormatNamedBy(extension)))
                {
                    samples.Add(new ImageSample(file, label));
                }
                else
                {
                    unreadable.Add(file);
                }
            }
        }

        if (unreadable.Count > 0)
        {
            throw TrainingMessages.ImageFormatUnsupported(unreadable[0], unreadable.Count);
        }

        if (samples.Count == 0)
        {
            throw TrainingMessages.ImageFolderInvalid(Root, "its class folders hold no images");
        }

        Samples = samples;
    }

    /// <summary>The full path of the folder.</summary>
    public string Root { get; }

    /// <summary>Class names (folder names), index = label.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>Every image with its label, in a fixed order (class, then path).</summary>
    public IReadOnlyList<ImageSample> Samples { get; }

    /// <summary>The transform applied to every image.</summary>
    public ImageTransform Transform { get; }

    /// <summary>Seed of the augmentations outside a loader.</summary>
    public long Seed { get; }

    /// <summary>Epoch for augmentations when the dataset is used outside a <see cref="PrefetchingDataLoader"/> (e.g. by TorchSharp's own DataLoader).</summary>
    public int Epoch { get; set; }

    /// <inheritdoc />
    public override long Count => Samples.Count;

    /// <summary>Whether <see cref="CacheDecoded"/> put the images into memory.</summary>
    public bool InMemory => _cache is not null;

    /// <summary>
    /// Decodes every image once into native memory, on every core, unless the decoded images would exceed
    /// <paramref name="budgetBytes"/> (then they keep being read and decoded per epoch; the report says why). Call it
    /// before training: it uses all cores while nothing else runs. An unreadable image fails here, named.
    /// </summary>
    /// <param name="budgetBytes">Most bytes the decoded pixels may take; null: a quarter of the memory available to the process; 0: no cache.</param>
    /// <param name="threads">Decoding threads; null: one per logical core.</param>
    public DecodedCacheReport CacheDecoded(long? budgetBytes = null, int? threads = null)
    {
        if (budgetBytes is < 0)
        {
            throw TrainingMessages.CacheBudgetInvalid(budgetBytes.Value);
        }

        _cache?.Dispose();
        _cache = null;
        var budget = budgetBytes ?? DefaultCacheBudget();
        var (cache, report) = DecodedImageCache.Fill(Samples.Count, index => LoadDecoded(index), budget, threads ?? Environment.ProcessorCount);
        _cache = cache;
        return report;
    }

    /// <summary>A quarter of the memory the process may use (physical memory, or a container's limit).</summary>
    public static long DefaultCacheBudget() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4;

    /// <inheritdoc />
    public IAssembledBatch Assemble(long[] indices, long seed, int epoch)
    {
        var size = Transform.Size;
        var imageBytes = 3 * size * size;
        var pixels = ArrayPool<byte>.Shared.Rent(indices.Length * imageBytes);
        var labels = new long[indices.Length];
        try
        {
            for (var i = 0; i < indices.Length; i++)
            {
                var index = (int)indices[i];
                var sample = Samples[index];
                var random = LoaderWorkerInfo.SampleRandom(seed, epoch, index);
                var target = pixels.AsSpan(i * imageBytes, imageBytes);
                if (_cache is { } cache)
                {
                    var rgb = cache.Rgb(index, out var width, out var height);
                    Transform.CopyCrop(rgb, width, height, Transform.Place(width, height, ref random, sample.Path), target);
                }
                else
                {
                    var image = LoadDecoded(index);
                    Transform.CopyCrop(image, Transform.Place(image.Width, image.Height, ref random, sample.Path), target);
                }

                labels[i] = sample.Label;
            }

            return new AssembledImages(pixels, indices.Length, labels, Transform);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(pixels);
            throw;
        }
    }

    /// <summary>Image <paramref name="index"/>, transformed (<c>image</c> <c>[3, size, size]</c>, <c>label</c>), for TorchSharp's own DataLoader; thread-safe.</summary>
    public override Dictionary<string, Tensor> GetTensor(long index)
    {
        var (seed, epoch) = LoaderWorkerInfo.Current is { } worker ? (worker.Seed, worker.Epoch) : (Seed, Epoch);
        using var assembled = Assemble([index], seed, epoch);
        using var scope = NewDisposeScope();
        var batch = assembled.ToTensors();
        return new Dictionary<string, Tensor>(StringComparer.Ordinal)
        {
            [ImageKey] = batch[ImageKey][0].MoveToOuterDisposeScope(),
            [LabelKey] = batch[LabelKey][0].MoveToOuterDisposeScope(),
        };
    }

    /// <summary>Reads, decodes and (when the transform asks) resizes image <paramref name="index"/>: what the cache holds.</summary>
    public DecodedImage LoadDecoded(long index)
    {
        var sample = Samples[(int)index];
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(sample.Path);
        }
        catch (IOException ex)
        {
            throw TrainingMessages.ImageCorrupt(sample.Path, "the file cannot be read (" + ex.Message + ")", ex);
        }

        return Transform.Resized(_decoder.Decode(bytes, sample.Path));
    }

    /// <summary>Frees the decoded cache.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _cache?.Dispose();
            _cache = null;
        }

        base.Dispose(disposing);
    }

    private static ImageFileFormat FormatNamedBy(string extension) => extension switch
    {
        ".png" => ImageFileFormat.Png,
        ".jpg" or ".jpeg" => ImageFileFormat.Jpeg,
        ".gif" => ImageFileFormat.Gif,
        ".bmp" => ImageFileFormat.Bmp,
        ".webp" => ImageFileFormat.Webp,
        _ => ImageFileFormat.Unknown,
    };

    // One batch's crops in a pooled buffer; becomes tensors on the training thread.
    private sealed class AssembledImages(byte[] pixels, int count, long[] labels, ImageTransform transform) : IAssembledBatch
    {
        private byte[]? _pixels = pixels;

        public Dictionary<string, Tensor> ToTensors()
        {
            var buffer = _pixels ?? throw new ObjectDisposedException(nameof(AssembledImages));
            var size = transform.Size;
            using var scope = NewDisposeScope();
            var bytes = empty([count, 3, size, size], ScalarType.Byte);
            bytes.bytes = buffer.AsSpan(0, count * 3 * size * size);
            return new Dictionary<string, Tensor>(StringComparer.Ordinal)
            {
                [ImageKey] = transform.Normalize(bytes).MoveToOuterDisposeScope(),
                [LabelKey] = tensor(labels).MoveToOuterDisposeScope(),
            };
        }

        public void Dispose()
        {
            if (_pixels is { } buffer)
            {
                _pixels = null;
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}

/// <summary>One image of an <see cref="ImageFolderDataset"/>.</summary>
/// <param name="Path">Full path of the file.</param>
/// <param name="Label">Class index.</param>
public sealed record ImageSample(string Path, int Label);
