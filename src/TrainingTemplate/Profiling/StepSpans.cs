namespace TorchEnv.Training.Profiling;

/// <summary>The span names the training loop records (the trace shows them under these names).</summary>
public static class StepSpans
{
    /// <summary>Waiting for the next batch from the loader.</summary>
    public const string DataWait = "data_wait";

    /// <summary>Copying the batch to the device.</summary>
    public const string HostToDevice = "h2d_copy";

    /// <summary>Forward pass and loss.</summary>
    public const string Forward = "forward";

    /// <summary>Backward pass.</summary>
    public const string Backward = "backward";

    /// <summary>Optimizer step (with GradScaler unscale/step/update).</summary>
    public const string OptimizerStep = "optimizer_step";

    /// <summary>A value read back to the host (<c>.item()</c>), recorded by <see cref="StepProfiler.ReadScalar"/>.</summary>
    public const string HostSync = "host_sync";

    /// <summary>Prefix of per-module forward spans.</summary>
    public const string ModulePrefix = "module: ";

    /// <summary>Prefix of the span covering a whole step (PyTorch's name, so trace viewers group steps the same way).</summary>
    public const string StepPrefix = "ProfilerStep#";

    /// <summary>A loader worker building a batch (on the worker's lane of the trace).</summary>
    public const string LoaderBatch = "loader_batch";
}
