namespace TorchEnv.Training.Amp;

/// <summary>
/// Everything a <see cref="GradScaler"/> needs to continue exactly where it stopped; stored in checkpoints
/// (PyTorch's <c>GradScaler.state_dict()</c>: scale, growth_factor, backoff_factor, growth_interval, _growth_tracker).
/// </summary>
/// <param name="Scale">The current loss scale.</param>
/// <param name="GrowthFactor">Factor the scale grows by after <paramref name="GrowthInterval"/> clean steps.</param>
/// <param name="BackoffFactor">Factor the scale shrinks by after a step with inf/NaN gradients.</param>
/// <param name="GrowthInterval">Clean steps in a row before the scale grows.</param>
/// <param name="GrowthTracker">Clean steps in a row so far.</param>
public sealed record GradScalerState(
    double Scale,
    double GrowthFactor,
    double BackoffFactor,
    int GrowthInterval,
    int GrowthTracker);
