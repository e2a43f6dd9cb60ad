using TorchEnv.TestSupport;
using TorchEnv.Training.Checkpoints;
using TorchEnv.Training.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchEnv.Training.Tests;

[Trait("Category", "Integration")]
[Collection(TorchCollection.Name)]
public sealed class CheckpointFolderTests : IDisposable
{
    private readonly TempDirectory _temp = new("torchenv-checkpoint-folder");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Every_save_replaces_last_and_keeps_the_newest_step_copies()
    {
        using var model = nn.Linear(3, 2);
        using var optimizer = optim.SGD(model.parameters(), 0.1);
        var folder = new CheckpointFolder(_temp.Combine("checkpoints"), keep: 2);

        foreach (var step in new long[] { 10, 20, 30 })
        {
            folder.Save(model, optimizer, null, new TrainingProgress(0, step, step, step * 4), loaderSeed: 1, new { Seed = 1 });
        }

        Assert.Equal(["step-00000020.ckpt", "step-00000030.ckpt"], folder.StepCheckpoints.Select(Path.GetFileName));
        Assert.Equal(File.ReadAllBytes(folder.StepCheckpoint(30)), File.ReadAllBytes(folder.Last));
        Assert.Equal(30, TrainingCheckpoint.Load(folder.Last, model, optimizer, null).Progress.GlobalStep);
        Assert.Equal(20, TrainingCheckpoint.Load(folder.StepCheckpoint(20), model, optimizer, null).Progress.GlobalStep);
        Assert.Empty(Directory.GetFiles(folder.Directory, "*.tmp"));
    }

    [Fact]
    public void Best_is_the_checkpoint_with_the_highest_accuracy_and_survives_a_new_run()
    {
        using var model = nn.Linear(3, 2);
        using var optimizer = optim.SGD(model.parameters(), 0.1);
        var directory = _temp.Combine("best");
        var folder = new CheckpointFolder(directory, keep: 0);

        folder.Save(model, optimizer, null, new TrainingProgress(0, 10, 10, 40), 1, new { Seed = 1 });
        Assert.True(folder.RecordAccuracy(0.40, 10));
        folder.Save(model, optimizer, null, new TrainingProgress(0, 20, 20, 80), 1, new { Seed = 1 });
        Assert.False(folder.RecordAccuracy(0.35, 20));

        Assert.Empty(folder.StepCheckpoints);   // keep: 0 writes no step copies
        Assert.Equal(10, TrainingCheckpoint.Load(folder.Best, model, optimizer, null).Progress.GlobalStep);

        // A resumed run (a new CheckpointFolder on the same folder) knows the best so far.
        var again = new CheckpointFolder(directory, keep: 0);
        Assert.Equal(0.40, again.BestAccuracy);
        folder.Save(model, optimizer, null, new TrainingProgress(0, 30, 30, 120), 1, new { Seed = 1 });
        Assert.True(again.RecordAccuracy(0.5, 30));
        Assert.Equal(30, TrainingCheckpoint.Load(again.Best, model, optimizer, null).Progress.GlobalStep);
    }

    [Fact]
    public void The_stored_options_are_read_without_the_tensors_and_a_missing_file_is_TENV0650()
    {
        using var model = nn.Linear(3, 2);
        using var optimizer = optim.SGD(model.parameters(), 0.1);
        var folder = new CheckpointFolder(_temp.Combine("options"), keep: 1);
        folder.Save(model, optimizer, null, TrainingProgress.Start, 1, new StoredOptions(7, "data/x"));

        Assert.Equal(new StoredOptions(7, "data/x"), TrainingCheckpoint.ReadOptions<StoredOptions>(folder.Last));
        Assert.Equal("TENV0650", Assert.Throws<TrainingException>(() => TrainingCheckpoint.ReadOptions<StoredOptions>(_temp.Combine("none.ckpt"))).Code);
    }

    private sealed record StoredOptions(int Seed, string Data);
}
