using TorchEnv.Core.Diagnostics;

namespace TorchEnv.Tool.Cli;

/// <summary>
/// Stops a command because a check it needed failed (for example <c>--locked</c> with a stale lock): the findings are
/// reported and the exit code is <see cref="ExitCodes.CheckFailed"/>, not the "bad input" code the same diagnostics would
/// get as errors.
/// </summary>
internal sealed class CheckFailedException : Exception
{
    /// <summary>Creates the exception from the check's findings (at least one).</summary>
    public CheckFailedException(IReadOnlyList<Diagnostic> findings)
        : base(string.Join(Environment.NewLine, findings.Select(f => f.ToString())))
    {
        Findings = findings;
    }

    /// <summary>What the check found.</summary>
    public IReadOnlyList<Diagnostic> Findings { get; }
}
