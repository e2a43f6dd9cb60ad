namespace TorchEnv.Training.Data;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014; the seeding
/// generator of java.util.SplittableRandom and of xoshiro): a 64-bit state advanced by the golden-ratio constant
/// 0x9E3779B97F4A7C15 and finalised by a fixed mix. Chosen because its output is specified exactly — shuffles and
/// augmentations are the same on every machine and .NET version, which <see cref="Random"/> does not promise.
/// Not thread-safe: one instance per sequence.
/// </summary>
public struct SplitMix64
{
    private ulong _state;

    /// <summary>Starts the sequence at <paramref name="seed"/>.</summary>
    public SplitMix64(ulong seed) => _state = seed;

    /// <summary>A generator for one stream of a run, e.g. (seed, epoch) for the shuffle or (seed, epoch, sample) for augmentations.</summary>
    public static SplitMix64 For(ulong seed, params ReadOnlySpan<long> stream)
    {
        var state = Mix(seed ^ 0x6A09E667F3BCC909UL);
        foreach (var part in stream)
        {
            state = Mix(state ^ Mix((ulong)part + 0x9E3779B97F4A7C15UL));
        }

        return new SplitMix64(state);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>A uniform integer in [0, <paramref name="bound"/>) without modulo bias (Lemire's multiply-shift with rejection).</summary>
    public ulong NextBelow(ulong bound)
    {
        if (bound == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bound), "The bound must be positive.");
        }

        var product = Math.BigMul(NextUInt64(), bound, out var low);
        if (low < bound)
        {
            var threshold = (0UL - bound) % bound;
            while (low < threshold)
            {
                product = Math.BigMul(NextUInt64(), bound, out low);
            }
        }

        return product;
    }

    /// <summary>A uniform integer in [<paramref name="minInclusive"/>, <paramref name="maxExclusive"/>).</summary>
    public int NextInt(int minInclusive, int maxExclusive) =>
        minInclusive + (int)NextBelow((ulong)((long)maxExclusive - minInclusive));

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A standard normal sample (Box–Muller; the second value is discarded to keep the stream simple).</summary>
    public double NextGaussian()
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
