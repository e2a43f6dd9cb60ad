using TorchEnv.Training.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchEnv.Training.Data.Images;

/// <summary>
/// Images laid out one folder per class (<c>&lt;root&gt;/&lt;class&gt;/&lt;image&gt;.png</c>, torchvision's
/// <c>ImageFolder</c>): each sample is decoded and transformed when the loader asks for it, on the loader's worker
/// threads. Samples are <c>image</c> (float32 <c>[3, size, size]</c>) and <c>label</c> (int64 class index; classes in
/// ordinal order of their folder names).
/// </summary>
/// <remarks>
/// Random augmentations come from (seed, epoch, sample index): on a <see cref="PrefetchingDataLoader{TSample}"/> worker
/// the epoch is the loader's (<see cref="LoaderWorkerInfo"/>); elsewhere (e.g. TorchSharp's own DataLoader) it is
/// <see cref="Epoch"/>. Files the decoder cannot read fail at construction (TENV0631) rather than mid-training.
/// </remarks>
public sealed class ImageFolderDataset : utils.data.Dataset
{
    /// <summary>Name of the image tensor in a sample and in a batch.</summary>
    public const string ImageKey = "image";

    /// <summary>Name of the label tensor in a sample and in a batch.</summary>
    public const string LabelKey = "label";

    private static readonly HashSet<string> s_imageExtensions =
        new([".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff"], StringComparer.Ordinal);

    private readonly IImageDecoder _decoder;

    /// <summary>Scans <paramref name="root"/>; throws TENV0630 when it is not an image folder, TENV0631 for files the decoder cannot read.</summary>
    /// <param name="root">Folder with one sub-folder per class.</param>
    /// <param name="transform">Crop, flip, normalisation.</param>
    /// <param name="decoder">Reads the files; <see cref="PngDecoder"/> by default.</param>
    /// <param name="seed">Seed of the augmentations (use the loader's seed).</param>
    public ImageFolderDataset(string root, ImageTransform transform, IImageDecoder? decoder = null, long seed = 0)
    {
        Root = Path.GetFullPath(root);
        Transform = transform;
        Seed = seed;
        _decoder = decoder ?? PngDecoder.Instance;
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
                if (_decoder.CanDecode(extension))
                {
                    samples.Add(new ImageSample(file, label));
                }
                else if (s_imageExtensions.Contains(extension))
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

    /// <summary>Seed of the augmentations.</summary>
    public long Seed { get; }

    /// <summary>Epoch for augmentations when the dataset is used outside a <see cref="PrefetchingDataLoader{TSample}"/>.</summary>
    public int Epoch { get; set; }

    /// <inheritdoc />
    public override long Count => Samples.Count;

    /// <summary>Decodes and transforms image <paramref name="index"/> (thread-safe).</summary>
    public override Dictionary<string, Tensor> GetTensor(long index)
    {
        var sample = Samples[(int)index];
        var pixels = LoadPixels(index);
        return new Dictionary<string, Tensor>(StringComparer.Ordinal)
        {
            [ImageKey] = tensor(pixels, [3, Transform.Size, Transform.Size]),
            [LabelKey] = tensor((long)sample.Label),
        };
    }

    /// <summary>The transformed pixels of image <paramref name="index"/>, without creating tensors (for measurements).</summary>
    public float[] LoadPixels(long index)
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

        var image = _decoder.Decode(bytes, sample.Path);
        var random = LoaderWorkerInfo.Current is { } worker
            ? worker.RandomFor(index)
            : LoaderWorkerInfo.SampleRandom(Seed, Epoch, index);
        return Transform.Apply(image, ref random, sample.Path);
    }
}

/// <summary>One image of an <see cref="ImageFolderDataset"/>.</summary>
/// <param name="Path">Full path of the file.</param>
/// <param name="Label">Class index.</param>
public sealed record ImageSample(string Path, int Label);
