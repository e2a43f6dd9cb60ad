using TorchEnv.TestSupport;
using TorchEnv.Training.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchEnv.Training.Tests;

[Trait("Category", "Integration")]
[Collection(TorchCollection.Name)]
public sealed class AdamWTests : IDisposable
{
    private readonly TempDirectory _temp = new("torchenv-adamw");

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(0.0, false, false)]
    [InlineData(0.01, false, false)]
    [InlineData(0.1, true, false)]
    [InlineData(0.01, false, true)]
    public void Steps_equal_TorchSharps_AdamW(double weightDecay, bool amsgrad, bool maximize)
    {
        // Same start, same gradients, six steps with a changing learning rate: the parameters and both moments must
        // equal TorchSharp's (in practice bit-identical: the same libtorch kernels in the same order).
        using var ours = Parameters(seed: 3);
        using var theirs = Parameters(seed: 3);
        using var oursOptimizer = new Optimizers.AdamW(ours.parameters(), 0.05, weightDecay: weightDecay, amsgrad: amsgrad, maximize: maximize);
        using var theirsOptimizer = optim.AdamW(theirs.parameters(), 0.05, weight_decay: weightDecay, amsgrad: amsgrad, maximize: maximize);
        using var input = randn(16, 5, generator: new Generator(7));

        for (var step = 0; step < 6; step++)
        {
            foreach (var (optimizer, model) in new (optim.Optimizer, nn.Module<Tensor, Tensor>)[] { (oursOptimizer, ours), (theirsOptimizer, theirs) })
            {
                foreach (var group in optimizer.ParamGroups)
                {
                    group.LearningRate = 0.05 / (step + 1);
                }

                optimizer.zero_grad();
                using var loss = model.call(input).pow(2).mean();
                loss.backward();
                optimizer.step();
            }
        }

        AssertClose(theirs.state_dict(), ours.state_dict());
        var oursState = oursOptimizer.state_dict().State.Cast<TorchSharp.Modules.AdamW.State>().ToList();
        var theirsState = theirsOptimizer.state_dict().State.Cast<TorchSharp.Modules.AdamW.State>().ToList();
        Assert.Equal(theirsState.Count, oursState.Count);
        for (var i = 0; i < oursState.Count; i++)
        {
            Assert.Equal(6, oursState[i].step);
            AssertClose(theirsState[i].exp_avg, oursState[i].exp_avg, $"exp_avg #{i}");
            AssertClose(theirsState[i].exp_avg_sq, oursState[i].exp_avg_sq, $"exp_avg_sq #{i}");
        }
    }

    [Fact]
    public void Its_state_survives_a_checkpoint_and_the_resumed_steps_continue_identically()
    {
        var path = _temp.Combine("adamw.ckpt");
        using var input = randn(8, 5, generator: new Generator(11));
        using var model = Parameters(seed: 4);
        using var optimizer = new Optimizers.AdamW(model.parameters(), 0.01, weightDecay: 0.01);
        Step(model, optimizer, input, 3);
        TrainingCheckpoint.Save(path, model, optimizer, null, TrainingProgress.Start, 1, "options");
        Step(model, optimizer, input, 2);

        using var resumed = Parameters(seed: 99);
        using var resumedOptimizer = new Optimizers.AdamW(resumed.parameters(), 0.01, weightDecay: 0.01);
        TrainingCheckpoint.Load(path, resumed, resumedOptimizer, null);
        Step(resumed, resumedOptimizer, input, 2);

        AssertClose(model.state_dict(), resumed.state_dict());
    }

    private static nn.Module<Tensor, Tensor> Parameters(int seed)
    {
        manual_seed(seed);
        return nn.Sequential(nn.Linear(5, 4), nn.Tanh(), nn.Linear(4, 3));
    }

    private static void Step(nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, Tensor input, int steps)
    {
        for (var i = 0; i < steps; i++)
        {
            optimizer.zero_grad();
            using var loss = model.call(input).pow(2).mean();
            loss.backward();
            optimizer.step();
        }
    }

    private static void AssertClose(Dictionary<string, Tensor> expected, Dictionary<string, Tensor> actual)
    {
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, value) in expected)
        {
            AssertClose(value, actual[name], name);
        }
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        using var difference = (expected - actual).abs().max();
        var value = difference.item<float>();
        Assert.True(value <= 1e-6f, $"{what} differs by {value}");
    }
}
