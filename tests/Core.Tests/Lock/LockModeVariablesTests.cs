using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Lock;

namespace TorchEnv.Core.Tests.Lock;

/// <summary>TORCHENV_LOCKED / TORCHENV_FROZEN mean one thing, whoever reads them (the build's task and the tool call this).</summary>
public sealed class LockModeVariablesTests
{
    [Theory]
    [InlineData("1", true)]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("yes", true)]
    [InlineData(" on ", true)]
    [InlineData("0", false)]
    [InlineData("false", false)]
    [InlineData("no", false)]
    [InlineData("OFF", false)]
    [InlineData("", false)]
    [InlineData("  ", false)]
    [InlineData(null, false)]
    public void Booleans_turn_the_mode_on_or_leave_it_off(string? value, bool on)
    {
        Assert.Equal(on, LockModeVariables.IsOn(LockModeVariables.Locked, value));
    }

    [Theory]
    [InlineData("2")]
    [InlineData("enabled")]
    [InlineData("tru")]
    [InlineData("-1")]
    public void Anything_else_is_TENV0504_naming_the_variable_and_value(string value)
    {
        var error = Assert.Throws<TorchEnvException>(() => LockModeVariables.IsOn(LockModeVariables.Frozen, value));

        Assert.Equal("TENV0504", error.Diagnostic.Code);
        Assert.Equal(ExitClass.UsageError, error.Diagnostic.ExitClass);
        Assert.Contains($"TORCHENV_FROZEN='{value}'", error.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_variables_select_a_mode_and_both_together_are_TENV0505()
    {
        static LockMode Read(string? locked, string? frozen) =>
            LockModeVariables.Read(name => name == LockModeVariables.Locked ? locked : name == LockModeVariables.Frozen ? frozen : null);

        Assert.Equal(LockMode.Default, Read(null, "0"));
        Assert.Equal(LockMode.Locked, Read("yes", null));
        Assert.Equal(LockMode.Frozen, Read("off", "on"));
        Assert.Equal("TENV0505", Assert.Throws<TorchEnvException>(() => Read("1", "true")).Diagnostic.Code);
    }
}
