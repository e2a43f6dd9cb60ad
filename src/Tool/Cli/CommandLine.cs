using System.CommandLine;
using System.CommandLine.Help;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Tool.Commands;

namespace TorchEnv.Tool.Cli;

/// <summary>Parses the command line and runs the chosen command; command-line mistakes exit with <see cref="ExitCodes.UsageError"/>.</summary>
internal static class CommandLine
{
    /// <summary>Runs <c>torchenv</c> with <paramref name="args"/> in <paramref name="host"/> and returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, ToolHost host, CancellationToken cancellationToken = default)
    {
        var root = TorchEnvCommand.Create(host);
        var parseResult = root.Parse(args);
        var configuration = new InvocationConfiguration { Output = host.Out, Error = host.Error };
        if (parseResult.Errors.Count == 0)
        {
            return await parseResult.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }

        // Every mistake in the same compiler-like form as the other diagnostics, on standard error; help is not
        // repeated (it would bury the error), the fix says where to find it.
        var diagnostics = parseResult.Errors.Select(e => ToolMessages.Usage(OneLine(e.Message) + Suggestion(e.Message, parseResult))).ToList();
        foreach (var diagnostic in diagnostics)
        {
            host.Error.WriteLine(diagnostic.ToString());
        }

        if (parseResult.GetValue(CommonOptions.Json))
        {
            JsonOutput.Write(host.Out, parseResult.CommandResult.Command.Name, ExitCodes.UsageError, result: null, diagnostics);
        }

        return ExitCodes.UsageError;
    }

    /// <summary>
    /// The root's own action (<c>torchenv</c> with no command): help on standard output, success. With <c>--json</c> there
    /// is no result to print, so it is a usage error.
    /// </summary>
    internal static int ShowHelpOrFail(ParseResult parseResult, ToolHost host)
    {
        if (parseResult.GetValue(CommonOptions.Json))
        {
            IReadOnlyList<Diagnostic> diagnostics = [ToolMessages.Usage("No command given.")];
            host.Error.WriteLine(diagnostics[0].ToString());
            JsonOutput.Write(host.Out, parseResult.CommandResult.Command.Name, ExitCodes.UsageError, result: null, diagnostics);
            return ExitCodes.UsageError;
        }

        return new HelpAction().Invoke(parseResult);
    }

    // " Did you mean 'lock'?" when the error is about a token close to a command or option of the command being parsed.
    private static string Suggestion(string message, ParseResult parseResult)
    {
        var command = parseResult.CommandResult.Command;
        var names = command.Subcommands.Select(c => c.Name)
            .Concat(command.Options.Concat(command.Parents.OfType<Command>().SelectMany(p => p.Options).Where(o => o.Recursive))
                .SelectMany(o => o.Aliases.Prepend(o.Name)))
            .ToList();
        foreach (var token in parseResult.UnmatchedTokens)
        {
            if (message.Contains($"'{token}'", StringComparison.Ordinal) && NameSuggestions.DidYouMean(token, names) is { Length: > 0 } sentence)
            {
                return sentence;
            }
        }

        return "";
    }

    // System.CommandLine lists allowed values on separate lines; a diagnostic is one line.
    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
