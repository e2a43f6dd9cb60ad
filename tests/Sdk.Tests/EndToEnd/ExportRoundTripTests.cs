using TorchEnv.Core.Containers;
using TorchEnv.Core.Export;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Resolution;
using TorchEnv.Core.Spec;
using TorchEnv.Core.Stack;
using TorchEnv.TestSupport.EndToEnd;

namespace TorchEnv.Sdk.Tests.EndToEnd;

/// <summary>
/// Adopting TorchEnv in an existing project: a plain TorchSharp project (Microsoft.NET.Sdk, TorchSharp +
/// libtorch-cpu-linux-x64, restored) is exported to environment.yml, locked, switched to TorchEnv.Sdk without touching its
/// references, and built in locked mode and run; then the build stage of the generated Dockerfile is run here, without
/// Docker, and the published program runs.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class ExportRoundTripTests(SdkEndToEndFixture fixture)
{
    private const string References = """
          <ItemGroup>
            <PackageReference Include="TorchSharp" Version="0.107.0" />
            <PackageReference Include="libtorch-cpu-linux-x64" Version="2.10.0" />
          </ItemGroup>
        """;

    private const string Program = """
        using TorchSharp;

        var x = torch.arange(1, 5, dtype: torch.float32);
        System.Console.WriteLine($"sum={x.sum().item<float>()}");
        var report = E2eApp.TorchEnvironment.Verify();
        System.Console.WriteLine(report);
        return report.IsOk ? 0 : 3;

        """;

    [Fact]
    public async Task An_exported_project_locks_builds_in_locked_mode_and_runs_and_its_dockerfile_build_stage_publishes_it()
    {
        var project = fixture.CreateProject("Adopted");
        project.WriteProject("Microsoft.NET.Sdk", SdkEndToEndFixture.ProjectBody() + References);
        project.WriteFile("Program.cs", Program);
        var restore = project.Dotnet("restore");
        Assert.True(restore.Succeeded, restore.ToString());

        // export: the restored versions, pinned.
        var exported = SpecExporter.Export(new ExportOptions { Project = project.ProjectFile });
        SpecExporter.Write(exported, force: false);
        Assert.Empty(exported.Warnings);
        var spec = EnvironmentSpecReader.Read(exported.OutputPath);
        Assert.Equal("adopted_torchsharp_cpu", spec.Name);
        Assert.Equal(["linux-x64"], spec.DefaultVariant.Platforms);

        // lock: what `torchenv lock` does.
        var locked = await EnvironmentLocker.LockAsync(spec, StackPlanner.PlanAll(spec), previous: null, new LockOptions { GlobalPackagesFolder = fixture.NuGetPackages });
        var lockPath = LockFileWriter.PathFor(exported.OutputPath);
        LockFileWriter.Write(lockPath, locked);
        Assert.Equal(("0.107.0", "2.10.0"), (locked.Environments[0].Stack.TorchSharp, locked.Environments[0].Stack.LibTorch));

        // dotnet build on TorchEnv.Sdk, the project's own references untouched, in locked mode: the lock must be current.
        project.WriteProject($"TorchEnv.Sdk/{fixture.SdkVersion}", SdkEndToEndFixture.ProjectBody() + References);
        var build = project.Build("-p:TorchEnvLockedMode=true");
        Assert.True(build.Succeeded, build.ToString());
        Assert.DoesNotContain("TENV0420", build.Output, StringComparison.Ordinal);
        var run = project.Dotnet("run", "--no-build");
        Assert.True(run.Succeeded, run.ToString());
        Assert.Contains("sum=10", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("): OK", run.StandardOutput, StringComparison.Ordinal);

        // The Dockerfile's build stage, run here: its restore (locked) and publish commands, then the published program.
        var dockerfile = DockerfileGenerator.Plan(new DockerfileRequest { Lock = locked, LockPath = lockPath });
        var publishFolder = project.PathOf("publish");
        var commands = dockerfile.Dockerfile.Replace("\\\n", " ", StringComparison.Ordinal).Split('\n')
            .Where(l => l.StartsWith("RUN ", StringComparison.Ordinal) && l.Contains(" dotnet ", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf(" dotnet ", StringComparison.Ordinal) + " dotnet ".Length)..].Replace(" -o /app", " -o " + publishFolder, StringComparison.Ordinal))
            .ToList();
        Assert.Equal(2, commands.Count);
        foreach (var command in commands)
        {
            var result = project.Dotnet([.. Words(command)]);
            Assert.True(result.Succeeded, result.ToString());
        }

        var published = TestSupport.ProcessRunner.Run(Path.Combine(publishFolder, "Adopted"), [], TimeSpan.FromMinutes(2), publishFolder);
        Assert.True(published.ExitCode == 0, published.Output);
        Assert.Contains("sum=10", published.StandardOutput, StringComparison.Ordinal);
    }

    /// <summary>Splits a command line of the generated Dockerfile into words (double quotes group, as the shell does).</summary>
    private static IEnumerable<string> Words(string command)
    {
        var word = new System.Text.StringBuilder();
        var quoted = false;
        foreach (var c in command)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ' ' && !quoted)
            {
                if (word.Length > 0)
                {
                    yield return word.ToString();
                    word.Clear();
                }
            }
            else
            {
                word.Append(c);
            }
        }

        if (word.Length > 0)
        {
            yield return word.ToString();
        }
    }
}
