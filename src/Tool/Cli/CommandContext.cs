using System.CommandLine;
using Spectre.Console;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Tool.Commands;

namespace TorchEnv.Tool.Cli;

/// <summary>
/// One run of one command: its parsed options, the host, and the diagnostics reported so far. Diagnostics and logs go to
/// standard error at once (so people see them while a long lock runs); the result goes to standard output at the end.
/// </summary>
internal sealed class CommandContext
{
    private readonly List<Diagnostic> diagnostics = [];
    private readonly HashSet<string> suppressed;
    private readonly System.Diagnostics.Stopwatch clock = System.Diagnostics.Stopwatch.StartNew();
    private IAnsiConsole? errorConsole;

    /// <summary>Creates the context of one run.</summary>
    public CommandContext(ToolHost host, ParseResult parseResult)
    {
        Host = host;
        ParseResult = parseResult;
        CommandName = parseResult.CommandResult.Command.Name;
        Json = parseResult.GetValue(CommonOptions.Json);
        Verbose = parseResult.GetValue(CommonOptions.Verbose);
        suppressed = new HashSet<string>(
            (parseResult.GetValue(CommonOptions.NoWarn) ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)),
            StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The process the command runs in.</summary>
    public ToolHost Host { get; }

    /// <summary>The parsed command line.</summary>
    public ParseResult ParseResult { get; }

    /// <summary>The command's name, e.g. <c>lock</c>.</summary>
    public string CommandName { get; }

    /// <summary>True with <c>--json</c>: standard output gets one JSON document and nothing else.</summary>
    public bool Json { get; }

    /// <summary>True with <c>--verbose</c>: <see cref="Trace"/> lines are printed.</summary>
    public bool Verbose { get; }

    /// <summary>Everything reported so far, in order.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics => diagnostics;

    /// <summary>A console on standard error for progress display.</summary>
    public IAnsiConsole ErrorConsole => errorConsole ??= Consoles.Create(Host.Error, Host.ErrorIsTerminal);

    /// <summary>The value of an option.</summary>
    public T? Get<T>(Option<T> option) => ParseResult.GetValue(option);

    /// <summary>The value of an argument.</summary>
    public T? Get<T>(Argument<T> argument) => ParseResult.GetValue(argument);

    /// <summary>
    /// Prints a diagnostic on standard error in the compiler form and keeps it for the JSON document; warnings and infos
    /// whose code is in <c>--no-warn</c> are dropped.
    /// </summary>
    public void Report(Diagnostic diagnostic)
    {
        if (diagnostic.Severity != DiagnosticSeverity.Error && suppressed.Contains(diagnostic.Code))
        {
            return;
        }

        diagnostics.Add(diagnostic);
        Host.Error.WriteLine(diagnostic.ToString());
    }

    /// <summary>Prints several diagnostics.</summary>
    public void Report(IEnumerable<Diagnostic> found)
    {
        foreach (var diagnostic in found)
        {
            Report(diagnostic);
        }
    }

    /// <summary>A progress or status line for people, on standard error (never on standard output).</summary>
    public void Log(string message) => Host.Error.WriteLine(message);

    /// <summary>A detail line printed only with <c>--verbose</c>, prefixed with the milliseconds since the command started.</summary>
    public void Trace(string message)
    {
        if (Verbose)
        {
            Host.Error.WriteLine($"[{clock.ElapsedMilliseconds,6} ms] {message}");
        }
    }
}
