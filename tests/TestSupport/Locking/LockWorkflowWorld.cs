using TorchEnv.Core.Lock;
using TorchEnv.Core.Resolution;
using TorchEnv.Core.Spec;

namespace TorchEnv.TestSupport.Locking;

/// <summary>
/// An offline world in which <c>torchenv lock --check</c> and the build's locked mode can be compared: a local feed of
/// <see cref="CpuStandInFeed"/> packages, a spec written as a user writes it (read by the real reader and planner), its
/// lock resolved once by the real locker, and every locked package installed in one global packages folder (real
/// nupkgs, nuspecs and <c>.nupkg.metadata</c>), so that every offline check applies. Projects are sibling folders of the
/// feed with their own spec, lock and a NuGet.config naming that packages folder. One world per test process.
/// </summary>
public sealed class LockWorkflowWorld
{
    /// <summary>The spec (a cpu variant on osx-arm64 and win-x64, the feed as a relative channel).</summary>
    public const string SpecText = """
        name: demo_torchsharp_cpu
        channels: [../feed]
        platforms: [win-x64, osx-arm64]
        dependencies:
          - dotnet-sdk=10.0.*
          - torchsharp=0.107.0
          - torchvision=0.107.0
          - cpu
          - nuget:
              - Extra.Lib>=1.0.0

        """;

    private static readonly Lazy<LockWorkflowWorld> SharedWorld = new(() => new LockWorkflowWorld());

    private readonly TempDirectory root = new("torchenv-lockflow");
    private int projects;

    private LockWorkflowWorld()
    {
        CpuStandInFeed.Build(new LocalFeed(root.Combine("feed")));
        PackagesFolder = root.Combine("packages");
        var first = NewProject("locked-once", lockText: "");
        File.Delete(first.LockPath);
        var spec = EnvironmentSpecReader.Read(first.SpecPath);
        // Every entry installed (not only this host's): the checks against the packages folder apply to both platforms.
        LockService.For(spec, first.LockPath, new LockOptions { GlobalPackagesFolder = PackagesFolder, Install = LockInstallScope.All })
            .LockAsync(LockUpdate.None, startOverIfUnreadable: false).GetAwaiter().GetResult();
        LockText = File.ReadAllText(first.LockPath);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => root.Dispose();
    }

    /// <summary>The world of this test process (created, and the spec locked, on first use).</summary>
    public static LockWorkflowWorld Shared => SharedWorld.Value;

    /// <summary>The global packages folder every project of the world uses.</summary>
    public string PackagesFolder { get; }

    /// <summary>The lock of <see cref="SpecText"/>, as the real locker wrote it.</summary>
    public string LockText { get; }

    /// <summary>A new project folder with the spec, the given lock text (default: <see cref="LockText"/>) and a NuGet.config.</summary>
    public LockWorkflowProject NewProject(string name, string? lockText = null, string? specText = null)
    {
        var folder = root.Combine($"{name}-{Interlocked.Increment(ref projects)}");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "NuGet.config"), NuGetConfigText.For(PackagesFolder));
        var specPath = Path.Combine(folder, "environment.yml");
        File.WriteAllText(specPath, specText ?? SpecText);
        var lockPath = Path.Combine(folder, LockFileWriter.DefaultFileName);
        File.WriteAllText(lockPath, lockText ?? LockText);
        return new LockWorkflowProject(folder, specPath, lockPath, PackagesFolder);
    }
}

/// <summary>One project folder of a <see cref="LockWorkflowWorld"/>.</summary>
/// <param name="Folder">The folder.</param>
/// <param name="SpecPath">Its environment.yml.</param>
/// <param name="LockPath">Its environment.lock.yml.</param>
/// <param name="PackagesFolder">The world's global packages folder (its NuGet.config names it).</param>
public sealed record LockWorkflowProject(string Folder, string SpecPath, string LockPath, string PackagesFolder)
{
    /// <summary>The offline findings of Core's lock service in locked mode: what both the tool and the build report.</summary>
    public IReadOnlyList<Core.Diagnostics.Diagnostic> LockedModeFindings()
    {
        var spec = EnvironmentSpecReader.Read(SpecPath);
        var use = LockService.For(spec, LockPath, new LockOptions { GlobalPackagesFolder = PackagesFolder })
            .UseAsync(LockMode.Locked).GetAwaiter().GetResult();
        return use.Findings.Where(LockService.IsError).ToList();
    }
}
