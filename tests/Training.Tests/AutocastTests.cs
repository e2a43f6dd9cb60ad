using TorchEnv.Training.Amp;
using TorchEnv.Training.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchEnv.Training.Tests;

[Trait("Category", "Integration")]
[Collection(TorchCollection.Name)]
public sealed class AutocastTests
{
    [Fact]
    public void A_float32_matmul_yields_bfloat16_inside_the_scope_and_float32_after_it()
    {
        using var a = randn(8, 8);
        using var b = randn(8, 8);
        using (Autocast.Enter(CPU, ScalarType.BFloat16))
        {
            using var inside = matmul(a, b);
            Assert.Equal(ScalarType.BFloat16, inside.dtype);
            Assert.True(Autocast.IsEnabled(DeviceType.CPU));
        }

        using var after = matmul(a, b);
        Assert.Equal(ScalarType.Float32, after.dtype);
        Assert.False(Autocast.IsEnabled(DeviceType.CPU));
    }

    [Fact]
    public void Autocast_keeps_reductions_and_losses_in_float32_as_libtorch_lists_them()
    {
        using var logits = randn(4, 3);
        using var target = tensor(new long[] { 0, 1, 2, 1 });
        using var linear = nn.Linear(3, 3);
        using (Autocast.Enter(CPU, ScalarType.BFloat16))
        {
            using var output = linear.call(logits);
            using var loss = nn.functional.cross_entropy(output, target);
            Assert.Equal(ScalarType.BFloat16, output.dtype);
            Assert.Equal(ScalarType.Float32, loss.dtype);
        }
    }

    [Fact]
    public void Nested_scopes_restore_the_outer_state_and_suspend_turns_autocast_off_locally()
    {
        using var a = randn(4, 4);
        using (Autocast.Enter(CPU, ScalarType.BFloat16))
        {
            using (Autocast.Enter(CPU, ScalarType.Float16))
            {
                Assert.Equal(ScalarType.Float16, Autocast.GetDtype(DeviceType.CPU));
                using var half = matmul(a, a);
                Assert.Equal(ScalarType.Float16, half.dtype);
            }

            Assert.Equal(ScalarType.BFloat16, Autocast.GetDtype(DeviceType.CPU));
            using (Autocast.Suspend(DeviceType.CPU))
            {
                Assert.False(Autocast.IsEnabled(DeviceType.CPU));
                using var full = matmul(a, a);
                Assert.Equal(ScalarType.Float32, full.dtype);
            }

            Assert.True(Autocast.IsEnabled(DeviceType.CPU));
            using var low = matmul(a, a);
            Assert.Equal(ScalarType.BFloat16, low.dtype);
        }

        Assert.False(Autocast.IsEnabled(DeviceType.CPU));
    }

    [Fact]
    public void A_disabled_scope_changes_nothing()
    {
        using var a = randn(4, 4);
        using (Autocast.Enter(CPU, ScalarType.BFloat16, enabled: false))
        {
            Assert.False(Autocast.IsEnabled(DeviceType.CPU));
            using var result = matmul(a, a);
            Assert.Equal(ScalarType.Float32, result.dtype);
        }
    }

    [Fact]
    public void Closing_an_outer_scope_before_the_inner_one_is_an_error()
    {
        var outer = Autocast.Enter(CPU, ScalarType.BFloat16);
        var inner = Autocast.Enter(CPU, ScalarType.BFloat16);
        var error = Assert.Throws<TrainingException>(outer.Dispose);
        Assert.Equal("TENV0604", error.Code);
        inner.Dispose();
        outer.Dispose();
        Assert.False(Autocast.IsEnabled(DeviceType.CPU));
    }

    [Fact]
    public void Float32_is_not_an_autocast_precision()
    {
        var error = Assert.Throws<TrainingException>(() => Autocast.Enter(CPU, ScalarType.Float32));
        Assert.Equal("TENV0603", error.Code);
        Assert.Contains("BFloat16 or Float16", error.Message);
    }

    [Fact]
    public void Every_symbol_is_found_in_the_loaded_libtorch()
    {
        Autocast.EnsureAvailable();
    }

    [Theory]
    [InlineData(false, "libtorch_cpu.so", "_ZN2at8autocast17decrement_nestingEv")]
    [InlineData(true, "torch_cpu.dll", "?decrement_nesting@autocast@at@@YAHXZ")]
    public void A_missing_symbol_is_named_with_the_locked_libtorch_and_a_fix(bool windows, string library, string missing)
    {
        var error = Assert.Throws<TrainingException>(() => AutocastNative.Resolve(
            symbol => symbol == missing ? IntPtr.Zero : new IntPtr(1),
            library,
            "2.10.0",
            windows));
        Assert.Equal("TENV0601", error.Code);
        Assert.Contains($"'{missing}' (at::autocast::decrement_nesting()) is not in {library}", error.Message);
        Assert.Contains("2.10.0", error.Message);
        Assert.Contains("--amp off", error.Fix);
    }

    [Fact]
    public void A_bf16_run_stays_within_tolerance_of_the_fp32_run_over_50_steps()
    {
        // Tolerance: bf16 keeps 8 mantissa bits (~0.4% per rounding); over 50 SGD steps the losses of the two runs
        // stay within 0.03 absolute + 3% relative of each other, step by step.
        var fp32 = TrainSmallNetwork(amp: false, out var fp32Dtype);
        var bf16 = TrainSmallNetwork(amp: true, out var bf16Dtype);

        Assert.Equal(ScalarType.Float32, fp32Dtype);
        Assert.Equal(ScalarType.BFloat16, bf16Dtype);   // autocast really ran
        Assert.True(fp32[^1] < fp32[0] * 0.7, $"fp32 loss should fall: {fp32[0]} -> {fp32[^1]}");
        for (var step = 0; step < fp32.Length; step++)
        {
            var tolerance = 0.03 + 0.03 * Math.Abs(fp32[step]);
            Assert.True(Math.Abs(bf16[step] - fp32[step]) <= tolerance, $"step {step}: bf16 {bf16[step]} vs fp32 {fp32[step]}");
        }
    }

    private static float[] TrainSmallNetwork(bool amp, out ScalarType logitsDtype)
    {
        manual_seed(7);
        using var inputs = randn(64, 16);
        using var weights = randn(16, 4);
        using var targets = matmul(inputs, weights).argmax(1);
        using var model = nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 4));
        using var optimizer = optim.SGD(model.parameters(), 0.1, momentum: 0.9);
        var losses = new float[50];
        logitsDtype = ScalarType.Float32;
        for (var step = 0; step < losses.Length; step++)
        {
            using var scope = NewDisposeScope();
            Tensor loss;
            using (Autocast.Enter(CPU, ScalarType.BFloat16, enabled: amp))
            {
                var logits = model.call(inputs);
                logitsDtype = logits.dtype;
                loss = nn.functional.cross_entropy(logits, targets);
            }

            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            losses[step] = loss.item<float>();
        }

        return losses;
    }
}
