using System.Diagnostics;
using System.Text;

namespace TorchEnv.TestSupport.EndToEnd;

/// <summary>A child process whose output is read as it comes, so a test can wait for one line.</summary>
public sealed class WatchedProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly Lock gate = new();

    private WatchedProcess(Process process, string description)
    {
        this.process = process;
        Description = description;
    }

    /// <summary>The command line, for messages.</summary>
    public string Description { get; }

    /// <summary>Standard output and error so far, in the order the lines came.</summary>
    public string Output
    {
        get
        {
            lock (gate)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>The exit code (after <see cref="WaitForExit"/>).</summary>
    public int ExitCode => process.ExitCode;

    /// <summary>
    /// Starts <c>dotnet</c> (with <paramref name="toolDll"/> first when given) in <paramref name="directory"/>, in the
    /// clean environment of <see cref="DotNetCli"/> plus <paramref name="variables"/>: a CI runner's <c>CI=true</c> must
    /// not reach the child, where it would turn on locked mode.
    /// </summary>
    public static WatchedProcess Start(string directory, IReadOnlyDictionary<string, string?> variables, string? toolDll, params string[] arguments)
    {
        string[] all = toolDll is null ? arguments : [toolDll, .. arguments];
        var start = new ProcessStartInfo(DotNetCli.Executable, all)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        ProcessRunner.ApplyEnvironment(start, DotNetCli.EnvironmentChanges(variables));

        var process = new Process { StartInfo = start };
        var watched = new WatchedProcess(process, "dotnet " + string.Join(' ', all));
        process.OutputDataReceived += (_, e) => watched.Append(e.Data);
        process.ErrorDataReceived += (_, e) => watched.Append(e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return watched;
    }

    /// <summary>Waits until a line containing <paramref name="text"/> was printed; false when the process ended or the time ran out first.</summary>
    public bool WaitForLine(string text, TimeSpan timeout) => WaitForLines(text, 1, timeout);

    /// <summary>Waits until <paramref name="count"/> lines containing <paramref name="text"/> were printed.</summary>
    public bool WaitForLines(string text, int count, TimeSpan timeout)
    {
        bool Seen() => Output.Split('\n').Count(l => l.Contains(text, StringComparison.Ordinal)) >= count;
        var clock = Stopwatch.StartNew();
        while (!Seen())
        {
            if (clock.Elapsed > timeout || process.HasExited)
            {
                return Seen();
            }

            Thread.Sleep(100);
        }

        return true;
    }

    /// <summary>Waits for the process to end; kills it (false) when it takes longer than <paramref name="timeout"/>.</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return false;
        }

        process.WaitForExit();
        return true;
    }

    /// <inheritdoc />
    public void Dispose() => process.Dispose();

    /// <inheritdoc />
    public override string ToString() => $"{Description} (exited: {process.HasExited})\n{Output}";

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (gate)
        {
            output.AppendLine(line);
        }
    }
}
