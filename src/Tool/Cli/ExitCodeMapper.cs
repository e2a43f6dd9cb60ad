using System.Net.Http;
using System.Net.Sockets;
using NuGet.Protocol.Core.Types;
using TorchEnv.Core.Diagnostics;

namespace TorchEnv.Tool.Cli;

/// <summary>
/// The one place that decides which exit code a failure gets (see <c>docs/exit-codes.md</c>). Thrown errors go through
/// <see cref="Map(Exception)"/>; findings of a check (drift) go through <see cref="ForFindings"/>.
/// </summary>
internal static class ExitCodeMapper
{
    // Codes whose class is not the default of their range. Keep in step with docs/exit-codes.md.
    private static readonly Dictionary<string, int> ExplicitCodes = new(StringComparer.Ordinal)
    {
        ["TENV0008"] = ExitCodes.MissingInput, // the spec file cannot be read
        ["TENV0201"] = ExitCodes.SourceUnavailable, // a channel's local folder does not exist
        ["TENV0203"] = ExitCodes.SourceUnavailable, // a source failed to answer
        ["TENV0208"] = ExitCodes.SourceUnavailable, // a package download failed
        ["TENV0226"] = ExitCodes.CannotWrite, // the lock cannot be written, or another writer holds it
        ["TENV0227"] = ExitCodes.MissingInput, // the lock file cannot be read
        ["TENV0230"] = ExitCodes.MissingInput, // no lock file (a finding, exit 2, under lock --check)
        [ToolMessages.UsageCode] = ExitCodes.UsageError,
        [ToolMessages.SpecExistsCode] = ExitCodes.CannotWrite,
        [ToolMessages.BadEnvironmentVariableCode] = ExitCodes.UsageError,
        [ToolMessages.LockedAndFrozenCode] = ExitCodes.UsageError,
        [ToolMessages.PackageNotLockedCode] = ExitCodes.UsageError,
        [ToolMessages.UnknownEnvironmentCode] = ExitCodes.UsageError,
        [ToolMessages.CannotWriteCode] = ExitCodes.CannotWrite,
        [ToolMessages.InternalErrorCode] = ExitCodes.InternalError,
        [ToolMessages.CancelledCode] = ExitCodes.Cancelled,
        [ToolMessages.SourceUnavailableCode] = ExitCodes.SourceUnavailable,
        [ToolMessages.CannotReadCode] = ExitCodes.MissingInput,
        [ToolMessages.ConflictingOptionsCode] = ExitCodes.UsageError,
        ["TENV0533"] = ExitCodes.UsageError, // doctor: no such variant × platform in the lock
        ["TENV0540"] = ExitCodes.MissingInput, // export / adopt: no project file (TENV0541–0553 are bad input, the default)
        ["TENV0554"] = ExitCodes.CannotWrite, // adopt: environment.yml exists and differs (no --force)
        ["TENV0555"] = ExitCodes.CannotWrite, // adopt: a file could not be written (all restored)
        ["TENV0563"] = ExitCodes.UsageError, // dockerfile: entry project not found or ambiguous (--project)
        ["TENV0572"] = ExitCodes.CannotWrite, // the registry of known locks is held by another process
        ["TENV0575"] = ExitCodes.CannotWrite, // another prune runs on the folder
        ["TENV0590"] = ExitCodes.CannotWrite, // export / dockerfile output exists (no --force)
    };

    /// <summary>The exit code for an exception that stopped a command.</summary>
    public static int Map(Exception exception)
    {
        if (exception is CheckFailedException)
        {
            return ExitCodes.CheckFailed;
        }

        if (exception is TorchEnvException torchEnv)
        {
            var first = torchEnv.Diagnostics.FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error) ?? torchEnv.Diagnostic;
            if (ExplicitCodes.TryGetValue(first.Code, out var explicitCode))
            {
                return explicitCode;
            }

            // A coded error caused by the network, a missing file or cancellation is that, whatever area raised it.
            return torchEnv.InnerException is { } inner && MapInfrastructure(inner, insideCodedError: true) is { } fromInner
                ? fromInner
                : MapByRange(first.Code);
        }

        return MapInfrastructure(exception, insideCodedError: false) ?? ExitCodes.InternalError;
    }

    /// <summary>The exit code for a diagnostic raised as an error (not a check finding).</summary>
    public static int Map(Diagnostic diagnostic) =>
        ExplicitCodes.TryGetValue(diagnostic.Code, out var code) ? code : MapByRange(diagnostic.Code);

    /// <summary>
    /// The exit code after a check: <see cref="ExitCodes.CheckFailed"/> when any finding is an error, else success.
    /// Warnings and infos never fail a check.
    /// </summary>
    public static int ForFindings(IEnumerable<Diagnostic> findings) =>
        findings.Any(f => f.Severity == DiagnosticSeverity.Error) ? ExitCodes.CheckFailed : ExitCodes.Success;

    /// <summary>The diagnostics to print for an exception: its own for a <see cref="TorchEnvException"/>, else one made from it.</summary>
    public static IReadOnlyList<Diagnostic> ToDiagnostics(Exception exception) => exception switch
    {
        TorchEnvException torchEnv => torchEnv.Diagnostics,
        CheckFailedException checkFailed => checkFailed.Findings,
        OperationCanceledException => [ToolMessages.Cancelled()],
        _ => [MapInfrastructure(exception, insideCodedError: false) switch
        {
            ExitCodes.Cancelled => ToolMessages.Cancelled(),
            ExitCodes.MissingInput => ToolMessages.CannotRead(PathOf(exception), exception.Message),
            ExitCodes.CannotWrite => ToolMessages.CannotWrite(PathOf(exception), exception.Message),
            ExitCodes.SourceUnavailable => ToolMessages.SourceUnavailable(exception.Message),
            _ => ToolMessages.InternalError(exception),
        }],
    };

    private static int? MapInfrastructure(Exception exception, bool insideCodedError)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case OperationCanceledException:
                    return ExitCodes.Cancelled;
                case FileNotFoundException or DirectoryNotFoundException:
                    return ExitCodes.MissingInput;
                case HttpRequestException or SocketException or FatalProtocolException or TimeoutException:
                    return ExitCodes.SourceUnavailable;
                case UnauthorizedAccessException or IOException when !insideCodedError:
                    // Reading inputs goes through Core, which reports unreadable files as coded errors (whose code
                    // decides); a raw I/O failure reaching here is the tool failing to write its output.
                    return ExitCodes.CannotWrite;
            }
        }

        return null;
    }

    private static int MapByRange(string code)
    {
        if (code.Length != 8 || !code.StartsWith("TENV", StringComparison.Ordinal) || !int.TryParse(code.AsSpan(4), out var number))
        {
            return ExitCodes.InternalError;
        }

        // Spec, stack matrix, lock file, native files, build, commands: a coded error is a fault of the input
        // unless listed in ExplicitCodes.
        return number < 700 ? ExitCodes.BadInput : ExitCodes.InternalError;
    }

    private static string? PathOf(Exception exception) => exception switch
    {
        FileNotFoundException f => f.FileName,
        _ => null,
    };
}
