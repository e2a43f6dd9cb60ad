using TorchEnv.Core.Diagnostics;

namespace TorchEnv.Core.Lock;

/// <summary>
/// The one reading of <c>TORCHENV_LOCKED</c> and <c>TORCHENV_FROZEN</c>, for the build and the tool alike:
/// <c>1</c>, <c>true</c>, <c>yes</c>, <c>on</c> turn a mode on; <c>0</c>, <c>false</c>, <c>no</c>, <c>off</c>, empty or
/// unset leave it off (any case, surrounding spaces ignored); anything else is TENV0504, so that a typo does not
/// silently turn a CI check off.
/// </summary>
public static class LockModeVariables
{
    /// <summary>The variable that asks for <see cref="LockMode.Locked"/>.</summary>
    public const string Locked = "TORCHENV_LOCKED";

    /// <summary>The variable that asks for <see cref="LockMode.Frozen"/>.</summary>
    public const string Frozen = "TORCHENV_FROZEN";

    private static readonly string[] OnValues = ["1", "true", "yes", "on"];
    private static readonly string[] OffValues = ["", "0", "false", "no", "off"];

    /// <summary>Whether <paramref name="value"/>, the raw value of the variable <paramref name="name"/> (null: unset), turns its mode on.</summary>
    /// <exception cref="TorchEnvException">TENV0504: the value is not one of the booleans above.</exception>
    public static bool IsOn(string name, string? value)
    {
        var trimmed = value?.Trim() ?? "";
        if (OnValues.Contains(trimmed, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        return OffValues.Contains(trimmed, StringComparer.OrdinalIgnoreCase)
            ? false
            : throw new TorchEnvException(LockModeMessages.NotABoolean(name, value!));
    }

    /// <summary>
    /// The mode of a pair of requests that come from the same kind of place (two variables, or two flags), each named
    /// as the user wrote it for the message.
    /// </summary>
    /// <exception cref="TorchEnvException">TENV0505: both are on.</exception>
    public static LockMode Combine(bool locked, string lockedFrom, bool frozen, string frozenFrom) =>
        locked && frozen ? throw new TorchEnvException(LockModeMessages.LockedAndFrozen(lockedFrom, frozenFrom))
        : locked ? LockMode.Locked
        : frozen ? LockMode.Frozen
        : LockMode.Default;

    /// <summary>
    /// The mode of a build (TorchEnv.Sdk), from the raw values of the two variables as the targets pass them on and the
    /// build's own settings. Both variables are read first, so a value that is not a boolean is TENV0504 in every build.
    /// Then: a design-time build is <see cref="LockMode.DesignTime"/>; <c>TORCHENV_FROZEN</c> on is
    /// <see cref="LockMode.Frozen"/> (with <c>TORCHENV_LOCKED</c> on too, TENV0505), even in CI, where locked mode is
    /// only the default; <paramref name="lockedMode"/> (<c>TorchEnvLockedMode</c>, on by default in CI) or
    /// <c>TORCHENV_LOCKED</c> on is <see cref="LockMode.Locked"/>; else <see cref="LockMode.Default"/>.
    /// </summary>
    /// <param name="lockedMode">The build's <c>TorchEnvLockedMode</c>.</param>
    /// <param name="lockedVariable">The raw <c>TORCHENV_LOCKED</c> (null: unset, or not passed because TorchEnvLockedMode was set).</param>
    /// <param name="frozenVariable">The raw <c>TORCHENV_FROZEN</c>.</param>
    /// <param name="designTime">A design-time (IDE) build.</param>
    public static LockMode ForBuild(bool lockedMode, string? lockedVariable, string? frozenVariable, bool designTime)
    {
        var locked = IsOn(Locked, lockedVariable);
        var frozen = IsOn(Frozen, frozenVariable);
        if (designTime)
        {
            return LockMode.DesignTime;
        }

        return frozen
            ? Combine(locked, Locked + "=1", frozen, Frozen + "=1")
            : lockedMode || locked ? LockMode.Locked : LockMode.Default;
    }

    /// <summary>The mode the two variables ask for (each read with <see cref="IsOn"/>; both on is TENV0505).</summary>
    public static LockMode Read(Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        var locked = IsOn(Locked, getEnvironmentVariable(Locked));
        var frozen = IsOn(Frozen, getEnvironmentVariable(Frozen));
        return Combine(locked, Locked + "=1", frozen, Frozen + "=1");
    }
}
