using TorchEnv.Training.Normalization;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchEnv.Training.Tests;

/// <summary>
/// The template's training step under constant garbage collections. TorchSharp 0.107.0 passes libtorch temporary
/// Scalars that a GC can finalize during the native call (dotnet/TorchSharp PR #1434); the template's path must not
/// (batch-norm counters removed, TorchEnv's AdamW, explicit add alpha). A regression aborts the test host with
/// "Unknown scalar type" / "alpha must not be a floating point number" or fails a step with that error. A smoke
/// test: the race is rare, so a run without the fix usually passes too (the exactness tests are AdamWTests and
/// BatchNormCountersTests; the crash itself is reproduced with the template under DOTNET_GCgen0size=0x20000).
/// </summary>
[Trait("Category", "Integration")]
[Collection(TorchCollection.Name)]
public sealed class ScalarLifetimeUnderGcTests
{
    private static readonly Scalar One = 1.ToScalar();

    [Fact]
    public void Training_steps_survive_collections_on_another_thread_and_still_learn()
    {
        manual_seed(13);
        using var model = new TinyResNet();
        Assert.Equal(3, BatchNormCounters.RemoveUnused(model));
        using var optimizer = new Optimizers.AdamW(model.parameters(), 0.01, weightDecay: 0.01);
        using var lossFunction = nn.CrossEntropyLoss();
        using var images = randn(16, 3, 8, 8, generator: new Generator(1));
        using var labels = arange(16).remainder(4L);

        using var stop = new CancellationTokenSource();
        var collections = 0;
        var collector = new Thread(() =>
        {
            // Garbage and forced collections, the pressure of loader workers and profiler hooks, without pause.
            while (!stop.IsCancellationRequested)
            {
                GC.KeepAlive(new byte[16 * 1024]);
                GC.Collect(0, GCCollectionMode.Forced, blocking: true);   // the finalizer thread then runs beside the step
                collections++;
            }
        });
        collector.Start();

        float first = float.NaN, last = float.NaN;
        var steps = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            model.train();
            while (clock.Elapsed < TimeSpan.FromSeconds(3) || steps < 5)
            {
                using var scope = NewDisposeScope();
                optimizer.zero_grad();
                var loss = lossFunction.call(model.call(images), labels);
                loss.backward();
                optimizer.step();
                last = loss.item<float>();
                first = steps == 0 ? last : first;
                steps++;
            }
        }
        finally
        {
            stop.Cancel();
            collector.Join();
        }

        Assert.True(collections > 10, $"only {collections} collections ran beside {steps} steps");
        Assert.True(float.IsFinite(last) && last < first, $"loss went from {first} to {last} in {steps} steps");
    }

    // The template's SmallResNet in miniature: stem, one residual block with a projection, pooled linear head.
    private sealed class TinyResNet : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> stem;
        private readonly nn.Module<Tensor, Tensor> conv1;
        private readonly nn.Module<Tensor, Tensor> bn1;
        private readonly nn.Module<Tensor, Tensor> shortcut;
        private readonly nn.Module<Tensor, Tensor> head;

        public TinyResNet() : base(nameof(TinyResNet))
        {
            stem = nn.Sequential(nn.Conv2d(3, 8, 3, padding: 1, bias: false), nn.BatchNorm2d(8), nn.ReLU());
            conv1 = nn.Conv2d(8, 16, 3, stride: 2, padding: 1, bias: false);
            bn1 = nn.BatchNorm2d(16);
            shortcut = nn.Sequential(nn.Conv2d(8, 16, 1, stride: 2, bias: false), nn.BatchNorm2d(16));
            head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 4));
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            var x = stem.call(input);
            var y = bn1.call(conv1.call(x));
            return head.call(nn.functional.relu(y.add(shortcut.call(x), One))).MoveToOuterDisposeScope();
        }
    }
}
