using TorchEnv.TestSupport.EndToEnd;

namespace TorchEnv.Sdk.Tests.EndToEnd;

/// <summary>The end-to-end tests share one run folder and one NuGet packages folder (TorchSharp/libtorch download once).</summary>
[CollectionDefinition(Name)]
public sealed class EndToEndCollection : ICollectionFixture<SdkEndToEndFixture>
{
    public const string Name = "EndToEnd";
}

/// <summary>
/// The packed TorchEnv.Sdk, plus one CPU project that is locked, built and run once per test run (the expensive part);
/// other tests copy its spec and lock into fresh projects, so they neither lock nor download again.
/// </summary>
public sealed class SdkEndToEndFixture : EndToEndEnvironment
{
    public const string Spec = """
        name: e2e_net10_cpu
        channels: [nuget.org]
        platforms: [linux-x64, win-x64]
        dependencies:
          - torchsharp=0.107.0
          - cpu

        """;

    /// <summary>A real TorchSharp computation, the Verify() report, and the LibTorchSharp file the process mapped.</summary>
    public const string Program = """
        using TorchSharp;

        var x = torch.arange(1, 5, dtype: torch.float32);
        System.Console.WriteLine($"sum={x.sum().item<float>()} dot={torch.dot(x, x).item<float>()}");

        var report = E2eApp.TorchEnvironment.Verify();
        System.Console.WriteLine(report);
        foreach (var line in System.IO.File.ReadLines("/proc/self/maps"))
        {
            if (line.EndsWith("/libLibTorchSharp.so", System.StringComparison.Ordinal))
            {
                System.Console.WriteLine("mapped: " + line.Substring(line.IndexOf('/')));
                break;
            }
        }

        return report.IsOk ? 0 : 3;

        """;

    private readonly Lazy<LockedProject> _locked;

    public SdkEndToEndFixture() => _locked = new Lazy<LockedProject>(CreateLockedProject);

    /// <summary>The first project: written from scratch, built (which locks), run.</summary>
    public LockedProject Locked => _locked.Value;

    /// <summary>The project file body of a console app on the packed SDK.</summary>
    public static string ProjectBody(string extraProperties = "") => $"""
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <RootNamespace>E2eApp</RootNamespace>
            <Nullable>enable</Nullable>
            <TreatWarningsAsErrors>false</TreatWarningsAsErrors>
            {extraProperties}
          </PropertyGroup>
        """;

    /// <summary>A new project with the locked project's spec and lock (and program), not built yet.</summary>
    public TestProject CopyOfLocked(string name, string extraProperties = "", string? sdk = null)
    {
        var project = CreateProject(name);
        project.WriteProject(sdk ?? $"TorchEnv.Sdk/{SdkVersion}", ProjectBody(extraProperties));
        project.WriteFile("Program.cs", Program);
        project.WriteFile("environment.yml", Locked.Project.ReadFile("environment.yml"));
        project.WriteFile("environment.lock.yml", Locked.Project.ReadFile("environment.lock.yml"));
        return project;
    }

    private LockedProject CreateLockedProject()
    {
        var project = CreateProject("app");
        project.WriteProject($"TorchEnv.Sdk/{SdkVersion}", ProjectBody());
        project.WriteFile("Program.cs", Program);
        project.WriteFile("environment.yml", Spec);
        var build = project.Build();
        var run = build.Succeeded ? project.Dotnet("run", "--no-build") : null;
        return new LockedProject(project, build, run);
    }
}

/// <summary>The shared locked project and what its first build and run printed.</summary>
public sealed record LockedProject(TestProject Project, DotNetResult FirstBuild, DotNetResult? FirstRun);
