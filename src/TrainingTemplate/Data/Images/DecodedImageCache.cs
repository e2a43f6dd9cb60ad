using System.Diagnostics;
using System.Runtime.InteropServices;

namespace TorchEnv.Training.Data.Images;

/// <summary>
/// Every image of a data set decoded once (and resized, when the transform resizes) into native memory as 8-bit RGB,
/// so that no epoch after the first reads or decodes a file. Native rather than managed memory: the garbage
/// collector neither counts nor moves it, so a cache of gigabytes adds no GC work to training. Filled on every core
/// before training starts (nothing competes with it then); read by several threads at once, never written again.
/// </summary>
internal sealed unsafe class DecodedImageCache : IDisposable
{
    // Images decoded to estimate the whole set's size before committing to decode it all.
    private const int ProbeImages = 32;

    private readonly IntPtr[] _pixels;
    private readonly int[] _widths;
    private readonly int[] _heights;
    private long _bytes;
    private bool _disposed;

    private DecodedImageCache(int count)
    {
        _pixels = new IntPtr[count];
        _widths = new int[count];
        _heights = new int[count];
    }

    /// <summary>Bytes of pixels held.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>
    /// Decodes all <paramref name="count"/> images with <paramref name="decode"/> on <paramref name="threads"/> threads,
    /// unless they would need more than <paramref name="budgetBytes"/>: then nothing is kept and the report says why.
    /// A failing image (unreadable, corrupt) throws its own error and frees what was decoded.
    /// </summary>
    public static (DecodedImageCache? Cache, DecodedCacheReport Report) Fill(int count, Func<int, DecodedImage> decode, long budgetBytes, int threads)
    {
        var started = Stopwatch.GetTimestamp();
        if (budgetBytes == 0)
        {
            return (null, DecodedCacheReport.NotCached(count, "the cache is off"));
        }

        var cache = new DecodedImageCache(count);
        try
        {
            // Probe evenly spread images first, so that a data set far over budget costs only the probe.
            var probe = Enumerable.Range(0, Math.Min(ProbeImages, count)).Select(i => (int)((long)i * count / Math.Min(ProbeImages, count))).Distinct().ToArray();
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) };
            Run(() => Parallel.ForEach(probe, parallel, index => cache.Store(index, decode(index))));
            var estimate = cache.Bytes / probe.Length * count;
            if (estimate > budgetBytes)
            {
                cache.Dispose();
                return (null, DecodedCacheReport.NotCached(count, $"decoded, the images would take about {ByteCount(estimate)}, more than the cache budget of {ByteCount(budgetBytes)}"));
            }

            var overBudget = false;
            Run(() => Parallel.For(0, count, parallel, (index, state) =>
            {
                if (cache._pixels[index] == IntPtr.Zero)
                {
                    cache.Store(index, decode(index));
                    if (cache.Bytes > budgetBytes)
                    {
                        overBudget = true;
                        state.Stop();
                    }
                }
            }));
            if (overBudget)
            {
                cache.Dispose();
                return (null, DecodedCacheReport.NotCached(count, $"decoded, the images take more than the cache budget of {ByteCount(budgetBytes)}"));
            }

            return (cache, new DecodedCacheReport(true, count, cache.Bytes, Stopwatch.GetElapsedTime(started), Math.Max(1, threads), null));
        }
        catch
        {
            cache.Dispose();
            throw;
        }
    }

    /// <summary>Image <paramref name="index"/>'s interleaved RGB pixels (valid while the cache lives).</summary>
    public ReadOnlySpan<byte> Rgb(int index, out int width, out int height)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        width = _widths[index];
        height = _heights[index];
        return new ReadOnlySpan<byte>((void*)_pixels[index], width * height * 3);
    }

    /// <summary>Frees the native memory.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        for (var i = 0; i < _pixels.Length; i++)
        {
            NativeMemory.Free((void*)_pixels[i]);
            _pixels[i] = IntPtr.Zero;
        }
    }

    internal static string ByteCount(long bytes) => bytes >= 1L << 30
        ? $"{bytes / (double)(1L << 30):F1} GiB"
        : $"{bytes / (double)(1L << 20):F1} MiB";

    private void Store(int index, DecodedImage image)
    {
        var pointer = NativeMemory.Alloc((nuint)image.Rgb.Length);
        image.Rgb.CopyTo(new Span<byte>(pointer, image.Rgb.Length));
        _widths[index] = image.Width;
        _heights[index] = image.Height;
        _pixels[index] = (IntPtr)pointer;
        Interlocked.Add(ref _bytes, image.Rgb.Length);
    }

    // Parallel loops wrap errors; the first image's own error (it names the file) is what the user should see.
    private static void Run(Action loop)
    {
        try
        {
            loop();
        }
        catch (AggregateException aggregate) when (aggregate.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(aggregate.InnerExceptions[0]).Throw();
        }
    }
}

/// <summary>What <see cref="ImageFolderDataset.CacheDecoded"/> did.</summary>
/// <param name="Cached">Whether the images are now in memory.</param>
/// <param name="Images">Images in the data set.</param>
/// <param name="Bytes">Bytes of decoded pixels held (0 when not cached).</param>
/// <param name="Elapsed">Time spent decoding.</param>
/// <param name="Threads">Threads that decoded.</param>
/// <param name="Reason">Why the images were not cached, or null.</param>
public sealed record DecodedCacheReport(bool Cached, int Images, long Bytes, TimeSpan Elapsed, int Threads, string? Reason)
{
    internal static DecodedCacheReport NotCached(int images, string reason) => new(false, images, 0, TimeSpan.Zero, 0, reason);

    /// <summary>One line for the start-up log.</summary>
    public override string ToString() => Cached
        ? $"{Images} images decoded once into memory ({DecodedImageCache.ByteCount(Bytes)}) in {Elapsed.TotalSeconds:F2} s on {Threads} thread(s): no epoch reads a file again"
        : $"{Images} images read and decoded on loader workers every epoch: {Reason}";
}
