namespace TorchEnv.Core.Diagnostics;

/// <summary>
/// What kind of failure a coded error is when it stops a command. Every <see cref="DiagnosticDescriptor"/> declares one;
/// the tool turns it into its exit code (<c>docs/exit-codes.md</c>), the build ignores it.
/// </summary>
public enum ExitClass
{
    /// <summary>An input file is malformed or asks for the impossible (spec, lock, stack matrix, native files).</summary>
    BadInput,

    /// <summary>An input file does not exist or cannot be read.</summary>
    MissingInput,

    /// <summary>The command line is wrong: an option, a flag, a variable or a name given on it.</summary>
    UsageError,

    /// <summary>A package source cannot be reached or does not serve what is needed.</summary>
    SourceUnavailable,

    /// <summary>An output file cannot be written, or exists and may not be overwritten, or another process holds it.</summary>
    CannotWrite,

    /// <summary>A bug in TorchEnv.</summary>
    InternalError,

    /// <summary>The user cancelled.</summary>
    Cancelled,
}
