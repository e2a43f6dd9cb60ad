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
        CommandOutcome outcome;
        try
        {
            outcome = await handler(context, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            context.Report(ExitCodeMapper.ToDiagnostics(exception));
            context.Trace(exception.ToString());
            outcome = new CommandOutcome(ExitCodeMapper.Map(exception), Result: null);
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
