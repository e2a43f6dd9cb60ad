using System.Diagnostics;

namespace TorchEnv.TestSupport;

/// <summary>The outcome of a finished child process.</summary>
/// <param name="ExitCode">Exit code.</param>
/// <param name="StandardOutput">Everything written to stdout.</param>
/// <param name="StandardError">Everything written to stderr.</param>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>stdout and stderr together, for assertion messages.</summary>
    public string Output => StandardOutput + StandardError;
}

/// <summary>Runs a program to completion with captured output and a time limit (the process tree is killed when it is exceeded).</summary>
public static class ProcessRunner
{
    /// <summary>Runs <paramref name="fileName"/> with <paramref name="arguments"/>.</summary>
    public static ProcessResult Run(string fileName, IEnumerable<string> arguments, TimeSpan timeout, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null) =>
        RunWith(fileName, arguments, timeout, workingDirectory, environment?.ToDictionary(e => e.Key, e => (string?)e.Value));

    /// <summary>Applies <paramref name="environmentChanges"/> to <paramref name="start"/>: a null value removes the variable.</summary>
    public static void ApplyEnvironment(ProcessStartInfo start, IReadOnlyDictionary<string, string?>? environmentChanges)
    {
        ArgumentNullException.ThrowIfNull(start);
        foreach (var (key, value) in environmentChanges ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }
    }

    /// <summary>Runs <paramref name="fileName"/> with <paramref name="arguments"/>; in <paramref name="environmentChanges"/> a null value removes the variable.</summary>
    public static ProcessResult RunWith(string fileName, IEnumerable<string> arguments, TimeSpan timeout, string? workingDirectory, IReadOnlyDictionary<string, string?>? environmentChanges)
    {
        var start = new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        ApplyEnvironment(start, environmentChanges);

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");

        // Nothing reads from a test's stdin: a child that asks gets end-of-file instead of hanging.
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish within {timeout}.");
        }

        process.WaitForExit();
        return new ProcessResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs and throws with the output when the exit code is not 0.</summary>
    public static ProcessResult RunChecked(string fileName, IEnumerable<string> arguments, TimeSpan timeout, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var result = Run(fileName, arguments, timeout, workingDirectory, environment);
        return result.ExitCode == 0
            ? result
            : throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} exited with {result.ExitCode}:\n{result.Output}");
    }
}
