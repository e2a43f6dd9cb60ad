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
        var argumentList = arguments.ToList();
        var result = ProcessRunner.RunWith(Executable, argumentList, timeout ?? TimeSpan.FromMinutes(20), workingDirectory, EnvironmentChanges(environment));
        return new DotNetResult("dotnet " + string.Join(' ', argumentList.Select(Quote)), workingDirectory, result.ExitCode, result.StandardOutput, result.StandardError);
    }

    /// <summary>
    /// The changes that give a child <c>dotnet</c> the clean environment described above (a null value removes the
    /// variable), with <paramref name="environment"/> applied last so a test can set any of them back.
    /// </summary>
    public static Dictionary<string, string?> EnvironmentChanges(IReadOnlyDictionary<string, string?>? environment = null)
    {
        var changes = ScrubbedVariables.ToDictionary(name => name, _ => (string?)null);
        changes["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        changes["DOTNET_NOLOGO"] = "1";
        changes["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        changes["DOTNET_CLI_DO_NOT_USE_MSBUILD_SERVER"] = "1";
        changes["MSBUILDDISABLENODEREUSE"] = "1";
        changes["MSBUILDTERMINALLOGGER"] = "off";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            changes[name] = value;
        }

        return changes;
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
