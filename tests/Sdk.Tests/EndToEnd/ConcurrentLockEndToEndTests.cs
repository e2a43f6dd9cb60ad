using TorchEnv.Core.Lock;
using TorchEnv.Core.Resolution;
using TorchEnv.Core.Spec;
using TorchEnv.TestSupport;
using TorchEnv.TestSupport.EndToEnd;
using TorchEnv.TestSupport.Locking;

namespace TorchEnv.Sdk.Tests.EndToEnd;

/// <summary>
/// Two <c>torchenv lock</c> processes and a <c>dotnet restore</c> on the packed TorchEnv.Sdk, started together on a spec
/// without a lock, all wait at the lock guard (the test holds it until each says it waits), then exactly one of them
/// resolves and writes the lock and the other two use it. Offline: a local feed of stand-in packages and a packages
/// folder of the test's own (never the run's shared one, which holds the real TorchSharp).
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class ConcurrentLockEndToEndTests(SdkEndToEndFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    [Fact]
    public void TwoLockCommandsAndABuildStartedTogetherWriteOneLockOnce()
    {
        var project = fixture.CreateProject("race");
        CpuStandInFeed.Build(new LocalFeed(project.PathOf("feed")));
        project.WriteProject($"TorchEnv.Sdk/{fixture.SdkVersion}", SdkEndToEndFixture.ProjectBody());
        project.WriteFile("Program.cs", "System.Console.WriteLine(1);\n");
        project.WriteFile("environment.yml", """
            name: race_torchsharp_cpu
            channels: [./feed]
            platforms: [linux-x64]
            dependencies:
              - torchsharp=0.107.0
              - cpu

            """);
        var lockPath = project.PathOf("environment.lock.yml");
        var variables = fixture.Variables.ToDictionary(v => v.Key, v => v.Value);
        variables["NUGET_PACKAGES"] = project.PathOf("packages");
        var tool = Path.Combine(RepositoryRoot.Get(), "src", "Tool", "bin", "Release", "net10.0", "TorchEnv.Tool.dll");
        Assert.True(File.Exists(tool), $"{tool} is not built (dotnet build Sdk.sln -c Release)");

        List<WatchedProcess> processes;
        using (LockGuard.Acquire(lockPath))
        {
            processes =
            [
                WatchedProcess.Start(project.Directory, variables, tool, "lock"),
                WatchedProcess.Start(project.Directory, variables, tool, "lock"),
                WatchedProcess.Start(project.Directory, variables, null, "restore", "-nologo", "-v:n"),
            ];
            foreach (var process in processes)
            {
                Assert.True(process.WaitForLine("Waiting for another torchenv or build", Timeout), process.ToString());
            }
        }

        foreach (var process in processes)
        {
            Assert.True(process.WaitForExit(Timeout), process.ToString());
            Assert.True(process.ExitCode == 0, process.ToString());
        }

        var writers = processes.Count(p => p.Output.Contains("Wrote " + lockPath, StringComparison.Ordinal) || p.Output.Contains("TENV0420", StringComparison.Ordinal));
        Assert.True(writers == 1, string.Join("\n\n", processes));
        var spec = EnvironmentSpecReader.Read(project.PathOf("environment.yml"));
        var service = LockService.For(spec, lockPath, new LockOptions { GlobalPackagesFolder = project.PathOf("packages") });
        Assert.DoesNotContain(service.Check(service.Read(), checkInstalled: true), LockService.IsError);
        Assert.Equal(["environment.lock.yml", "environment.yml"], Directory.GetFiles(project.Directory, "environment*").Select(Path.GetFileName).Order(StringComparer.Ordinal));
        processes.ForEach(p => p.Dispose());
    }
}
