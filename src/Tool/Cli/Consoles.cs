using Spectre.Console;

namespace TorchEnv.Tool.Cli;

/// <summary>Spectre consoles over the host's writers: colours and live widgets only on terminals.</summary>
internal static class Consoles
{
    // Wide enough that package ids and versions in tables do not wrap in CI logs and redirected output.
    private const int RedirectedWidth = 160;

    /// <summary>A console writing to <paramref name="writer"/>; plain text when it is not a terminal.</summary>
    public static IAnsiConsole Create(TextWriter writer, bool isTerminal)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = isTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = isTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = isTerminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!isTerminal)
        {
            console.Profile.Width = RedirectedWidth;
        }

        return console;
    }
}
