using TorchEnv.Training.Data;

namespace TorchEnv.Training.Tests;

public sealed class EpochPermutationTests
{
    [Fact]
    public void A_permutation_holds_every_index_once()
    {
        var order = EpochPermutation.Create(1000, seed: 3, epoch: 2);
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (long)i), order.Order());
        Assert.NotEqual(Enumerable.Range(0, 1000).Select(i => (long)i), order);
    }

    [Fact]
    public void The_order_is_fixed_by_seed_and_epoch()
    {
        Assert.Equal(EpochPermutation.Create(50, 1, 0), EpochPermutation.Create(50, 1, 0));
        Assert.NotEqual(EpochPermutation.Create(50, 1, 0), EpochPermutation.Create(50, 1, 1));
        Assert.NotEqual(EpochPermutation.Create(50, 1, 0), EpochPermutation.Create(50, 2, 0));
    }

    [Fact]
    public void The_order_is_the_same_on_every_machine()
    {
        // Pinned values: SplitMix64 and the Fisher–Yates loop are specified exactly, so this never changes.
        Assert.Equal(new long[] { 9, 7, 6, 3, 0, 4, 8, 2, 5, 1 }, EpochPermutation.Create(10, seed: 42, epoch: 0));
    }

    [Fact]
    public void Without_shuffle_the_order_is_the_dataset_order()
    {
        Assert.Equal(new long[] { 0, 1, 2, 3 }, EpochPermutation.Create(4, 9, 9, shuffle: false));
    }

    [Fact]
    public void SplitMix64_matches_the_reference_sequence()
    {
        // First outputs of SplitMix64 seeded with 0 (as in the reference C implementation by Vigna).
        var random = new SplitMix64(0);
        Assert.Equal(0xE220A8397B1DCDAFUL, random.NextUInt64());
        Assert.Equal(0x6E789E6AA1B965F4UL, random.NextUInt64());
        Assert.Equal(0x06C45D188009454FUL, random.NextUInt64());
    }

    [Fact]
    public void Bounded_draws_are_uniform_enough_and_in_range()
    {
        var random = new SplitMix64(99);
        var counts = new int[6];
        for (var i = 0; i < 60_000; i++)
        {
            counts[random.NextBelow(6)]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));
    }
}
