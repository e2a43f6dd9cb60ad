using System.Text;
using TorchEnv.TestSupport;
using TorchEnv.TestSupport.EndToEnd;
using YamlDotNet.RepresentationModel;

namespace TorchEnv.Templates.Tests;

/// <summary>
/// The CI workflow the template ships, run as it is: its <c>run:</c> steps, in order, as one shell script in the
/// generated project (with the local feed of the run instead of GitHub's runner), each of which must succeed.
/// </summary>
public sealed partial class TrainTemplateEndToEndTests
{
    [Fact]
    public void The_ci_workflow_steps_run_green_on_the_generated_project_and_lock_warns_about_no_name()
    {
        Assert.True(fixture.BuildResult.Succeeded, fixture.BuildResult.ToString());
        var steps = RunSteps(fixture.Project.PathOf(Path.Combine(".github", "workflows", "ci.yml")));
        var commands = steps.Select(s => s.Run).ToList();
        Assert.True(commands.IndexOf("dotnet restore -p:TorchEnvLockedMode=true") is >= 0 and var restore
            && commands.IndexOf("dotnet torchenv lock --check") > restore, "the lock check must come after the restore:\n" + string.Join('\n', commands));

        var script = new StringBuilder("set -euo pipefail\n");
        foreach (var (name, run) in steps)
        {
            script.Append("echo '>>> ").Append(name.Replace("'", "", StringComparison.Ordinal)).Append("'\n").Append(run).Append('\n');
        }

        var path = Path.Combine(fixture.Root, "ci-steps.sh");
        File.WriteAllText(path, script.ToString());
        var result = ProcessRunner.RunWith("bash", [path], TimeSpan.FromMinutes(30), fixture.Project.Directory, RunnerEnvironment());

        Assert.True(result.ExitCode == 0, $"a step of ci.yml failed (exit code {result.ExitCode}):\n{script}\n{result.Output}");
        // The lock check runs after the restore: every package of this platform is installed and checked, none is
        // "not installed". (Packages of the lock's other platforms are never extracted since a lock only reads them;
        // LockChecker still names each of those with TENV0239.)
        Assert.DoesNotContain(result.Output.Split('\n'), line => line.Contains("TENV0239", StringComparison.Ordinal) && line.Contains("/linux-x64:", StringComparison.Ordinal));
        Assert.Contains("step 30/30", result.StandardOutput);

        // `dotnet new torchenv-train -n Mnist` named the environment mnist_torchsharp_cpu: lock has nothing to say about it.
        var relock = fixture.Project.Dotnet(RunnerEnvironment(ci: false), "torchenv", "lock");
        Assert.True(relock.Succeeded, relock.ToString());
        Assert.DoesNotContain("TENV0580", relock.Output);
        Assert.DoesNotContain("TENV0581", relock.Output);
    }

    /// <summary>The named <c>run:</c> steps of the workflow's jobs, in order (<c>uses:</c> steps are the runner's set-up).</summary>
    private static List<(string Name, string Run)> RunSteps(string workflowFile)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(workflowFile))
        {
            yaml.Load(reader);
        }

        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var result = new List<(string, string)>();
        foreach (var job in ((YamlMappingNode)root["jobs"]).Children.Values.Cast<YamlMappingNode>())
        {
            foreach (var step in ((YamlSequenceNode)job["steps"]).Children.Cast<YamlMappingNode>())
            {
                if (step.Children.TryGetValue("run", out var run))
                {
                    var name = step.Children.TryGetValue("name", out var n) ? ((YamlScalarNode)n).Value! : "";
                    result.Add((name, ((YamlScalarNode)run).Value!.Trim()));
                }
            }
        }

        Assert.NotEmpty(result);
        return result;
    }

    /// <summary>What a GitHub runner gives the steps that matters here (CI=true), with this run's packages folder and feed.</summary>
    private Dictionary<string, string?> RunnerEnvironment(bool ci = true)
    {
        var variables = DotNetCli.ScrubbedVariables.ToDictionary(name => name, _ => (string?)null);
        foreach (var (name, value) in fixture.Variables)
        {
            variables[name] = value;
        }

        variables["CI"] = ci ? "true" : null;

        // A fresh runner's own ~/.dotnet: the local-tool resolver cache there maps a tool version to one packages folder,
        // and the user's may point at another test run's.
        variables["DOTNET_CLI_HOME"] = Path.Combine(fixture.Root, "runner-home");
        variables["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        variables["DOTNET_NOLOGO"] = "1";
        variables["DOTNET_CLI_DO_NOT_USE_MSBUILD_SERVER"] = "1";
        variables["MSBUILDDISABLENODEREUSE"] = "1";
        if (Path.IsPathRooted(DotNetCli.Executable))
        {
            variables["PATH"] = Path.GetDirectoryName(DotNetCli.Executable) + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        }

        return variables;
    }
}
