namespace TorchEnv.Training.Checkpoints;

/// <summary>Where training stands: enough to continue the loader's epoch at the next batch.</summary>
/// <param name="Epoch">The epoch in progress (0-based).</param>
/// <param name="GlobalStep">Optimizer steps taken since the start of training.</param>
/// <param name="BatchInEpoch">Batches of <paramref name="Epoch"/> already trained on (the next one to load).</param>
/// <param name="SamplesSeen">Training samples processed since the start.</param>
public sealed record TrainingProgress(int Epoch, long GlobalStep, long BatchInEpoch, long SamplesSeen)
{
    /// <summary>The start of training.</summary>
    public static TrainingProgress Start { get; } = new(0, 0, 0, 0);

    /// <summary>The progress after one more step of <paramref name="samples"/> samples.</summary>
    public TrainingProgress AfterStep(int samples) =>
        this with { GlobalStep = GlobalStep + 1, BatchInEpoch = BatchInEpoch + 1, SamplesSeen = SamplesSeen + samples };

    /// <summary>The progress at the start of the next epoch.</summary>
    public TrainingProgress NextEpoch() => this with { Epoch = Epoch + 1, BatchInEpoch = 0 };
}
