using System.Text.Json;
using TorchEnv.TestSupport;
using TorchEnv.Tool.Cli;
using TorchEnv.Tool.Tests.Fixtures;

namespace TorchEnv.Tool.Tests.Ops;

/// <summary>
/// cache list / prune on a global packages folder of its own: two projects lock TorchSharp 0.106.0 and 0.107.0 (lock
/// records them as known locks), the first project is deleted, and only its version may go.
/// </summary>
public sealed class CacheCommandTests : IDisposable
{
    private readonly OpsFolder _folder = new();
    private readonly string _kept;

    public CacheCommandTests()
    {
        var gone = _folder.Project("Old", "0.106.0");
        _kept = _folder.Project("Kept", "0.107.0");
        _folder.Run(gone, "lock").AssertExit(ExitCodes.Success);
        _folder.Run(_kept, "lock").AssertExit(ExitCodes.Success);
        Directory.Delete(gone, recursive: true);
    }

    public void Dispose() => _folder.Dispose();

    private static IReadOnlyList<(string Id, string Version, JsonElement Row)> Packages(JsonElement result) =>
        result.GetProperty("packages").EnumerateArray().Select(p => (p.GetProperty("id").GetString()!, p.GetProperty("version").GetString()!, p)).ToList();

    [Fact]
    public void List_shows_versions_sizes_and_the_known_locks_using_them()
    {
        var result = OpsFolder.Result(_folder.Run(_folder.Root, "cache", "list", "--json"), ExitCodes.Success);

        Assert.Equal(_folder.PackagesFolder, result.GetProperty("globalPackagesFolder").GetString());
        var packages = Packages(result);
        Assert.Equal(["libtorch-cpu-linux-x64 2.10.0", "TorchSharp 0.106.0", "TorchSharp 0.107.0"], packages.Select(p => $"{p.Id} {p.Version}"));
        var keptLock = Path.Combine(_kept, "environment.lock.yml");
        Assert.Empty(packages.Single(p => p.Version == "0.106.0").Row.GetProperty("usedBy").EnumerateArray());
        Assert.Equal([keptLock], packages.Single(p => p.Version == "0.107.0").Row.GetProperty("usedBy").EnumerateArray().Select(u => u.GetString()));
        Assert.All(packages, p => Assert.True(p.Row.GetProperty("bytes").GetInt64() > 0));
        Assert.Equal([keptLock], result.GetProperty("knownLocks").EnumerateArray().Select(u => u.GetString()));
    }

    [Fact]
    public void Prune_dry_run_names_what_and_how_many_bytes_and_removes_nothing_then_prune_keeps_every_locked_package()
    {
        var dry = OpsFolder.Result(_folder.Run(_folder.Root, "cache", "prune", "--dry-run", "--min-age", "0", "--json"), ExitCodes.Success);
        var would = Packages(dry).Where(p => p.Row.GetProperty("action").GetString() == "removed").ToList();
        Assert.Equal(["TorchSharp 0.106.0"], would.Select(p => $"{p.Id} {p.Version}"));
        Assert.Equal(would[0].Row.GetProperty("bytes").GetInt64(), dry.GetProperty("bytes").GetInt64());
        Assert.True(Directory.Exists(Path.Combine(_folder.PackagesFolder, "torchsharp", "0.106.0")));

        var pruned = _folder.Run(_folder.Root, "cache", "prune", "--min-age", "0");
        pruned.AssertExit(ExitCodes.Success);
        Assert.Contains("Removed 1 package version(s)", pruned.Out);
        Assert.False(Directory.Exists(Path.Combine(_folder.PackagesFolder, "torchsharp", "0.106.0")));

        // The kept project's lock still verifies: every package it pins is there, with its hash.
        _folder.Run(_kept, "verify", "--platform", "linux-x64").AssertExit(ExitCodes.Success);
    }

    [Fact]
    public void Prune_leaves_recently_modified_folders_alone_by_default()
    {
        var result = OpsFolder.Result(_folder.Run(_folder.Root, "cache", "prune", "--json"), ExitCodes.Success);

        Assert.Equal("recentlyUsed", Packages(result).Single(p => p.Version == "0.106.0").Row.GetProperty("action").GetString());
        Assert.True(Directory.Exists(Path.Combine(_folder.PackagesFolder, "torchsharp", "0.106.0")));
    }

    [Fact]
    public void The_tool_run_as_a_child_process_takes_the_folder_from_NUGET_PACKAGES()
    {
        var tool = Path.Combine(AppContext.BaseDirectory, "TorchEnv.Tool.dll");
        var run = ProcessRunner.Run("dotnet", ["exec", tool, "cache", "list", "--json"], TimeSpan.FromMinutes(2), RepositoryRoot.Get(),
            new Dictionary<string, string> { ["NUGET_PACKAGES"] = _folder.PackagesFolder, ["TORCHENV_LOCK_REGISTRY"] = _folder.Registry });

        Assert.True(run.ExitCode == 0, run.Output);
        using var document = JsonDocument.Parse(run.StandardOutput);
        var result = document.RootElement.GetProperty("result");
        Assert.Equal(_folder.PackagesFolder, result.GetProperty("globalPackagesFolder").GetString());
        Assert.Equal(3, result.GetProperty("packages").GetArrayLength());
    }

    [Fact]
    public void A_registry_that_does_not_read_stops_prune_with_bad_input()
    {
        File.WriteAllText(_folder.Registry, "not json");

        var run = _folder.Run(_folder.Root, "cache", "prune", "--min-age", "0", "--json");

        run.AssertExit(ExitCodes.BadInput);
        Assert.Contains("TENV0570", OpsFolder.Codes(run));
        Assert.True(Directory.Exists(Path.Combine(_folder.PackagesFolder, "torchsharp", "0.106.0")));
    }
}
