using System.Diagnostics;
using System.Text;

namespace TorchEnv.TestSupport.EndToEnd;

/// <summary>
/// Runs the <c>dotnet</c> that runs the tests, as a user would from a terminal, with a clean environment: the test
/// host's MSBuild variables and CI markers removed (CI sets <c>CI=true</c>, which would turn on TorchEnv's locked mode in
/// every temporary project), no node reuse or build server (nothing stays running after a test), and the given variables.
/// </summary>
public static class DotNetCli
{
    /// <summary>Variables removed from every child environment unless a test sets them explicitly.</summary>
    public static readonly IReadOnlyList<string> ScrubbedVariables =
    [
        "CI", "ContinuousIntegrationBuild", "TF_BUILD", "GITHUB_ACTIONS",
        "TORCHENV_LOCKED", "TORCHENV_FROZEN",
        "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildLoadMicrosoftTargetsReadOnly",
        "MSBUILDNOINPROCNODE", "DOTNET_HOST_PATH", "VSTEST_HOST_DEBUG",
    ];

    /// <summary>The dotnet executable: the one hosting the tests when known, else <c>dotnet</c> on PATH.</summary>
    public static string Executable { get; } = FindExecutable();

    /// <summary>Runs <c>dotnet <paramref name="arguments"/></c> in <paramref name="workingDirectory"/> and waits for it.</summary>
    public static DotNetResult Run(
        string workingDirectory,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(Executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        var argumentList = arguments.ToList();
        foreach (var argument in argumentList)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in ScrubbedVariables)
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["DOTNET_CLI_DO_NOT_USE_MSBUILD_SERVER"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["MSBUILDTERMINALLOGGER"] = "off";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Executable}.");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var limit = timeout ?? TimeSpan.FromMinutes(20);
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"`dotnet {string.Join(' ', argumentList)}` did not finish within {limit}.\n{stdout.Result}\n{stderr.Result}");
        }

        process.WaitForExit();
        return new DotNetResult("dotnet " + string.Join(' ', argumentList.Select(Quote)), workingDirectory, process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string Quote(string argument) => argument.Contains(' ', StringComparison.Ordinal) ? $"\"{argument}\"" : argument;

    private static string FindExecutable()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        var root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        var candidate = string.IsNullOrEmpty(root) ? null : Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return candidate is not null && File.Exists(candidate) ? candidate : "dotnet";
    }
}
