using TorchEnv.Training.Amp;
using TorchEnv.Training.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchEnv.Training.Tests;

[Trait("Category", "Integration")]
[Collection(TorchCollection.Name)]
public sealed class GradScalerTests
{
    [Fact]
    public void The_loss_is_scaled_and_the_gradients_are_unscaled_to_their_true_values()
    {
        using var weight = nn.Parameter(tensor(new[] { 2.0f, -3.0f }));
        using var optimizer = optim.SGD([weight], 0.1);
        var scaler = new GradScaler(initScale: 1024);

        using var loss = (weight * tensor(new[] { 1.5f, 0.5f })).sum();
        using var scaled = scaler.Scale(loss);
        Assert.Equal(loss.item<float>() * 1024, scaled.item<float>(), 3);
        scaled.backward();
        scaler.Unscale(optimizer);
        Assert.Equal(new[] { 1.5f, 0.5f }, weight.grad!.data<float>().ToArray());

        Assert.True(scaler.Step(optimizer));
        Assert.Equal(new[] { 2.0f - 0.15f, -3.0f - 0.05f }, weight.data<float>().ToArray());
        scaler.Update();
    }

    [Theory]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NaN)]
    public void A_non_finite_gradient_skips_the_step_and_halves_the_scale(float bad)
    {
        using var weight = nn.Parameter(tensor(new[] { 1.0f, 1.0f }));
        using var optimizer = optim.SGD([weight], 0.1);
        var scaler = new GradScaler(initScale: 4096);

        weight.grad = tensor(new[] { bad, 1.0f });
        var stepped = scaler.Step(optimizer);
        scaler.Update();

        Assert.False(stepped);
        Assert.Equal(new[] { 1.0f, 1.0f }, weight.data<float>().ToArray());
        Assert.Equal(2048, scaler.GetScale());
        Assert.Equal(0, scaler.GrowthTracker);
    }

    [Fact]
    public void The_scale_grows_after_the_growth_interval_of_clean_steps()
    {
        using var weight = nn.Parameter(tensor(new[] { 1.0f }));
        using var optimizer = optim.SGD([weight], 0.01);
        var scaler = new GradScaler(initScale: 8, growthFactor: 2, growthInterval: 3);

        var scales = new List<double>();
        for (var step = 0; step < 7; step++)
        {
            weight.grad = tensor(new[] { 1.0f });
            scaler.Step(optimizer);
            scaler.Update();
            scales.Add(scaler.GetScale());
        }

        Assert.Equal(new double[] { 8, 8, 16, 16, 16, 32, 32 }, scales);
    }

    [Fact]
    public void An_inf_resets_the_growth_tracker()
    {
        using var weight = nn.Parameter(tensor(new[] { 1.0f }));
        using var optimizer = optim.SGD([weight], 0.01);
        var scaler = new GradScaler(initScale: 8, growthInterval: 2);

        weight.grad = tensor(new[] { 1.0f });
        scaler.Step(optimizer);
        scaler.Update();
        Assert.Equal(1, scaler.GrowthTracker);

        weight.grad = tensor(new[] { float.NegativeInfinity });
        scaler.Step(optimizer);
        scaler.Update();
        Assert.Equal(0, scaler.GrowthTracker);
        Assert.Equal(4, scaler.GetScale());
    }

    [Fact]
    public void The_state_round_trips()
    {
        var scaler = new GradScaler(initScale: 512, growthFactor: 3, backoffFactor: 0.25, growthInterval: 10);
        using var weight = nn.Parameter(tensor(new[] { 1.0f }));
        using var optimizer = optim.SGD([weight], 0.01);
        weight.grad = tensor(new[] { 1.0f });
        scaler.Step(optimizer);
        scaler.Update();

        var state = scaler.StateDict();
        var restored = new GradScaler();
        restored.LoadStateDict(state);

        Assert.Equal(state, restored.StateDict());
        Assert.Equal(new GradScalerState(512, 3, 0.25, 10, 1), state);
    }

    [Fact]
    public void Unscaling_twice_in_one_step_is_an_error()
    {
        using var weight = nn.Parameter(tensor(new[] { 1.0f }));
        using var optimizer = optim.SGD([weight], 0.01);
        var scaler = new GradScaler();
        weight.grad = tensor(new[] { 1.0f });
        scaler.Unscale(optimizer);

        var error = Assert.Throws<TrainingException>(() => scaler.Unscale(optimizer));
        Assert.Equal("TENV0605", error.Code);
    }

    [Fact]
    public void Update_without_a_step_is_an_error()
    {
        var error = Assert.Throws<TrainingException>(() => new GradScaler().Update());
        Assert.Equal("TENV0607", error.Code);
    }

    [Fact]
    public void Invalid_options_are_rejected()
    {
        var error = Assert.Throws<TrainingException>(() => new GradScaler(backoffFactor: 1.5));
        Assert.Equal("TENV0609", error.Code);
    }

    [Fact]
    public void A_disabled_scaler_passes_everything_through()
    {
        using var weight = nn.Parameter(tensor(new[] { 1.0f }));
        using var optimizer = optim.SGD([weight], 0.5);
        var scaler = new GradScaler(enabled: false);
        using var loss = weight.sum();

        Assert.Same(loss, scaler.Scale(loss));
        weight.grad = tensor(new[] { float.PositiveInfinity });
        Assert.True(scaler.Step(optimizer));   // no inf check when disabled: the optimizer steps
        scaler.Update();
        Assert.Equal(1.0, scaler.GetScale());
    }
}
