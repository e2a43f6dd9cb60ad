namespace TorchEnv.Training.Diagnostics;

/// <summary>
/// An error of TorchEnv.Training with a stable code (<c>TENV0600</c>–<c>TENV0699</c>, listed in
/// <c>docs/diagnostics.md</c>) and a fix a person can apply. The library references TorchSharp only, so it carries
/// its own exception type rather than TorchEnv.Core's <c>Diagnostic</c>; <see cref="ToString"/> prints the same
/// <c>error TENVnnnn: message Fix: …</c> shape.
/// </summary>
public sealed class TrainingException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="code">Stable code, <c>TENV06nn</c>.</param>
    /// <param name="message">What went wrong.</param>
    /// <param name="fix">What to do about it.</param>
    /// <param name="inner">The original exception, when this one wraps it.</param>
    public TrainingException(string code, string message, string fix, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
        Fix = fix;
    }

    /// <summary>The stable code, e.g. <c>TENV0601</c>.</summary>
    public string Code { get; }

    /// <summary>What the user can do about it.</summary>
    public string Fix { get; }

    /// <summary>The exit code a training program returns for this error (<see cref="TrainingExitCodes"/>; set by each message).</summary>
    public int ExitCode { get; init; } = TrainingExitCodes.Failed;

    /// <summary>The one-line form printed to users: <c>error TENV0601: … Fix: …</c>.</summary>
    public string ToDisplayString() => $"error {Code}: {Message} Fix: {Fix}";

    /// <inheritdoc />
    public override string ToString() =>
        InnerException is null ? ToDisplayString() : ToDisplayString() + Environment.NewLine + " ---> " + InnerException;
}
