using TorchEnv.Tool.Cli;
using TorchEnv.Tool.Tests.Fixtures;

namespace TorchEnv.Tool.Tests;

/// <summary>diff OLD NEW on hand-written locks.</summary>
public sealed class DiffCommandTests
{
    private static (LockedProject Project, string Old, string New) TwoLocks()
    {
        var project = LockedProject.Create();
        var old = Path.Combine(project.Path, "old.lock.yml");
        File.WriteAllText(old, project.OriginalLock);

        // New: Google.Protobuf upgraded on linux-x64, TorchSharp's hash changed on win-x64, SharpZipLib added on linux-x64.
        var linuxStart = project.OriginalLock.IndexOf("platform: linux-x64", StringComparison.Ordinal);
        var winStart = project.OriginalLock.IndexOf("platform: win-x64", StringComparison.Ordinal);
        var linux = project.OriginalLock[linuxStart..winStart]
            .Replace("      - id: Google.Protobuf\n        version: 3.21.9", "      - id: Google.Protobuf\n        version: 3.22.0")
            .Replace("Google.Protobuf: \"[3.21.9, )\"", "Google.Protobuf: \"[3.21.9, )\"\n          SharpZipLib: \"[1.4.0, )\"")
            .Replace("    packages:\n", $"    packages:\n      - id: SharpZipLib\n        version: 1.4.2\n        source: {LockedProject.Source}\n        sha512: \"{LockedProject.HashOf("SharpZipLib", "1.4.2")}\"\n        dependencies: {{}}\n");
        var win = project.OriginalLock[winStart..]
            .Replace(LockedProject.HashOf("TorchSharp", "0.107.0"), LockedProject.HashOf("TorchSharp", "tampered"));
        var @new = Path.Combine(project.Path, "new.lock.yml");
        File.WriteAllText(@new, project.OriginalLock[..linuxStart] + linux + win);
        return (project, old, @new);
    }

    [Fact]
    public void Shows_added_upgraded_and_changed_packages_per_environment()
    {
        var (project, old, @new) = TwoLocks();
        using var _ = project;

        var run = project.Run("diff", old, @new);

        run.AssertExit(ExitCodes.Success);
        Assert.Matches(@"cpu/linux-x64\s+↑ upgraded\s+Google\.Protobuf\s+3\.21\.9\s+3\.22\.0", run.Out);
        Assert.Matches(@"cpu/linux-x64\s+\+ added\s+SharpZipLib\s+1\.4\.2", run.Out);
        Assert.Matches(@"cpu/linux-x64\s+~ dependencies\s+TorchSharp", run.Out);
        Assert.Matches(@"cpu/win-x64\s+~ sha512\s+TorchSharp\s+0\.107\.0\s+0\.107\.0", run.Out);
    }

    [Fact]
    public void Reversed_diff_shows_removal_and_downgrade()
    {
        var (project, old, @new) = TwoLocks();
        using var _ = project;

        var run = project.Run("diff", @new, old, "--platform", "linux-x64");

        run.AssertExit(ExitCodes.Success);
        Assert.Matches(@"- removed\s+SharpZipLib\s+1\.4\.2", run.Out);
        Assert.Matches(@"↓ downgraded\s+Google\.Protobuf\s+3\.22\.0\s+3\.21\.9", run.Out);
        Assert.DoesNotContain("win-x64", run.Out);
    }

    [Fact]
    public void Same_locks_are_identical()
    {
        using var project = LockedProject.Create();

        var run = project.Run("diff", "environment.lock.yml", "environment.lock.yml", "--json");

        run.AssertExit(ExitCodes.Success);
        using var document = System.Text.Json.JsonDocument.Parse(run.Out);
        Assert.True(document.RootElement.GetProperty("result").GetProperty("identical").GetBoolean());
    }

    [Fact]
    public void Missing_file_is_missing_input_and_unknown_platform_a_usage_error()
    {
        var (project, old, @new) = TwoLocks();
        using var _ = project;

        project.Run("diff", old, "nowhere.lock.yml").AssertExit(ExitCodes.MissingInput);
        project.Run("diff", old, @new, "--platform", "osx-arm64").AssertExit(ExitCodes.UsageError);
    }

    [Fact]
    public void Diff_json_shape()
    {
        var (project, old, @new) = TwoLocks();
        using var _ = project;

        var run = project.Run("diff", old, @new, "--json");

        run.AssertExit(ExitCodes.Success);
        Golden.AssertMatches("diff", run.Out, (project.Path, "<project>"));
    }
}
