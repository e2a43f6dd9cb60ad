namespace TorchEnv.Tool.Cli;

/// <summary>
/// What a command may touch of the process it runs in: standard output and error, the working folder and the
/// environment variables. Tests run commands in-process with their own host instead of the real console.
/// </summary>
internal sealed class ToolHost
{
    /// <summary>Standard output: results only (tables for people, one JSON document with <c>--json</c>).</summary>
    public required TextWriter Out { get; init; }

    /// <summary>Standard error: diagnostics, progress and logs.</summary>
    public required TextWriter Error { get; init; }

    /// <summary>True when standard output is a terminal (colours, terminal width).</summary>
    public bool OutIsTerminal { get; init; }

    /// <summary>True when standard error is a terminal: only then are progress bars drawn; otherwise plain lines.</summary>
    public bool ErrorIsTerminal { get; init; }

    /// <summary>The folder relative paths are taken from.</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>Reads an environment variable (null when unset).</summary>
    public required Func<string, string?> GetEnvironmentVariable { get; init; }

    /// <summary>The host of the running process.</summary>
    public static ToolHost FromProcess() => new()
    {
        Out = Console.Out,
        Error = Console.Error,
        OutIsTerminal = !Console.IsOutputRedirected,
        ErrorIsTerminal = !Console.IsErrorRedirected,
        WorkingDirectory = Environment.CurrentDirectory,
        GetEnvironmentVariable = Environment.GetEnvironmentVariable,
    };

    /// <summary>Makes <paramref name="path"/> absolute against <see cref="WorkingDirectory"/>.</summary>
    public string FullPath(string path) => Path.GetFullPath(path, WorkingDirectory);
}
