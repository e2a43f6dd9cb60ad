using System.CommandLine;
using TorchEnv.Tool.Commands;

namespace TorchEnv.Tool.Cli;

/// <summary>
/// Runs a command's handler the same way for every command: builds its <see cref="CommandContext"/>, turns any
/// exception into diagnostics and an exit code through <see cref="ExitCodeMapper"/>, then writes the result as JSON or
/// for people.
/// </summary>
internal static class ToolAction
{
    /// <summary>Sets <paramref name="handler"/> as the action of <paramref name="command"/>.</summary>
    public static void SetToolAction(
        this Command command, ToolHost host, Func<CommandContext, CancellationToken, Task<CommandOutcome>> handler)
    {
        command.SetAction((parseResult, cancellationToken) => RunAsync(host, parseResult, handler, cancellationToken));
    }

    private static async Task<int> RunAsync(
        ToolHost host,
        ParseResult parseResult,
        Func<CommandContext, CancellationToken, Task<CommandOutcome>> handler,
        CancellationToken cancellationToken)
    {
        var context = new CommandContext(host, parseResult);

        // Ctrl+C / SIGTERM: say so at once; System.CommandLine ends the process with 130 if the handler is not done
        // within its grace period. Files are written by rename, so nothing half-written is left either way.
        using var cancelling = cancellationToken.Register(() => host.Error.WriteLine("Cancelling..."));
        CommandOutcome outcome;
        try
        {
            outcome = await handler(context, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // A cancellation nobody asked for is a request that timed out (HttpClient reports timeouts that way).
            var failure = exception is OperationCanceledException && !cancellationToken.IsCancellationRequested
                ? new TimeoutException("A request timed out.", exception)
                : exception;
            context.Report(ExitCodeMapper.ToDiagnostics(failure));
            context.Trace(exception.ToString());
            outcome = new CommandOutcome(ExitCodeMapper.Map(failure), Result: null);
        }

        if (context.Json)
        {
            JsonOutput.Write(host.Out, context.CommandName, outcome.ExitCode, outcome.Result, context.Diagnostics);
        }
        else
        {
            outcome.Render?.Invoke(Consoles.Create(host.Out, host.OutIsTerminal));
            host.Out.Flush();
        }

        return outcome.ExitCode;
    }
}
