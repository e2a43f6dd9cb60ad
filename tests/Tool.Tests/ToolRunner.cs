using TorchEnv.Core.Cache;
using TorchEnv.Tool.Cli;

namespace TorchEnv.Tool.Tests;

/// <summary>What one in-process run of torchenv printed and returned.</summary>
public sealed record ToolRun(int ExitCode, string Out, string Error)
{
    /// <summary>Asserts the exit code, showing both streams when it differs.</summary>
    public void AssertExit(int expected) =>
        Assert.True(ExitCode == expected, $"expected exit {expected}, got {this}");

    /// <summary>Both streams, for assertion messages.</summary>
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Out}\n--- stderr ---\n{Error}";
}

/// <summary>Runs torchenv in-process with captured output, a chosen working folder and chosen environment variables.</summary>
public static class ToolRunner
{
    /// <summary>Where in-process runs record known locks unless a test chooses: never the user's own registry.</summary>
    private static readonly string TestRegistryPath =
        Path.Combine(Path.GetTempPath(), $"torchenv-tool-tests-{Environment.ProcessId}", "locks.json");

    public static ToolRun Run(string workingDirectory, params string[] args) =>
        Run(workingDirectory, new Dictionary<string, string>(), args);

    public static ToolRun Run(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        Run(workingDirectory, environment, CancellationToken.None, args);

    public static ToolRun Run(string workingDirectory, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var host = new ToolHost
        {
            Out = output,
            Error = error,
            WorkingDirectory = workingDirectory,
            GetEnvironmentVariable = name => environment.TryGetValue(name, out var value) ? value
                : name == LockRegistry.PathVariable ? TestRegistryPath : null,
        };
        var exitCode = CommandLine.RunAsync(args, host, cancellationToken).GetAwaiter().GetResult();
        return new ToolRun(exitCode, output.ToString(), error.ToString());
    }
}
