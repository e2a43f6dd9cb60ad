using TorchEnv.TestSupport;
using TorchEnv.Training.Data;
using TorchEnv.Training.Data.Images;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchEnv.Training.Tests;

/// <summary>
/// A batch of an image folder is the same whichever way it was made: from the decoded cache or from the files, on
/// the training thread or on workers — and equal, value for value, to a per-image reference written independently
/// here from the transform's definition (crop offsets and flip drawn from the same random stream).
/// </summary>
[Trait("Category", "Integration")]
[Collection(TorchCollection.Name)]
public sealed class ImageBatchTests : IDisposable
{
    private const long Seed = 17;
    private readonly TempDirectory _temp = new("torchenv-batches");

    public ImageBatchTests()
    {
        // Mixed sizes (some smaller than the crop), so that padding and clipping are both exercised.
        var random = new SplitMix64(3);
        for (var i = 0; i < 24; i++)
        {
            var width = 20 + (int)random.NextBelow(30);
            var height = 20 + (int)random.NextBelow(30);
            var rgb = new byte[width * height * 3];
            for (var p = 0; p < rgb.Length; p++)
            {
                rgb[p] = (byte)random.NextBelow(256);
            }

            var path = _temp.Combine($"class{i % 3}", $"{i}.png");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, PngEncoder.Encode(new DecodedImage(width, height, rgb)));
        }
    }

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_batch_equals_the_per_image_reference_bit_for_bit(bool training)
    {
        var transform = training ? ImageTransform.Train(24, padding: 4) : ImageTransform.Evaluate(24);
        using var dataset = new ImageFolderDataset(_temp.Path, transform);
        long[] indices = [5, 0, 23, 11, 7, 16];
        for (var epoch = 0; epoch < 3; epoch++)
        {
            using var assembled = dataset.Assemble(indices, Seed, epoch);
            var batch = assembled.ToTensors();
            var images = batch[ImageFolderDataset.ImageKey].data<float>().ToArray();
            var plane = 3 * 24 * 24;
            for (var i = 0; i < indices.Length; i++)
            {
                var expected = Reference(dataset.LoadDecoded(indices[i]), transform, LoaderWorkerInfo.SampleRandom(Seed, epoch, indices[i]));
                Assert.Equal(expected, images.AsSpan(i * plane, plane).ToArray());
            }

            Assert.Equal(indices.Select(i => (long)dataset.Samples[(int)i].Label), batch[ImageFolderDataset.LabelKey].data<long>().ToArray());
        }
    }

    [Fact]
    public void The_decoded_cache_gives_bit_identical_batches_to_decoding_every_time()
    {
        using var streamed = new ImageFolderDataset(_temp.Path, ImageTransform.Train(24, resizeShorterSide: 26));
        using var cached = new ImageFolderDataset(_temp.Path, ImageTransform.Train(24, resizeShorterSide: 26));
        var report = cached.CacheDecoded();
        Assert.True(report.Cached, report.ToString());
        Assert.True(cached.InMemory);
        Assert.False(streamed.InMemory);
        Assert.Equal(24, report.Images);
        Assert.Equal(Enumerable.Range(0, 24).Sum(i => (long)streamed.LoadDecoded(i).Rgb.Length), report.Bytes);

        for (var epoch = 0; epoch < 2; epoch++)
        {
            Assert.Equal(Batches(streamed, epoch, workers: 2), Batches(cached, epoch, workers: null));
        }
    }

    [Fact]
    public void Data_over_the_budget_is_not_cached_and_says_why()
    {
        using var dataset = new ImageFolderDataset(_temp.Path, ImageTransform.Train(24));
        var report = dataset.CacheDecoded(budgetBytes: 1000);
        Assert.False(report.Cached);
        Assert.False(dataset.InMemory);
        Assert.Contains("more than the cache budget", report.Reason);

        var off = dataset.CacheDecoded(budgetBytes: 0);
        Assert.False(off.Cached);
        Assert.Contains("off", off.Reason);

        using var loader = PrefetchingDataLoader.Create(dataset, new DataLoaderOptions { BatchSize = 8 });
        Assert.True(loader.Workers >= 1, "data that stays on disk is read on worker threads");
    }

    [Fact]
    public void A_loader_over_cached_images_starts_no_worker()
    {
        using var dataset = new ImageFolderDataset(_temp.Path, ImageTransform.Train(24));
        dataset.CacheDecoded();
        using var loader = PrefetchingDataLoader.Create(dataset, new DataLoaderOptions { BatchSize = 8, Seed = Seed });
        Assert.Equal(0, loader.Workers);
        Assert.Equal(3, loader.GetEpoch(0).Count(batch => { batch.Dispose(); return true; }));
    }

    private static List<float[]> Batches(ImageFolderDataset dataset, int epoch, int? workers)
    {
        using var loader = PrefetchingDataLoader.Create(dataset, new DataLoaderOptions { BatchSize = 5, Seed = Seed, Workers = workers });
        return loader.GetEpoch(epoch).Select(batch =>
        {
            using (batch)
            {
                return batch[ImageFolderDataset.ImageKey].data<float>().ToArray();
            }
        }).ToList();
    }

    // The transform's definition, per pixel, in float32: pad with zeros, take the crop at the offsets drawn in the order
    // left, top, flip (random crop) or centred (evaluation), mirror, then value * (1 / (255 std)) + (-mean / std).
    private static float[] Reference(DecodedImage image, ImageTransform transform, SplitMix64 random)
    {
        var size = transform.Size;
        int left, top;
        if (transform.RandomCrop)
        {
            left = random.NextInt(0, image.Width + 2 * transform.Padding - size + 1) - transform.Padding;
            top = random.NextInt(0, image.Height + 2 * transform.Padding - size + 1) - transform.Padding;
        }
        else
        {
            left = (image.Width - size) / 2;
            top = (image.Height - size) / 2;
        }

        var flip = transform.HorizontalFlip && random.NextDouble() < 0.5;
        var output = new float[3 * size * size];
        for (var c = 0; c < 3; c++)
        {
            var scale = 1f / (255f * transform.Std[c]);
            var shift = -transform.Mean[c] / transform.Std[c];
            for (var y = 0; y < size; y++)
            {
                for (var x = 0; x < size; x++)
                {
                    var sx = left + (flip ? size - 1 - x : x);
                    var sy = top + y;
                    var value = sx >= 0 && sx < image.Width && sy >= 0 && sy < image.Height ? image.Rgb[(sy * image.Width + sx) * 3 + c] : 0;
                    var scaled = value * scale;
                    output[(c * size + y) * size + x] = scaled + shift;
                }
            }
        }

        return output;
    }
}
