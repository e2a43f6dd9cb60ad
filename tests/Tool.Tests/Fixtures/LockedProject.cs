using System.Security.Cryptography;
using System.Text;
using TorchEnv.Core.Spec;
using TorchEnv.Core.Stack;
using TorchEnv.TestSupport;

namespace TorchEnv.Tool.Tests.Fixtures;

/// <summary>
/// A project folder with a CPU spec for linux-x64 and win-x64, a hand-written lock that is up to date with it, a
/// NuGet.config that clears every source but nuget.org and puts the global packages folder inside the folder (empty
/// until <see cref="Install"/>). Nothing here touches the network: every check in these tests is offline.
/// </summary>
public sealed class LockedProject : IDisposable
{
    public const string Source = "https://api.nuget.org/v3/index.json";

    public const string Spec = """
        name: fixture_torchsharp_cpu
        channels: [nuget.org]
        platforms: [linux-x64, win-x64]
        dependencies:
          - torchsharp=0.107.0
          - cpu

        """;

    private readonly TempDirectory folder = new("torchenv-tool");

    private LockedProject()
    {
        folder.WriteFile("NuGet.config", NuGetConfigText.For("packages", ("nuget.org", Source)));
        SpecPath = folder.WriteFile("environment.yml", Spec);
        OriginalLock = Render(SpecPath);
        LockPath = folder.WriteFile("environment.lock.yml", OriginalLock);
    }

    public string Path => folder.Path;

    public string SpecPath { get; }

    public string LockPath { get; }

    public string PackagesFolder => folder.Combine("packages");

    /// <summary>The lock as first written (up to date with <see cref="Spec"/>).</summary>
    public string OriginalLock { get; }

    public static LockedProject Create() => new();

    /// <summary>A deterministic fake SHA-512 (base64, as NuGet writes contentHash).</summary>
    public static string HashOf(string id, string version) =>
        Convert.ToBase64String(SHA512.HashData(Encoding.UTF8.GetBytes(id.ToLowerInvariant() + "/" + version)));

    /// <summary>The packages each environment locks: (id, version, dependencies).</summary>
    public static IEnumerable<(string Id, string Version, string Dependencies)> Packages(string platform) =>
    [
        ("Google.Protobuf", "3.21.9", "{}"),
        ($"libtorch-cpu-{platform}", "2.10.0", "{}"),
        ("TorchSharp", "0.107.0", "\n          Google.Protobuf: \"[3.21.9, )\""),
    ];

    /// <summary>The hand-written lock text for a spec; spec hashes, roots and framework come from Core's planner.</summary>
    public static string Render(string specPath)
    {
        var plans = StackPlanner.PlanAll(EnvironmentSpecReader.Read(specPath));
        var text = new StringBuilder();
        text.Append("# hand-written test lock\nversion: 1\ntool: 0.1.0\nname: fixture_torchsharp_cpu\nenvironments:\n");
        foreach (var plan in plans)
        {
            text.Append($"""
                  - variant: {plan.Variant}
                    platform: {plan.Platform}
                    spec-hash: {plan.SpecHash}
                    framework: {plan.Framework.GetShortFolderName()}
                    stack:
                      torchsharp: 0.107.0
                      libtorch: 2.10.0
                      device: cpu
                    host:
                      needs: []
                    roots:

                """);
            foreach (var root in plan.Candidates[0].Roots)
            {
                text.Append($"""
                          - id: {root.Id}
                            range: "{root.Range.ToNormalizedString()}"
                            reason: "{root.Reason}"

                    """);
            }

            text.Append("    pruned: {}\n    packages:\n");
            foreach (var (id, version, dependencies) in Packages(plan.Platform))
            {
                text.Append($"""
                          - id: {id}
                            version: {version}
                            source: {Source}
                            sha512: "{HashOf(id, version)}"
                            dependencies: {dependencies}

                    """);
            }
        }

        return text.ToString();
    }

    public void WriteSpec(string text) => File.WriteAllText(SpecPath, text);

    public void WriteLock(string text) => File.WriteAllText(LockPath, text);

    /// <summary>Replaces the first occurrence of <paramref name="old"/> in the lock (the test fails if there is none).</summary>
    public void EditLock(string old, string replacement)
    {
        var text = File.ReadAllText(LockPath);
        var at = text.IndexOf(old, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{old}' is not in the lock");
        WriteLock(text[..at] + replacement + text[(at + old.Length)..]);
    }

    /// <summary>Puts a package into the global packages folder the way NuGet marks it installed (.nupkg.metadata).</summary>
    public void Install(string id, string version, string? contentHash = null)
    {
        var directory = System.IO.Path.Combine(PackagesFolder, id.ToLowerInvariant(), version);
        Directory.CreateDirectory(directory);
        File.WriteAllText(
            System.IO.Path.Combine(directory, ".nupkg.metadata"),
            $$"""{ "version": 2, "contentHash": "{{contentHash ?? HashOf(id, version)}}", "source": "{{Source}}" }""");
    }

    /// <summary>Installs every package of one platform's environment, with the locked hashes.</summary>
    public void InstallAll(string platform)
    {
        foreach (var (id, version, _) in Packages(platform))
        {
            Install(id, version);
        }
    }

    public ToolRun Run(params string[] args) => ToolRunner.Run(Path, args);

    public ToolRun Run(IReadOnlyDictionary<string, string> environment, params string[] args) => ToolRunner.Run(Path, environment, args);

    public void Dispose() => folder.Dispose();
}
