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

            // A bad-input error caused by the network, a missing file or cancellation is that, whatever area raised it;
            // every other class is the code's own.
            return first.ExitClass == ExitClass.BadInput
                && torchEnv.InnerException is { } inner && MapInfrastructure(inner, insideCodedError: true) is { } fromInner
                ? fromInner
                : For(first.ExitClass);
        }

        return MapInfrastructure(exception, insideCodedError: false) ?? ExitCodes.InternalError;
    }

    /// <summary>The exit code for a diagnostic raised as an error (not a check finding): its descriptor's exit class.</summary>
    public static int Map(Diagnostic diagnostic) => For(diagnostic.ExitClass);

    /// <summary>The exit code of an exit class (the numbers are the tool's: docs/exit-codes.md).</summary>
    public static int For(ExitClass exitClass) => exitClass switch
    {
        ExitClass.BadInput => ExitCodes.BadInput,
        ExitClass.MissingInput => ExitCodes.MissingInput,
        ExitClass.UsageError => ExitCodes.UsageError,
        ExitClass.SourceUnavailable => ExitCodes.SourceUnavailable,
        ExitClass.CannotWrite => ExitCodes.CannotWrite,
        ExitClass.Cancelled => ExitCodes.Cancelled,
        ExitClass.InternalError => ExitCodes.InternalError,
        _ => throw new ArgumentOutOfRangeException(nameof(exitClass), exitClass, "An exit class without an exit code."),
    };

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

    private static string? PathOf(Exception exception) => exception switch
    {
        FileNotFoundException f => f.FileName,
        _ => null,
    };
}
