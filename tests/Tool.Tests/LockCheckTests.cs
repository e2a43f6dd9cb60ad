using TorchEnv.Tool.Cli;
using TorchEnv.Tool.Tests.Fixtures;

namespace TorchEnv.Tool.Tests;

/// <summary>lock --check / --locked / --frozen on hand-written locks: exit 2 and nothing written on every kind of drift.</summary>
public sealed class LockCheckTests
{
    private static void AssertUnchanged(LockedProject project, string lockBefore, DateTime writtenBefore)
    {
        Assert.Equal(lockBefore, File.ReadAllText(project.LockPath));
        Assert.Equal(writtenBefore, File.GetLastWriteTimeUtc(project.LockPath));
        Assert.Equal(["NuGet.config", "environment.lock.yml", "environment.yml"],
            Directory.GetFiles(project.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    private static ToolRun CheckAndAssertNoWrite(LockedProject project, params string[] args)
    {
        var before = File.ReadAllText(project.LockPath);
        var written = File.GetLastWriteTimeUtc(project.LockPath);
        var run = project.Run(args.Length == 0 ? ["lock", "--check"] : args);
        AssertUnchanged(project, before, written);
        return run;
    }

    [Fact]
    public void Up_to_date_lock_passes()
    {
        using var project = LockedProject.Create();
        project.InstallAll("linux-x64");
        project.InstallAll("win-x64");

        var run = CheckAndAssertNoWrite(project);

        run.AssertExit(ExitCodes.Success);
        Assert.Contains("is up to date with", run.Out);
        Assert.Equal("", run.Error);
    }

    [Fact]
    public void Packages_not_installed_are_warnings_that_do_not_fail_and_can_be_silenced()
    {
        using var project = LockedProject.Create();

        var run = CheckAndAssertNoWrite(project);
        var quiet = CheckAndAssertNoWrite(project, "lock", "--check", "--no-warn", "TENV0239");

        run.AssertExit(ExitCodes.Success);
        Assert.Contains("warning TENV0239", run.Error);
        quiet.AssertExit(ExitCodes.Success);
        Assert.Equal("", quiet.Error);
    }

    [Fact]
    public void Missing_lock_fails_the_check_and_creates_nothing()
    {
        using var project = LockedProject.Create();
        File.Delete(project.LockPath);

        var run = project.Run("lock", "--check");

        run.AssertExit(ExitCodes.CheckFailed);
        Assert.False(File.Exists(project.LockPath));
        Assert.Contains("error TENV0230", run.Error);
    }

    [Fact]
    public void Edited_spec_makes_the_lock_stale()
    {
        using var project = LockedProject.Create();
        project.WriteSpec(LockedProject.Spec.Replace("torchsharp=0.107.0", "torchsharp=0.107.*"));

        var run = CheckAndAssertNoWrite(project);

        run.AssertExit(ExitCodes.CheckFailed);
        Assert.Contains($"{project.LockPath}(", run.Error);
        Assert.Contains("error TENV0231", run.Error);
        Assert.Contains("is not up to date", run.Out);
    }

    [Fact]
    public void Platform_removed_from_the_spec_leaves_an_extra_environment()
    {
        using var project = LockedProject.Create();
        project.WriteSpec(LockedProject.Spec.Replace("[linux-x64, win-x64]", "[linux-x64]"));

        var run = CheckAndAssertNoWrite(project);

        run.AssertExit(ExitCodes.CheckFailed);
        Assert.Contains("TENV0233", run.Error);
    }

    [Fact]
    public void Platform_added_to_the_spec_is_missing_from_the_lock()
    {
        using var project = LockedProject.Create();
        project.WriteSpec(LockedProject.Spec.Replace("[linux-x64, win-x64]", "[linux-x64, win-x64, osx-arm64]"));

        var run = CheckAndAssertNoWrite(project);

        run.AssertExit(ExitCodes.CheckFailed);
        Assert.Contains("TENV0232", run.Error);
        Assert.Contains("osx-arm64", run.Error);
    }

    [Fact]
    public void Tampered_version_is_found()
    {
        using var project = LockedProject.Create();
        project.EditLock("      - id: TorchSharp\n        version: 0.107.0", "      - id: TorchSharp\n        version: 0.107.1");

        var run = CheckAndAssertNoWrite(project);

        run.AssertExit(ExitCodes.CheckFailed);
        Assert.Contains("TENV0234", run.Error);
    }

    [Fact]
    public void Removed_dependency_is_found()
    {
        using var project = LockedProject.Create();
        project.EditLock(
            $"      - id: Google.Protobuf\n        version: 3.21.9\n        source: {LockedProject.Source}\n        sha512: \"{LockedProject.HashOf("Google.Protobuf", "3.21.9")}\"\n        dependencies: {{}}\n",
            "");

        var run = CheckAndAssertNoWrite(project);

        run.AssertExit(ExitCodes.CheckFailed);
        Assert.Contains("TENV0236", run.Error);
    }

    [Fact]
    public void Tampered_hash_of_an_installed_package_is_found()
    {
        using var project = LockedProject.Create();
        project.InstallAll("linux-x64");
        project.EditLock(LockedProject.HashOf("Google.Protobuf", "3.21.9"), LockedProject.HashOf("Google.Protobuf", "9.9.9"));

        var run = CheckAndAssertNoWrite(project);

        run.AssertExit(ExitCodes.CheckFailed);
        Assert.Contains("TENV0238", run.Error);
    }

    [Fact]
    public void Tampered_spec_hash_is_found()
    {
        using var project = LockedProject.Create();
        var text = File.ReadAllText(project.LockPath);
        var at = text.IndexOf("spec-hash: sha256:", StringComparison.Ordinal) + "spec-hash: sha256:".Length;
        project.WriteLock(text[..at] + (text[at] == '0' ? '1' : '0') + text[(at + 1)..]);

        var run = CheckAndAssertNoWrite(project);

        run.AssertExit(ExitCodes.CheckFailed);
        Assert.Contains("TENV0231", run.Error);
    }

    [Fact]
    public void Malformed_lock_is_bad_input_with_line_and_column()
    {
        using var project = LockedProject.Create();
        project.EditLock("    framework: net10.0", "    framework: [net10.0");

        var run = CheckAndAssertNoWrite(project);

        run.AssertExit(ExitCodes.BadInput);
        Assert.Matches(@"environment\.lock\.yml\(\d+,\d+\): error TENV022\d", run.Error);
    }

    [Fact]
    public void Malformed_lock_is_bad_input_for_why_and_verify_too()
    {
        using var project = LockedProject.Create();
        project.EditLock("    framework: net10.0", "    framework: [net10.0");

        project.Run("why", "TorchSharp").AssertExit(ExitCodes.BadInput);
        project.Run("verify").AssertExit(ExitCodes.BadInput);
        project.Run("lock", "--frozen").AssertExit(ExitCodes.BadInput);
    }

    [Fact]
    public void Locked_is_the_same_check()
    {
        using var project = LockedProject.Create();
        project.WriteSpec(LockedProject.Spec.Replace("torchsharp=0.107.0", "torchsharp=0.107.*"));

        CheckAndAssertNoWrite(project, "lock", "--locked").AssertExit(ExitCodes.CheckFailed);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("true")]
    [InlineData("yes")]
    public void Torchenv_locked_variable_turns_lock_into_the_check(string value)
    {
        using var project = LockedProject.Create();
        project.WriteSpec(LockedProject.Spec.Replace("torchsharp=0.107.0", "torchsharp=0.107.*"));
        var before = File.ReadAllText(project.LockPath);
        var written = File.GetLastWriteTimeUtc(project.LockPath);

        var run = project.Run(new Dictionary<string, string> { ["TORCHENV_LOCKED"] = value }, "lock");

        run.AssertExit(ExitCodes.CheckFailed);
        AssertUnchanged(project, before, written);
    }

    [Fact]
    public void Frozen_uses_a_stale_lock_as_it_is()
    {
        using var project = LockedProject.Create();
        project.WriteSpec(LockedProject.Spec.Replace("torchsharp=0.107.0", "torchsharp=0.107.*"));

        var flag = CheckAndAssertNoWrite(project, "lock", "--frozen");
        var variable = project.Run(new Dictionary<string, string> { ["TORCHENV_FROZEN"] = "1" }, "lock");

        flag.AssertExit(ExitCodes.Success);
        Assert.Contains("--frozen", flag.Out);
        variable.AssertExit(ExitCodes.Success);
        Assert.Equal(project.OriginalLock, File.ReadAllText(project.LockPath));
    }

    [Fact]
    public void Frozen_without_a_lock_fails()
    {
        using var project = LockedProject.Create();
        File.Delete(project.LockPath);

        var run = project.Run("lock", "--frozen");

        run.AssertExit(ExitCodes.CheckFailed);
        Assert.Contains("TENV0230", run.Error);
        Assert.False(File.Exists(project.LockPath));
    }

    [Fact]
    public void Plain_lock_of_an_up_to_date_lock_writes_nothing_and_needs_no_source()
    {
        using var project = LockedProject.Create();

        var run = CheckAndAssertNoWrite(project, "lock");

        run.AssertExit(ExitCodes.Success);
        Assert.Contains("is up to date", run.Out);
    }

    [Fact]
    public void Update_of_an_id_that_is_not_locked_is_a_usage_error_with_a_suggestion()
    {
        using var project = LockedProject.Create();

        var run = CheckAndAssertNoWrite(project, "lock", "--update", "TorchSharpp");

        run.AssertExit(ExitCodes.UsageError);
        Assert.Contains("'TorchSharpp' is not in", run.Error);
        Assert.Contains("did you mean 'TorchSharp'?", run.Error);
    }

    [Fact]
    public void Missing_spec_is_missing_input()
    {
        using var project = LockedProject.Create();
        File.Delete(project.SpecPath);

        var run = project.Run("lock", "--check");

        run.AssertExit(ExitCodes.MissingInput);
        Assert.Contains("TENV0008", run.Error);
        Assert.Contains("torchenv init", run.Error);
    }

    [Fact]
    public void Malformed_spec_is_bad_input_naming_the_line()
    {
        using var project = LockedProject.Create();
        project.WriteSpec(LockedProject.Spec.Replace("platforms:", "platfroms:"));

        var run = project.Run("lock", "--check");

        run.AssertExit(ExitCodes.BadInput);
        Assert.Contains("environment.yml(3,1): error", run.Error);
    }

    [Fact]
    public void Check_json_shapes()
    {
        using var project = LockedProject.Create();
        project.InstallAll("linux-x64");
        project.InstallAll("win-x64");
        var ok = project.Run("lock", "--check", "--json");
        project.WriteSpec(LockedProject.Spec.Replace("[linux-x64, win-x64]", "[linux-x64]"));
        var stale = project.Run("lock", "--check", "--json");

        ok.AssertExit(ExitCodes.Success);
        Golden.AssertMatches("lock-check-ok", ok.Out, (project.Path, "<project>"));
        stale.AssertExit(ExitCodes.CheckFailed);
        Golden.AssertMatches("lock-check-stale", stale.Out, (project.Path, "<project>"));
    }

    [Fact]
    public void Lock_json_shape_when_up_to_date()
    {
        using var project = LockedProject.Create();

        var run = project.Run("lock", "--json", "--no-warn", "TENV0239");

        run.AssertExit(ExitCodes.Success);
        Golden.AssertMatches("lock-up-to-date", run.Out, (project.Path, "<project>"));
    }

    [Fact]
    public void Cancelled_lock_exits_130_and_leaves_the_lock_alone()
    {
        using var project = LockedProject.Create();
        project.WriteSpec(LockedProject.Spec.Replace("torchsharp=0.107.0", "torchsharp=0.107.*"));

        var run = ToolRunner.Run(project.Path, new Dictionary<string, string>(), new CancellationToken(canceled: true), "lock");

        run.AssertExit(ExitCodes.Cancelled);
        Assert.Contains("error TENV0510", run.Error);
        Assert.Equal(project.OriginalLock, File.ReadAllText(project.LockPath));
    }
}
