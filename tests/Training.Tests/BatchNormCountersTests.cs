using TorchEnv.Training.Normalization;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchEnv.Training.Tests;

[Trait("Category", "Integration")]
[Collection(TorchCollection.Name)]
public sealed class BatchNormCountersTests
{
    [Fact]
    public void Counters_go_only_where_momentum_is_fixed_and_the_running_statistics_stay_the_same()
    {
        using var withCounters = Network(seed: 5);
        using var without = Network(seed: 5);

        Assert.Equal(2, BatchNormCounters.RemoveUnused(without));   // the cumulative-average layer (momentum null) keeps its counter

        var names = without.state_dict().Keys.Where(k => k.EndsWith("num_batches_tracked", StringComparison.Ordinal)).ToList();
        Assert.Equal(["2.num_batches_tracked"], names);
        using var input = randn(32, 3, 6, 6, generator: new Generator(9));
        for (var i = 0; i < 4; i++)
        {
            using var scaled = input * (i + 1);
            withCounters.call(scaled).Dispose();
            without.call(scaled).Dispose();
        }

        var expected = withCounters.state_dict();
        foreach (var (name, value) in without.state_dict())
        {
            using var difference = (expected[name].to_type(ScalarType.Float64) - value.to_type(ScalarType.Float64)).abs().max();
            Assert.True(difference.item<double>() == 0, $"{name} differs by {difference.item<double>()}");
        }
    }

    [Fact]
    public void A_model_without_counters_saves_and_loads_strictly()
    {
        using var trained = Network(seed: 6);
        BatchNormCounters.RemoveUnused(trained);
        using (var input = randn(8, 3, 6, 6))
        {
            trained.call(input).Dispose();
        }

        using var buffer = new MemoryStream();
        trained.save(new BinaryWriter(buffer));
        using var restored = Network(seed: 7);
        BatchNormCounters.RemoveUnused(restored);
        buffer.Position = 0;
        restored.load(new BinaryReader(buffer), strict: true);

        var expected = trained.state_dict();
        foreach (var (name, value) in restored.state_dict())
        {
            Assert.True(value.allclose(expected[name], rtol: 0, atol: 0), $"{name} was not restored");
        }
    }

    private static nn.Module<Tensor, Tensor> Network(int seed)
    {
        manual_seed(seed);
        var cumulative = nn.BatchNorm2d(4);
        cumulative.momentum = null;   // PyTorch's cumulative moving average, which reads the counter
        var network = nn.Sequential(
            nn.Conv2d(3, 4, 3),
            nn.BatchNorm2d(4),
            cumulative,
            nn.Flatten(),
            nn.BatchNorm1d(64, momentum: 0.2));
        network.train();
        return network;
    }
}
