namespace TorchEnv.Training.Tests;

/// <summary>
/// Tests that run libtorch: one at a time, because torch's default generator and thread settings are process-wide
/// and because the machine has two cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchCollection
{
    public const string Name = "torch";
}
