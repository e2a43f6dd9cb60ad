using TorchEnv.TestSupport;
using TorchEnv.Training.Amp;
using TorchEnv.Training.Checkpoints;
using TorchEnv.Training.Data;
using TorchEnv.Training.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchEnv.Training.Tests;

[Trait("Category", "Integration")]
[Collection(TorchCollection.Name)]
public sealed class TrainingCheckpointTests : IDisposable
{
    private const int Seed = 21;
    private readonly TempDirectory _temp = new("torchenv-checkpoint");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_run_stopped_after_k_steps_and_resumed_equals_the_uninterrupted_run_at_2k()
    {
        // k = 7 steps with 8 batches per epoch, so the resumed half crosses an epoch boundary. Tolerance: parameters,
        // batch-norm statistics and losses equal within 1e-6 (CPU, same thread count: in practice bit-identical).
        const int k = 7;
        using var dataset = new NoisyDataset(64);
        var path = _temp.Combine("last.ckpt");

        var (uninterrupted, fullLosses) = Run(dataset, steps: 2 * k, initSeed: Seed, resumeFrom: null, saveTo: null);
        Run(dataset, steps: k, initSeed: Seed, resumeFrom: null, saveTo: path).Model.Dispose();
        var (resumed, resumedLosses) = Run(dataset, steps: k, initSeed: 999, resumeFrom: path, saveTo: null);

        Assert.Equal(fullLosses.Skip(k), resumedLosses, (a, b) => Math.Abs(a - b) <= 1e-6);
        var expected = uninterrupted.state_dict();
        var actual = resumed.state_dict();
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, value) in expected)
        {
            var difference = (value.to_type(ScalarType.Float64) - actual[name].to_type(ScalarType.Float64)).abs().max().item<double>();
            Assert.True(difference <= 1e-6, $"{name} differs by {difference}");
        }

        uninterrupted.Dispose();
        resumed.Dispose();
    }

    [Fact]
    public void Options_progress_scaler_and_random_state_round_trip()
    {
        var path = _temp.Combine("state.ckpt");
        using var model = nn.Linear(3, 2);
        using var optimizer = optim.Adam(model.parameters(), 0.01);
        var scaler = new GradScaler(initScale: 128, growthInterval: 50);
        var progress = new TrainingProgress(2, 130, 4, 8320);

        manual_seed(5);
        TrainingCheckpoint.Save(path, model, optimizer, scaler, progress, loaderSeed: 77, new SampleOptions("bf16", 12));
        using var expectedDraw = rand(4);

        manual_seed(6);
        var restoredScaler = new GradScaler();
        var checkpoint = TrainingCheckpoint.Load(path, model, optimizer, restoredScaler);
        using var draw = rand(4);

        Assert.Equal(progress, checkpoint.Progress);
        Assert.Equal(77, checkpoint.LoaderSeed);
        Assert.Equal(new SampleOptions("bf16", 12), checkpoint.Options<SampleOptions>());
        Assert.Equal(scaler.StateDict(), restoredScaler.StateDict());
        Assert.Equal(__version__, checkpoint.LibTorchVersion);
        Assert.Equal(expectedDraw.data<float>().ToArray(), draw.data<float>().ToArray());
    }

    [Fact]
    public void A_failed_save_leaves_the_previous_checkpoint_intact()
    {
        var path = _temp.Combine("keep.ckpt");
        using var model = nn.Linear(2, 2);
        using var optimizer = optim.SGD(model.parameters(), 0.1);
        TrainingCheckpoint.Save(path, model, optimizer, null, TrainingProgress.Start, 1, new SampleOptions("off", 1));
        var before = File.ReadAllBytes(path);

        Assert.ThrowsAny<Exception>(() => TrainingCheckpoint.Save(path, model, optimizer, null, TrainingProgress.Start, 1, new Unserialisable()));

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(new[] { path }, Directory.GetFiles(_temp.Path));   // no temporary file left
    }

    [Fact]
    public void Missing_truncated_and_mismatched_checkpoints_are_explained()
    {
        using var model = nn.Linear(2, 2);
        using var optimizer = optim.SGD(model.parameters(), 0.1);
        var missing = Assert.Throws<TrainingException>(() => TrainingCheckpoint.Load(_temp.Combine("none.ckpt"), model, optimizer, null));
        Assert.Equal("TENV0650", missing.Code);

        var path = _temp.Combine("x.ckpt");
        TrainingCheckpoint.Save(path, model, optimizer, null, TrainingProgress.Start, 1, new SampleOptions("off", 1));
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 20)]);
        Assert.Equal("TENV0651", Assert.Throws<TrainingException>(() => TrainingCheckpoint.Load(path, model, optimizer, null)).Code);

        TrainingCheckpoint.Save(path, model, optimizer, null, TrainingProgress.Start, 1, new SampleOptions("off", 1));
        using var other = nn.Linear(3, 2);
        using var otherOptimizer = optim.SGD(other.parameters(), 0.1);
        var mismatch = Assert.Throws<TrainingException>(() => TrainingCheckpoint.Load(path, other, otherOptimizer, null));
        Assert.Equal("TENV0652", mismatch.Code);
    }

    private static (nn.Module<Tensor, Tensor> Model, List<float> Losses) Run(NoisyDataset dataset, int steps, int initSeed, string? resumeFrom, string? saveTo)
    {
        manual_seed(initSeed);
        var model = nn.Sequential(nn.Linear(6, 12), nn.BatchNorm1d(12), nn.ReLU(), nn.Dropout(0.2), nn.Linear(12, 3));
        using var optimizer = optim.SGD(model.parameters(), 0.05, momentum: 0.9);
        var scaler = new GradScaler(initScale: 256, growthInterval: 4);   // exercised on CPU in float32: its state must resume too
        using var loader = PrefetchingDataLoader.Create(dataset, new DataLoaderOptions { BatchSize = 8, Workers = 2, Seed = Seed });
        var progress = TrainingProgress.Start;
        if (resumeFrom is not null)
        {
            progress = TrainingCheckpoint.Load(resumeFrom, model, optimizer, scaler).Progress;
        }
        else
        {
            manual_seed(Seed + 1);   // the dropout stream starts at the same point in both runs
        }

        var losses = new List<float>();
        var stopAt = progress.GlobalStep + steps;
        while (progress.GlobalStep < stopAt)
        {
            foreach (var batch in loader.GetEpoch(progress.Epoch, progress.BatchInEpoch))
            {
                using (batch)
                using (NewDisposeScope())
                {
                    var loss = nn.functional.cross_entropy(model.call(batch["x"]), batch["y"]);
                    optimizer.zero_grad();
                    scaler.Scale(loss).backward();
                    scaler.Step(optimizer);
                    scaler.Update();
                    losses.Add(loss.item<float>());
                    progress = progress.AfterStep(batch.Size);
                }

                if (progress.GlobalStep == stopAt)
                {
                    break;
                }
            }

            if (progress.BatchInEpoch == loader.BatchesPerEpoch)
            {
                progress = progress.NextEpoch();
            }
        }

        if (saveTo is not null)
        {
            TrainingCheckpoint.Save(saveTo, model, optimizer, scaler, progress, Seed, new SampleOptions("off", steps));
        }

        return (model, losses);
    }

    private sealed record SampleOptions(string Amp, int Steps);

    private sealed class Unserialisable
    {
        public int Value => throw new InvalidOperationException("cannot serialise");
    }

    /// <summary>Three Gaussian clusters; each epoch adds fresh noise from (seed, epoch, sample) — a stand-in for augmentation.</summary>
    private sealed class NoisyDataset(long count) : utils.data.Dataset
    {
        public override long Count => count;

        public override Dictionary<string, Tensor> GetTensor(long index)
        {
            var label = index % 3;
            var random = LoaderWorkerInfo.Current!.RandomFor(index);
            var features = Enumerable.Range(0, 6).Select(i => (float)((i % 3 == label ? 1.5 : 0) + 0.5 * random.NextGaussian())).ToArray();
            return new() { ["x"] = tensor(features), ["y"] = tensor(label) };
        }
    }
}
