namespace TorchEnv.Training.Diagnostics;

/// <summary>
/// The exit codes of a training program built on TorchEnv.Training (the template's <c>Program.cs</c> returns them),
/// following <c>sysexits.h</c> and <c>torchenv</c>'s own codes where they mean the same (docs/exit-codes.md).
/// </summary>
public static class TrainingExitCodes
{
    /// <summary>The run finished (or <c>--help</c> was printed).</summary>
    public const int Success = 0;

    /// <summary>Training failed: an unreadable image or checkpoint, a loader error, a mixed-precision error.</summary>
    public const int Failed = 1;

    /// <summary>The stack check at start failed: the process does not run on the locked stack, or the device asked for is not usable (as <c>torchenv</c>'s "check failed").</summary>
    public const int StackCheckFailed = 2;

    /// <summary>The command line is wrong: an unknown option, an invalid value, a value that contradicts the checkpoint being resumed.</summary>
    public const int UsageError = 64;
}
