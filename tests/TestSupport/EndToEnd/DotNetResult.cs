namespace TorchEnv.TestSupport.EndToEnd;

/// <summary>What a <c>dotnet</c> command did: exit code and everything it printed.</summary>
/// <param name="CommandLine">The command as run (for messages).</param>
/// <param name="WorkingDirectory">Where it ran.</param>
/// <param name="ExitCode">Its exit code.</param>
/// <param name="StandardOutput">Standard output.</param>
/// <param name="StandardError">Standard error.</param>
public sealed record DotNetResult(string CommandLine, string WorkingDirectory, int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>True for exit code 0.</summary>
    public bool Succeeded => ExitCode == 0;

    /// <summary>Standard output and error together.</summary>
    public string Output => StandardOutput + StandardError;

    /// <summary>The whole story, for assertion messages: command, exit code, output.</summary>
    public override string ToString() =>
        $"`{CommandLine}` in {WorkingDirectory} exited with {ExitCode}.\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";
}
