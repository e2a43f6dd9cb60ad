using TorchEnv.Core.Diagnostics;

namespace TorchEnv.Tool.Cli;

/// <summary>
/// Every diagnostic the command line itself raises (TENV0500–TENV0519), in one place. Each one says what is wrong and
/// how to fix it; each code has a section in <c>docs/diagnostics.md</c>.
/// </summary>
internal static class ToolMessages
{
    // TENV0502 is not used: a missing spec is Core's TENV0008.
    // TENV0503 is not used: a missing lock is Core's TENV0230.
    // TENV0504 and TENV0505 (TORCHENV_LOCKED / TORCHENV_FROZEN, locked with frozen) are Core's LockModeMessages: the
    // build reads the variables through Core too.

    /// <summary>TENV0500: the command line could not be parsed.</summary>
    public static readonly DiagnosticDescriptor UsageDescriptor = new(
        "TENV0500", DiagnosticSeverity.Error, ExitClass.UsageError,
        "{0}",
        "Run 'torchenv --help' (or 'torchenv <command> --help') for the commands and options.");

    /// <summary>TENV0501: init would overwrite an existing spec.</summary>
    public static readonly DiagnosticDescriptor SpecExistsDescriptor = new(
        "TENV0501", DiagnosticSeverity.Error, ExitClass.CannotWrite,
        "'{0}' already exists; init does not overwrite it.",
        "Pass --force to replace it, or --file <path> to write the spec elsewhere.");

    /// <summary>TENV0506: a package id given on the command line is not in the lock.</summary>
    public static readonly DiagnosticDescriptor PackageNotLockedDescriptor = new(
        "TENV0506", DiagnosticSeverity.Error, ExitClass.UsageError,
        "Package '{0}' is not in '{1}'{2}",
        "Give the id of a locked package (see 'torchenv why --help'), or add the package to environment.yml and run 'torchenv lock'.");

    /// <summary>TENV0507: a variant or platform given on the command line is not in the spec or lock.</summary>
    public static readonly DiagnosticDescriptor UnknownEnvironmentDescriptor = new(
        "TENV0507", DiagnosticSeverity.Error, ExitClass.UsageError,
        "No {0} '{1}' here; known: {2}.",
        "Pass one of the known {0}s, or add it to environment.yml and run 'torchenv lock'.");

    /// <summary>TENV0508: an output file could not be written.</summary>
    public static readonly DiagnosticDescriptor CannotWriteDescriptor = new(
        "TENV0508", DiagnosticSeverity.Error, ExitClass.CannotWrite,
        "Cannot write {0}: {1}",
        "Check that the folder exists and is writable, and that no other program holds the file open.");

    /// <summary>TENV0509: an unexpected exception, a bug.</summary>
    public static readonly DiagnosticDescriptor InternalErrorDescriptor = new(
        "TENV0509", DiagnosticSeverity.Error, ExitClass.InternalError,
        "Internal error: {0}: {1}",
        "This is a bug in torchenv. Run again with --verbose and report the output.");

    /// <summary>TENV0510: the user cancelled.</summary>
    public static readonly DiagnosticDescriptor CancelledDescriptor = new(
        "TENV0510", DiagnosticSeverity.Error, ExitClass.Cancelled,
        "Cancelled; nothing was written.",
        null);

    /// <summary>TENV0511: a package source could not be reached.</summary>
    public static readonly DiagnosticDescriptor SourceUnavailableDescriptor = new(
        "TENV0511", DiagnosticSeverity.Error, ExitClass.SourceUnavailable,
        "A package source could not be reached: {0}",
        "Check the network and the sources in environment.yml 'channels:' and NuGet.config, then run the command again.");

    /// <summary>TENV0512: an input file could not be read.</summary>
    public static readonly DiagnosticDescriptor CannotReadDescriptor = new(
        "TENV0512", DiagnosticSeverity.Error, ExitClass.MissingInput,
        "Cannot read {0}: {1}",
        "Check that the file exists and is readable.");

    /// <summary>TENV0513: options that cannot be used together.</summary>
    public static readonly DiagnosticDescriptor ConflictingOptionsDescriptor = new(
        "TENV0513", DiagnosticSeverity.Error, ExitClass.UsageError,
        "{0} and {1} cannot be used together.",
        "Drop {0} or {1}.");

    /// <summary>The command line could not be parsed.</summary>
    public static Diagnostic Usage(string message) => UsageDescriptor.Create(null, message);

    /// <summary>init would overwrite an existing spec.</summary>
    public static Diagnostic SpecExists(string path) => SpecExistsDescriptor.Create(null, path);

    /// <summary>A package id given on the command line is not in the lock; suggests the closest of <paramref name="locked"/>.</summary>
    public static Diagnostic PackageNotLocked(string id, string lockPath, IEnumerable<string> locked) => PackageNotLockedDescriptor.Create(
        null, id, lockPath, NameSuggestions.Closest(id, locked) is { } closest ? $"; did you mean '{closest}'?" : ".");

    /// <summary>A variant or platform given on the command line is not in the spec or lock.</summary>
    public static Diagnostic UnknownEnvironment(string what, string value, IReadOnlyList<string> known) =>
        UnknownEnvironmentDescriptor.Create(null, what, value, string.Join(", ", known));

    /// <summary>An output file could not be written.</summary>
    public static Diagnostic CannotWrite(string? path, string reason) =>
        CannotWriteDescriptor.Create(null, path is null ? "the output" : "'" + path + "'", reason);

    /// <summary>An input file could not be read.</summary>
    public static Diagnostic CannotRead(string? path, string reason) =>
        CannotReadDescriptor.Create(null, path is null ? "an input file" : "'" + path + "'", reason);

    /// <summary>An unexpected exception: a bug.</summary>
    public static Diagnostic InternalError(Exception exception) => InternalErrorDescriptor.Create(null, exception.GetType().Name, exception.Message);

    /// <summary>The user cancelled.</summary>
    public static Diagnostic Cancelled() => CancelledDescriptor.Create(null);

    /// <summary>A package source could not be reached.</summary>
    public static Diagnostic SourceUnavailable(string reason) => SourceUnavailableDescriptor.Create(null, reason);

    /// <summary>Options that cannot be used together.</summary>
    public static Diagnostic ConflictingOptions(string first, string second) => ConflictingOptionsDescriptor.Create(null, first, second);
}
