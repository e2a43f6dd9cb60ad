using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Lock;
using TorchEnv.Tool.Cli;

namespace TorchEnv.Tool.Tests;

/// <summary>--locked / --frozen and TORCHENV_LOCKED / TORCHENV_FROZEN, as uv and pixi combine them.</summary>
public sealed class LockModeTests
{
    private static LockMode Resolve(bool locked, bool frozen, params (string Name, string Value)[] variables)
    {
        var environment = variables.ToDictionary(v => v.Name, v => v.Value);
        return LockModeResolver.Resolve(locked, frozen, name => environment.GetValueOrDefault(name));
    }

    [Fact]
    public void Nothing_set_is_the_default_mode()
    {
        Assert.Equal(LockMode.Default, Resolve(false, false));
    }

    [Fact]
    public void Flags_select_their_mode()
    {
        Assert.Equal(LockMode.Locked, Resolve(true, false));
        Assert.Equal(LockMode.Frozen, Resolve(false, true));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("true")]
    [InlineData("TRUE")]
    [InlineData("yes")]
    [InlineData(" Yes ")]
    [InlineData("on")]
    public void Truthy_variables_turn_the_mode_on(string value)
    {
        Assert.Equal(LockMode.Locked, Resolve(false, false, ("TORCHENV_LOCKED", value)));
        Assert.Equal(LockMode.Frozen, Resolve(false, false, ("TORCHENV_FROZEN", value)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("false")]
    [InlineData("No")]
    [InlineData("off")]
    public void Falsy_variables_leave_the_mode_off(string value)
    {
        Assert.Equal(LockMode.Default, Resolve(false, false, ("TORCHENV_LOCKED", value), ("TORCHENV_FROZEN", value)));
    }

    [Fact]
    public void A_flag_wins_over_the_other_modes_variable()
    {
        Assert.Equal(LockMode.Frozen, Resolve(false, true, ("TORCHENV_LOCKED", "1")));
        Assert.Equal(LockMode.Locked, Resolve(true, false, ("TORCHENV_FROZEN", "1")));
    }

    [Fact]
    public void Both_flags_are_a_usage_error()
    {
        var error = Assert.Throws<TorchEnvException>(() => Resolve(true, true));

        Assert.Equal("TENV0505", error.Diagnostic.Code);
        Assert.Equal(ExitCodes.UsageError, ExitCodeMapper.Map(error));
    }

    [Fact]
    public void Both_variables_are_a_usage_error_naming_them()
    {
        var error = Assert.Throws<TorchEnvException>(() => Resolve(false, false, ("TORCHENV_LOCKED", "1"), ("TORCHENV_FROZEN", "true")));

        Assert.Contains("TORCHENV_LOCKED", error.Diagnostic.Message);
        Assert.Contains("TORCHENV_FROZEN", error.Diagnostic.Message);
    }

    [Fact]
    public void A_variable_that_is_not_a_boolean_is_a_usage_error_even_when_a_flag_is_given()
    {
        var error = Assert.Throws<TorchEnvException>(() => Resolve(true, false, ("TORCHENV_FROZEN", "maybe")));

        Assert.Equal("TENV0504", error.Diagnostic.Code);
        Assert.Equal(ExitCodes.UsageError, ExitCodeMapper.Map(error));
        Assert.Contains("'maybe'", error.Diagnostic.Message);
        Assert.Contains("1, true, yes or on", error.Diagnostic.Fix);
    }

    [Fact]
    public void Lock_check_with_frozen_is_rejected_before_any_work()
    {
        using var temp = new TestSupport.TempDirectory();

        var run = ToolRunner.Run(temp.Path, "lock", "--check", "--frozen");

        run.AssertExit(ExitCodes.UsageError);
        Assert.Contains("--check and --frozen cannot be used together", run.Error);
    }

    [Theory]
    [InlineData("--locked", "--update")]
    [InlineData("--frozen", "--update")]
    [InlineData("--check", "--update")]
    public void Lock_update_with_a_mode_that_forbids_writing_is_rejected(string mode, string update)
    {
        using var temp = new TestSupport.TempDirectory();

        var run = ToolRunner.Run(temp.Path, "lock", mode, update, "TorchSharp");

        run.AssertExit(ExitCodes.UsageError);
        Assert.Contains("TENV0513", run.Error);
    }

    [Fact]
    public void Lock_update_under_a_locked_environment_variable_is_rejected()
    {
        using var temp = new TestSupport.TempDirectory();

        var run = ToolRunner.Run(temp.Path, new Dictionary<string, string> { ["TORCHENV_LOCKED"] = "1" }, "lock", "--update");

        run.AssertExit(ExitCodes.UsageError);
        Assert.Contains("--update and TORCHENV_LOCKED=1 cannot be used together", run.Error);
    }
}
