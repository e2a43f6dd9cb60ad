namespace TorchEnv.Training.Data;

/// <summary>
/// The order in which an epoch visits the samples: a Fisher–Yates shuffle driven by <see cref="SplitMix64"/> seeded
/// from (seed, epoch), so every epoch gets a fresh order and the same (seed, epoch) always gives the same one — on any
/// machine, which is what makes <c>--resume</c> exact.
/// </summary>
public static class EpochPermutation
{
    /// <summary>The sample indices of epoch <paramref name="epoch"/>, shuffled, or in order when <paramref name="shuffle"/> is false.</summary>
    public static long[] Create(long count, ulong seed, int epoch, bool shuffle = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var order = new long[count];
        for (long i = 0; i < count; i++)
        {
            order[i] = i;
        }

        if (!shuffle)
        {
            return order;
        }

        var random = SplitMix64.For(seed, 0x5348_5546 /* "SHUF" */, epoch);
        for (var i = count - 1; i > 0; i--)
        {
            var j = (long)random.NextBelow((ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }

        return order;
    }
}
