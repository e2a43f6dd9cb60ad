using TorchEnv.Core.Native;
using TorchEnv.Tool.Cli;
using TorchEnv.Tool.Tests.Fixtures;

namespace TorchEnv.Tool.Tests;

/// <summary>verify: the lock against the spec, installed packages (global packages folder) against the lock.</summary>
public sealed class VerifyCommandTests
{
    private static string Host => HostPlatform.Current;

    [Fact]
    public void Installed_packages_matching_the_lock_pass()
    {
        using var project = LockedProject.Create();
        project.InstallAll("linux-x64");

        var run = project.Run("verify", "--platform", "linux-x64");

        run.AssertExit(ExitCodes.Success);
        Assert.Contains("cpu/linux-x64", run.Out);
        Assert.Contains("Installed packages match", run.Out);
    }

    [Fact]
    public void NUGET_PACKAGES_given_by_the_host_wins_over_nuget_config()
    {
        // The packages are installed in the project's configured folder only: the folder the variable names is empty.
        using var project = LockedProject.Create();
        project.InstallAll("linux-x64");
        var shared = Path.Combine(project.Path, "shared-packages");

        var run = project.Run(new Dictionary<string, string> { ["NUGET_PACKAGES"] = shared }, "verify", "--platform", "linux-x64");

        run.AssertExit(ExitCodes.CheckFailed);
        Assert.Contains("error TENV0250", run.Error);
        Assert.Contains(shared, run.Error + run.Out);
    }

    [Fact]
    public void A_hand_edited_host_section_is_refused_by_verify_and_lock_check_alike_once_the_packages_are_installed()
    {
        using var project = LockedProject.Create();
        project.EditLock("    host:\n      needs: []", "    host:\n      glibcxx: 3.4.30\n      needs: []"); // the linux-x64 entry
        var offline = project.Run("lock", "--check");
        var downloaded = Directory.Exists(project.PackagesFolder);
        project.InstallAll("linux-x64");

        var verify = project.Run("verify", "--platform", "linux-x64");
        var check = project.Run("lock", "--check");

        offline.AssertExit(ExitCodes.Success); // nothing installed: nothing to recompute from, and nothing downloaded
        Assert.DoesNotContain("TENV0248", offline.Error);
        Assert.False(downloaded);
        foreach (var run in new[] { verify, check })
        {
            run.AssertExit(ExitCodes.CheckFailed);
            Assert.Contains("environment.lock.yml(15,7): error TENV0248: cpu/linux-x64: the lock's host.glibcxx is 3.4.30, but recomputed from the installed packages it is (none).", run.Error);
        }
    }

    [Fact]
    public void Missing_package_fails()
    {
        using var project = LockedProject.Create();
        project.Install("TorchSharp", "0.107.0");
        project.Install("Google.Protobuf", "3.21.9");

        var run = project.Run("verify", "--platform", "linux-x64");

        run.AssertExit(ExitCodes.CheckFailed);
        Assert.Contains("error TENV0250", run.Error);
        Assert.Contains("libtorch-cpu-linux-x64", run.Error);
    }

    [Fact]
    public void Different_hash_fails_pointing_at_the_lock_line()
    {
        using var project = LockedProject.Create();
        project.InstallAll("linux-x64");
        project.Install("Google.Protobuf", "3.21.9", contentHash: LockedProject.HashOf("Google.Protobuf", "0.0.1"));

        var run = project.Run("verify", "--platform", "linux-x64");

        run.AssertExit(ExitCodes.CheckFailed);
        Assert.Matches(@"environment\.lock\.yml\(\d+,\d+\): error TENV0252: cpu/linux-x64: Google\.Protobuf 3\.21\.9", run.Error);
    }

    [Fact]
    public void Different_version_restored_by_a_project_fails()
    {
        using var project = LockedProject.Create();
        project.InstallAll("linux-x64");
        var assets = Path.Combine(project.Path, "project.assets.json");
        File.WriteAllText(assets, $$"""
            { "version": 3, "libraries": {
              "Google.Protobuf/3.22.0": { "type": "package", "sha512": "{{LockedProject.HashOf("Google.Protobuf", "3.22.0")}}" },
              "libtorch-cpu-linux-x64/2.10.0": { "type": "package", "sha512": "{{LockedProject.HashOf("libtorch-cpu-linux-x64", "2.10.0")}}" },
              "TorchSharp/0.107.0": { "type": "package", "sha512": "{{LockedProject.HashOf("TorchSharp", "0.107.0")}}" } } }
            """);

        var run = project.Run("verify", "--platform", "linux-x64", "--assets-file", "project.assets.json");

        run.AssertExit(ExitCodes.CheckFailed);
        Assert.Contains("error TENV0251", run.Error);
        Assert.Contains("3.22.0", run.Error);
    }

    [Fact]
    public void Stale_lock_fails_unless_frozen()
    {
        using var project = LockedProject.Create();
        project.InstallAll("linux-x64");
        project.WriteSpec(LockedProject.Spec.Replace("torchsharp=0.107.0", "torchsharp=0.107.*"));

        var checkedRun = project.Run("verify", "--platform", "linux-x64");
        var frozen = project.Run("verify", "--platform", "linux-x64", "--frozen");
        var frozenByVariable = project.Run(new Dictionary<string, string> { ["TORCHENV_FROZEN"] = "yes" }, "verify", "--platform", "linux-x64");

        checkedRun.AssertExit(ExitCodes.CheckFailed);
        Assert.Contains("TENV0231", checkedRun.Error);
        frozen.AssertExit(ExitCodes.Success);
        frozenByVariable.AssertExit(ExitCodes.Success);
    }

    [Fact]
    public void Without_platform_it_verifies_this_machine()
    {
        using var project = LockedProject.Create();
        project.InstallAll("linux-x64");

        var run = project.Run("verify", "--json");

        using var document = System.Text.Json.JsonDocument.Parse(run.Out);
        var platforms = document.RootElement.GetProperty("result").GetProperty("environments").EnumerateArray()
            .Select(e => e.GetProperty("platform").GetString()).ToList();
        if (Host is "linux-x64" or "win-x64")
        {
            Assert.Equal([Host], platforms);
        }
        else
        {
            run.AssertExit(ExitCodes.UsageError);
        }
    }

    [Fact]
    public void Unknown_platform_or_variant_is_a_usage_error_listing_the_known_ones()
    {
        using var project = LockedProject.Create();

        var platform = project.Run("verify", "--platform", "osx-arm64");
        var variant = project.Run("verify", "--variant", "cuda", "--platform", "linux-x64");

        platform.AssertExit(ExitCodes.UsageError);
        Assert.Contains("No platform 'osx-arm64' here; known: linux-x64, win-x64.", platform.Error);
        variant.AssertExit(ExitCodes.UsageError);
        Assert.Contains("No variant 'cuda' here; known: cpu.", variant.Error);
    }

    [Fact]
    public void Missing_lock_is_missing_input()
    {
        using var project = LockedProject.Create();
        File.Delete(project.LockPath);

        var run = project.Run("verify");

        run.AssertExit(ExitCodes.MissingInput);
        Assert.Contains("TENV0230", run.Error);
    }

    [Fact]
    public void Verify_json_shape()
    {
        using var project = LockedProject.Create();
        project.Install("TorchSharp", "0.107.0");
        project.Install("Google.Protobuf", "3.21.9");

        var run = project.Run("verify", "--platform", "linux-x64", "--json");

        run.AssertExit(ExitCodes.CheckFailed);
        Golden.AssertMatches("verify-missing", run.Out, (project.Path, "<project>"));
    }
}
