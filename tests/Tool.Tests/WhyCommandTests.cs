using System.Text.Json;
using TorchEnv.Tool.Cli;
using TorchEnv.Tool.Tests.Fixtures;

namespace TorchEnv.Tool.Tests;

/// <summary>why ID on a hand-written lock: chains from the spec line, the deciding constraint, lock modes.</summary>
public sealed class WhyCommandTests
{
    [Fact]
    public void Transitive_package_shows_the_chain_from_the_spec_line_and_the_deciding_constraint()
    {
        using var project = LockedProject.Create();

        var run = project.Run("why", "google.protobuf", "--platform", "linux-x64");

        run.AssertExit(ExitCodes.Success);
        Assert.Contains("cpu/linux-x64: Google.Protobuf 3.21.9", run.Out);
        Assert.Contains("torchsharp=0.107.0 (environment.yml:5)", run.Out);
        Assert.Contains("TorchSharp 0.107.0  (asked [0.107.0, 0.107.0])", run.Out);
        Assert.Contains("Google.Protobuf 3.21.9  (asked [3.21.9, ))", run.Out);
        Assert.Contains("Version chosen by TorchSharp 0.107.0, which needs [3.21.9, )", run.Out);
        Assert.DoesNotContain("win-x64", run.Out);
    }

    [Fact]
    public void Root_package_is_chosen_by_the_spec()
    {
        using var project = LockedProject.Create();

        var run = project.Run("why", "libtorch-cpu-win-x64");

        run.AssertExit(ExitCodes.Success);
        Assert.Contains("cpu/win-x64: libtorch-cpu-win-x64 2.10.0", run.Out);
        Assert.Contains("cpu (environment.yml:6)", run.Out);
        Assert.Contains("Version chosen by the spec's range [2.10.0, 2.10.0]", run.Out);
    }

    [Fact]
    public void Without_filters_every_environment_that_has_it_is_shown()
    {
        using var project = LockedProject.Create();

        var run = project.Run("why", "TorchSharp", "--json");

        using var document = JsonDocument.Parse(run.Out);
        var environments = document.RootElement.GetProperty("result").GetProperty("environments");
        Assert.Equal(["linux-x64", "win-x64"], environments.EnumerateArray().Select(e => e.GetProperty("platform").GetString()));
    }

    [Fact]
    public void Unknown_package_is_a_usage_error_with_a_suggestion()
    {
        using var project = LockedProject.Create();

        var run = project.Run("why", "Google.Protobuff");

        run.AssertExit(ExitCodes.UsageError);
        Assert.Contains("did you mean 'Google.Protobuf'?", run.Error);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public void Locked_fails_on_a_stale_lock_frozen_answers_from_it()
    {
        using var project = LockedProject.Create();
        project.WriteSpec(LockedProject.Spec.Replace("torchsharp=0.107.0", "torchsharp=0.107.*"));

        var locked = project.Run("why", "TorchSharp", "--locked");
        var lockedByVariable = project.Run(new Dictionary<string, string> { ["TORCHENV_LOCKED"] = "1" }, "why", "TorchSharp");
        var frozen = project.Run("why", "TorchSharp", "--frozen");

        locked.AssertExit(ExitCodes.CheckFailed);
        Assert.Contains("TENV0231", locked.Error);
        lockedByVariable.AssertExit(ExitCodes.CheckFailed);
        frozen.AssertExit(ExitCodes.Success);
        Assert.Contains("TorchSharp 0.107.0", frozen.Out);
        Assert.Equal(project.OriginalLock, File.ReadAllText(project.LockPath));
    }

    [Fact]
    public void Frozen_without_a_lock_is_missing_input()
    {
        using var project = LockedProject.Create();
        File.Delete(project.LockPath);

        project.Run("why", "TorchSharp", "--frozen").AssertExit(ExitCodes.MissingInput);
    }

    [Fact]
    public void Why_json_shape()
    {
        using var project = LockedProject.Create();

        var run = project.Run("why", "Google.Protobuf", "--variant", "cpu", "--platform", "linux-x64", "--json");

        run.AssertExit(ExitCodes.Success);
        Golden.AssertMatches("why", run.Out, (project.Path, "<project>"));
    }
}
