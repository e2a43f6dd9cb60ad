namespace TorchEnv.Training.Data;

/// <summary>
/// Tells a dataset running on a loader worker thread which epoch it serves (PyTorch's <c>get_worker_info()</c>), so that
/// random augmentations can be derived from (seed, epoch, sample) — identical on every run and on resume, whichever
/// worker builds the sample.
/// </summary>
/// <param name="WorkerId">0-based worker number.</param>
/// <param name="Workers">Number of workers.</param>
/// <param name="Seed">The loader's seed.</param>
/// <param name="Epoch">The epoch being built.</param>
public sealed record LoaderWorkerInfo(int WorkerId, int Workers, long Seed, int Epoch)
{
    [ThreadStatic]
    private static LoaderWorkerInfo? t_current;

    /// <summary>The info of the worker running on this thread; null outside loader workers.</summary>
    public static LoaderWorkerInfo? Current
    {
        get => t_current;
        internal set => t_current = value;
    }

    /// <summary>A generator for sample <paramref name="sampleIndex"/> of this epoch, independent of which worker asks.</summary>
    public SplitMix64 RandomFor(long sampleIndex) => SampleRandom(Seed, Epoch, sampleIndex);

    /// <summary>The generator of one sample's augmentations in one epoch: the same inside and outside loader workers.</summary>
    public static SplitMix64 SampleRandom(long seed, int epoch, long sampleIndex) =>
        SplitMix64.For((ulong)seed, 0x4155_4735 /* "AUGS" */, epoch, sampleIndex);
}
