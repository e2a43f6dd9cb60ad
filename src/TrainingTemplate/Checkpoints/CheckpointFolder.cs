using System.Globalization;
using System.Text.Json;
using TorchEnv.Training.Amp;
using TorchEnv.Training.IO;
using static TorchSharp.torch;

namespace TorchEnv.Training.Checkpoints;

/// <summary>
/// The checkpoints of one run in one folder: <c>last.ckpt</c> (what <c>--resume</c> reads, replaced at every save),
/// a copy per save named by its step (<c>step-00001200.ckpt</c>) of which the newest <see cref="Keep"/> stay, and
/// <c>best.ckpt</c>, the checkpoint with the highest test accuracy so far (its accuracy and step in <c>best.json</c>).
/// Every file is written atomically: a kill at any moment leaves each of them complete, old or new.
/// </summary>
public sealed class CheckpointFolder
{
    private const string StepPrefix = "step-";
    private const string Extension = ".ckpt";

    /// <summary>Opens (not yet creates) the folder; reads the best accuracy recorded by an earlier run.</summary>
    /// <param name="directory">The folder (<c>--checkpoint-dir</c>).</param>
    /// <param name="keep">How many step checkpoints to keep besides <c>last.ckpt</c> and <c>best.ckpt</c> (0: none).</param>
    public CheckpointFolder(string directory, int keep)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentOutOfRangeException.ThrowIfNegative(keep);
        Directory = directory;
        Keep = keep;
        BestAccuracy = ReadBestAccuracy();
    }

    /// <summary>The folder.</summary>
    public string Directory { get; }

    /// <summary>How many step checkpoints are kept.</summary>
    public int Keep { get; }

    /// <summary><c>last.ckpt</c>: the newest checkpoint.</summary>
    public string Last => Path.Combine(Directory, "last" + Extension);

    /// <summary><c>best.ckpt</c>: the checkpoint with the highest test accuracy.</summary>
    public string Best => Path.Combine(Directory, "best" + Extension);

    /// <summary>The test accuracy of <see cref="Best"/>, or null before the first evaluation.</summary>
    public double? BestAccuracy { get; private set; }

    /// <summary>The kept step checkpoints, oldest first.</summary>
    public IReadOnlyList<string> StepCheckpoints =>
        System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.GetFiles(Directory, StepPrefix + "*" + Extension).Order(StringComparer.Ordinal).ToList()
            : [];

    /// <summary>The file a save at <paramref name="globalStep"/> keeps beside <c>last.ckpt</c>.</summary>
    public string StepCheckpoint(long globalStep) =>
        Path.Combine(Directory, StepPrefix + globalStep.ToString("D8", CultureInfo.InvariantCulture) + Extension);

    /// <summary>
    /// Writes <c>last.ckpt</c> (see <see cref="TrainingCheckpoint.Save"/>), keeps a copy named by the step, and
    /// deletes the oldest step copies beyond <see cref="Keep"/>.
    /// </summary>
    public void Save<TOptions>(nn.Module model, optim.Optimizer optimizer, GradScaler? scaler, TrainingProgress progress, long loaderSeed, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(progress);
        TrainingCheckpoint.Save(Last, model, optimizer, scaler, progress, loaderSeed, options);
        if (Keep == 0)
        {
            return;
        }

        Copy(Last, StepCheckpoint(progress.GlobalStep));
        var steps = StepCheckpoints;
        foreach (var old in steps.Take(Math.Max(0, steps.Count - Keep)))
        {
            File.Delete(old);
        }
    }

    /// <summary>
    /// Records the test accuracy of the checkpoint just saved (<c>last.ckpt</c>); when it beats every earlier one,
    /// <c>last.ckpt</c> is copied to <c>best.ckpt</c>. Returns whether it did.
    /// </summary>
    public bool RecordAccuracy(double accuracy, long globalStep)
    {
        if (BestAccuracy is double best && accuracy <= best)
        {
            return false;
        }

        Copy(Last, Best);
        AtomicFile.WriteAllText(BestRecord, JsonSerializer.Serialize(new BestCheckpoint(globalStep, accuracy)));
        BestAccuracy = accuracy;
        return true;
    }

    private string BestRecord => Path.Combine(Directory, "best.json");

    private double? ReadBestAccuracy()
    {
        try
        {
            return File.Exists(BestRecord) && File.Exists(Best)
                ? JsonSerializer.Deserialize<BestCheckpoint>(File.ReadAllText(BestRecord))?.TestAccuracy
                : null;
        }
        catch (JsonException)
        {
            return null;   // a damaged record only means the next evaluation becomes the best
        }
    }

    private static void Copy(string from, string to) =>
        AtomicFile.Write(to, target =>
        {
            using var source = File.OpenRead(from);
            source.CopyTo(target);
        });

    private sealed record BestCheckpoint(long Step, double TestAccuracy);
}
