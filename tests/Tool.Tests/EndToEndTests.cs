using TorchEnv.TestSupport;
using TorchEnv.TestSupport.EndToEnd;
using TorchEnv.Tool.Cli;

namespace TorchEnv.Tool.Tests;

/// <summary>
/// The tool as users get it: installed from the package <c>eng/test.sh</c> packs into <c>artifacts/packages</c>
/// (<c>dotnet tool install --tool-path</c>, and through a local tool manifest), then run against the real registry for a
/// CPU linux-x64 spec. One test, so that the install and the lock are done once.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class EndToEndTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(20);

    [Fact]
    public void Installed_tool_inits_locks_checks_and_verifies_a_cpu_project()
    {
        var packages = RepositoryLayout.PackagesFolder;
        var (_, version) = RepositoryLayout.FindPackage("TorchEnv.Tool");
        using var temp = new TempDirectory("torchenv-e2e");

        // A fresh NuGet cache for the installs, so a stale cached TorchEnv.Tool of the same version is never used, and a
        // fresh CLI home, whose tool resolver cache would otherwise point `dotnet torchenv` at an earlier install.
        var install = new Dictionary<string, string>
        {
            ["NUGET_PACKAGES"] = temp.Combine("nuget-cache"),
            ["DOTNET_CLI_HOME"] = temp.Combine("cli-home"),
        };
        var feedConfig = temp.WriteFile("feed/NuGet.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration><packageSources><clear /><add key="artifacts" value="{packages}" /></packageSources></configuration>
            """);
        Run(temp.Path, "dotnet", ["tool", "install", "--tool-path", temp.Combine("tools"), "--configfile", feedConfig, "--version", version, "TorchEnv.Tool"], install)
            .AssertExit(ExitCodes.Success);
        var torchenv = temp.Combine("tools", OperatingSystem.IsWindows() ? "torchenv.exe" : "torchenv");

        var project = temp.Combine("Mnist");
        Directory.CreateDirectory(project);
        temp.WriteFile("Mnist/NuGet.config", """
            <?xml version="1.0" encoding="utf-8"?>
            <configuration><packageSources><clear /><add key="nuget.org" value="https://api.nuget.org/v3/index.json" /></packageSources></configuration>
            """);

        // Local tool manifest: dotnet torchenv (run with the cache it was installed into).
        Run(project, "dotnet", ["new", "tool-manifest"]).AssertExit(ExitCodes.Success);
        Run(project, "dotnet", ["tool", "install", "--configfile", feedConfig, "--version", version, "TorchEnv.Tool"], install).AssertExit(ExitCodes.Success);
        var manifestVersion = Run(project, "dotnet", ["torchenv", "--version"], install);
        manifestVersion.AssertExit(ExitCodes.Success);
        Assert.Equal(Run(project, torchenv, ["--version"]).Out.Trim(), manifestVersion.Out.Trim());

        var init = Run(project, torchenv, ["init", "--platform", "linux-x64"]);
        init.AssertExit(ExitCodes.Success);
        Assert.Contains("mnist_torchsharp_cpu", File.ReadAllText(Path.Combine(project, "environment.yml")));

        var locked = Run(project, torchenv, ["lock"]);
        locked.AssertExit(ExitCodes.Success);
        var lockText = File.ReadAllText(Path.Combine(project, "environment.lock.yml"));
        Assert.Contains("id: libtorch-cpu-linux-x64", lockText);
        Assert.Contains("id: TorchSharp", lockText);
        Assert.Contains("cpu/linux-x64", locked.Out);

        Run(project, torchenv, ["lock", "--check"]).AssertExit(ExitCodes.Success);
        var update = Run(project, torchenv, ["lock", "--update", "TorchSharp"]);
        update.AssertExit(ExitCodes.Success);
        Assert.Contains("did not change", update.Out);
        Assert.Equal(lockText, File.ReadAllText(Path.Combine(project, "environment.lock.yml")));
        Run(project, "dotnet", ["torchenv", "lock", "--check"], install).AssertExit(ExitCodes.Success);
        var verify = Run(project, torchenv, ["verify", "--platform", "linux-x64"]);
        verify.AssertExit(ExitCodes.Success);
        Assert.Contains("Installed packages match", verify.Out);

        // doctor through the installed tool's apphost: its child process and the shim its package carries.
        var doctor = Run(project, torchenv, ["doctor", "--json"]);
        doctor.AssertExit(ExitCodes.Success);
        Assert.Contains("libtorch_cpu.so ← libtorch-cpu-linux-x64 2.10.0", doctor.Out);

        var spec = File.ReadAllText(Path.Combine(project, "environment.yml"));
        File.WriteAllText(Path.Combine(project, "environment.yml"), spec.Replace("torchsharp=0.107.*", "torchsharp=0.107.0"));
        var stale = Run(project, torchenv, ["lock", "--check"]);
        stale.AssertExit(ExitCodes.CheckFailed);
        Assert.Contains("TENV0231", stale.Error);
        Assert.Equal(lockText, File.ReadAllText(Path.Combine(project, "environment.lock.yml")));
    }

    private static ToolRun Run(string workingDirectory, string fileName, string[] arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var variables = new Dictionary<string, string>(environment ?? new Dictionary<string, string>())
        {
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
        };
        var result = ProcessRunner.Run(fileName, arguments, Timeout, workingDirectory, variables);
        return new ToolRun(result.ExitCode, result.StandardOutput, result.StandardError);
    }
}
