using System.Text.Json;
using TorchEnv.TestSupport;

namespace TorchEnv.Tool.Tests.Fixtures;

/// <summary>
/// A temporary root for the ops commands: a NuGet.config whose global packages folder is inside the root (so locks,
/// caches and prunes never touch the user's), a local feed of tiny stand-ins for TorchSharp 0.106.0 / 0.107.0 and
/// libtorch-cpu-linux-x64 2.10.0 (the real ids, so the stack matrix applies), and a registry of known locks of its own.
/// </summary>
public sealed class OpsFolder : IDisposable
{
    private readonly TempDirectory _root = new("torchenv-ops");

    public OpsFolder()
    {
        var feed = new LocalFeed(_root.Combine("feed"));
        foreach (var version in new[] { "0.106.0", "0.107.0" })
        {
            feed.Add("TorchSharp", version, p => p.File("lib/net8.0/TorchSharp.dll", "managed " + version));
        }

        feed.Add("libtorch-cpu-linux-x64", "2.10.0", p => p.Group("netstandard2.0").File("runtimes/linux-x64/native/libtorch_cpu.so", "stand-in"));
        _root.WriteFile("NuGet.config", NuGetConfigText.For(PackagesFolder, ("stand-ins", _root.Combine("feed"))));
    }

    public string Root => _root.Path;

    public string PackagesFolder => _root.Combine("packages");

    public string Registry => _root.Combine("registry", "locks.json");

    /// <summary>The variables every run gets: the folder's own registry of known locks.</summary>
    public Dictionary<string, string> Environment => new() { ["TORCHENV_LOCK_REGISTRY"] = Registry };

    public string Combine(params string[] parts) => _root.Combine(parts);

    public string WriteFile(string relativePath, string content) => _root.WriteFile(relativePath, content);

    /// <summary>A project folder with a linux-x64 CPU spec of that TorchSharp version.</summary>
    public string Project(string name, string torchSharp, string? environmentName = null) =>
        Path.GetDirectoryName(_root.WriteFile($"{name}/environment.yml", $"""
            name: {environmentName ?? name.ToLowerInvariant() + "_torchsharp_cpu"}
            channels: [stand-ins]
            platforms: [linux-x64]
            dependencies:
              - torchsharp=={torchSharp}
              - cpu

            """))!;

    /// <summary>Runs torchenv in <paramref name="workingDirectory"/> with <see cref="Environment"/>.</summary>
    public ToolRun Run(string workingDirectory, params string[] args) => ToolRunner.Run(workingDirectory, Environment, args);

    /// <summary>The <c>result</c> of a <c>--json</c> run (asserting the envelope's exit code).</summary>
    public static JsonElement Result(ToolRun run, int exitCode)
    {
        run.AssertExit(exitCode);
        using var document = JsonDocument.Parse(run.Out);
        Assert.Equal(exitCode, document.RootElement.GetProperty("exitCode").GetInt32());
        return document.RootElement.GetProperty("result").Clone();
    }

    /// <summary>The diagnostic codes of a <c>--json</c> run.</summary>
    public static IReadOnlyList<string> Codes(ToolRun run)
    {
        using var document = JsonDocument.Parse(run.Out);
        return document.RootElement.GetProperty("diagnostics").EnumerateArray().Select(d => d.GetProperty("code").GetString()!).ToList();
    }

    public void Dispose() => _root.Dispose();
}
