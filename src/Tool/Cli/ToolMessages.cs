using TorchEnv.Core.Diagnostics;

namespace TorchEnv.Tool.Cli;

/// <summary>
/// Every diagnostic the command line itself raises (TENV0500–TENV0519), in one place. Each one says what is wrong and
/// how to fix it; each code has a section in <c>docs/diagnostics.md</c>.
/// </summary>
internal static class ToolMessages
{
    /// <summary>The command line could not be parsed.</summary>
    public const string UsageCode = "TENV0500";

    /// <summary>init would overwrite an existing spec.</summary>
    public const string SpecExistsCode = "TENV0501";

    // TENV0502 is not used: a missing spec is Core's TENV0008.

    // TENV0503 is not used: a missing lock is Core's TENV0230.

    /// <summary>TORCHENV_LOCKED / TORCHENV_FROZEN holds something that is not a boolean.</summary>
    public const string BadEnvironmentVariableCode = "TENV0504";

    /// <summary>Locked and frozen asked for together.</summary>
    public const string LockedAndFrozenCode = "TENV0505";

    /// <summary>A package id given on the command line is not in the lock.</summary>
    public const string PackageNotLockedCode = "TENV0506";

    /// <summary>A variant or platform given on the command line is not in the spec or lock.</summary>
    public const string UnknownEnvironmentCode = "TENV0507";

    /// <summary>An output file could not be written.</summary>
    public const string CannotWriteCode = "TENV0508";

    /// <summary>An unexpected exception: a bug.</summary>
    public const string InternalErrorCode = "TENV0509";

    /// <summary>The user cancelled.</summary>
    public const string CancelledCode = "TENV0510";

    /// <summary>A package source could not be reached.</summary>
    public const string SourceUnavailableCode = "TENV0511";

    /// <summary>An input file could not be read.</summary>
    public const string CannotReadCode = "TENV0512";

    /// <summary>Options that cannot be used together.</summary>
    public const string ConflictingOptionsCode = "TENV0513";

    /// <summary>The command line could not be parsed.</summary>
    public static Diagnostic Usage(string message) => Error(
        UsageCode, message, fix: "Run 'torchenv --help' (or 'torchenv <command> --help') for the commands and options.");

    /// <summary>init would overwrite an existing spec.</summary>
    public static Diagnostic SpecExists(string path) => Error(
        SpecExistsCode, $"'{path}' already exists; init does not overwrite it.",
        fix: "Pass --force to replace it, or --file <path> to write the spec elsewhere.");

    /// <summary>TORCHENV_LOCKED / TORCHENV_FROZEN holds something that is not a boolean.</summary>
    public static Diagnostic BadEnvironmentVariable(string name, string value) => Error(
        BadEnvironmentVariableCode, $"Environment variable {name}='{value}' is not a boolean.",
        fix: $"Set {name} to 1, true or yes to turn it on, or to 0, false, no or nothing to turn it off.");

    /// <summary>Locked and frozen asked for together.</summary>
    public static Diagnostic LockedAndFrozen(string lockedFrom, string frozenFrom) => Error(
        LockedAndFrozenCode, $"Locked mode ({lockedFrom}) and frozen mode ({frozenFrom}) cannot be used together.",
        fix: "Use --locked to check the lock against environment.yml, or --frozen to use the lock as it is without checking it.");

    /// <summary>A package id given on the command line is not in the lock; suggests the closest of <paramref name="locked"/>.</summary>
    public static Diagnostic PackageNotLocked(string id, string lockPath, IEnumerable<string> locked) => Error(
        PackageNotLockedCode,
        $"Package '{id}' is not in '{lockPath}'" + (NameSuggestions.Closest(id, locked) is { } closest ? $"; did you mean '{closest}'?" : "."),
        fix: "Give the id of a locked package (see 'torchenv why --help'), or add the package to environment.yml and run 'torchenv lock'.");

    /// <summary>A variant or platform given on the command line is not in the spec or lock.</summary>
    public static Diagnostic UnknownEnvironment(string what, string value, IReadOnlyList<string> known) => Error(
        UnknownEnvironmentCode, $"No {what} '{value}' here; known: {string.Join(", ", known)}.",
        fix: $"Pass one of the known {what}s, or add it to environment.yml and run 'torchenv lock'.");

    /// <summary>An output file could not be written.</summary>
    public static Diagnostic CannotWrite(string? path, string reason) => Error(
        CannotWriteCode, $"Cannot write {(path is null ? "the output" : "'" + path + "'")}: {reason}",
        fix: "Check that the folder exists and is writable, and that no other program holds the file open.");

    /// <summary>An input file could not be read.</summary>
    public static Diagnostic CannotRead(string? path, string reason) => Error(
        CannotReadCode, $"Cannot read {(path is null ? "an input file" : "'" + path + "'")}: {reason}",
        fix: "Check that the file exists and is readable.");

    /// <summary>An unexpected exception: a bug.</summary>
    public static Diagnostic InternalError(Exception exception) => Error(
        InternalErrorCode, $"Internal error: {exception.GetType().Name}: {exception.Message}",
        fix: "This is a bug in torchenv. Run again with --verbose and report the output.");

    /// <summary>The user cancelled.</summary>
    public static Diagnostic Cancelled() => Error(
        CancelledCode, "Cancelled; nothing was written.", fix: null);

    /// <summary>A package source could not be reached.</summary>
    public static Diagnostic SourceUnavailable(string reason) => Error(
        SourceUnavailableCode, $"A package source could not be reached: {reason}",
        fix: "Check the network and the sources in environment.yml 'channels:' and NuGet.config, then run the command again.");

    /// <summary>Options that cannot be used together.</summary>
    public static Diagnostic ConflictingOptions(string first, string second) => Error(
        ConflictingOptionsCode, $"{first} and {second} cannot be used together.",
        fix: $"Drop {first} or {second}.");

    private static Diagnostic Error(string code, string message, string? fix) =>
        new(code, DiagnosticSeverity.Error, message, Location: null, Fix: fix);
}
