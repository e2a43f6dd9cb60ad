using TorchEnv.Core.Diagnostics;

namespace TorchEnv.Tool.Cli;

/// <summary>How a command that reads the lock treats it (uv's and pixi's <c>--locked</c> / <c>--frozen</c>).</summary>
internal enum LockMode
{
    /// <summary>Neither flag: the command may update a missing or stale lock (as <c>uv run</c> and <c>pixi run</c> do).</summary>
    Default,

    /// <summary><c>--locked</c> / <c>TORCHENV_LOCKED</c>: the lock must be up to date with the spec; never written; fail (exit 2) otherwise.</summary>
    Locked,

    /// <summary><c>--frozen</c> / <c>TORCHENV_FROZEN</c>: use the lock as it is, without checking it against the spec; never written.</summary>
    Frozen,
}

/// <summary>Combines the <c>--locked</c> / <c>--frozen</c> flags with the <c>TORCHENV_LOCKED</c> / <c>TORCHENV_FROZEN</c> variables.</summary>
internal static class LockModeResolver
{
    /// <summary>Environment variable equivalent of <c>--locked</c>.</summary>
    public const string LockedVariable = "TORCHENV_LOCKED";

    /// <summary>Environment variable equivalent of <c>--frozen</c>.</summary>
    public const string FrozenVariable = "TORCHENV_FROZEN";

    private static readonly string[] TrueValues = ["1", "true", "yes", "on"];
    private static readonly string[] FalseValues = ["", "0", "false", "no", "off"];

    /// <summary>
    /// The mode asked for. A flag on the command line wins over the other mode's variable (a CI job may set
    /// <c>TORCHENV_LOCKED=1</c> and still run one step with <c>--frozen</c>); both flags, or both variables, are a usage error.
    /// A variable that is not a boolean is a usage error too, so that a typo does not silently turn a check off.
    /// </summary>
    public static LockMode Resolve(bool lockedFlag, bool frozenFlag, Func<string, string?> getEnvironmentVariable)
    {
        var lockedVariable = ReadBoolean(LockedVariable, getEnvironmentVariable);
        var frozenVariable = ReadBoolean(FrozenVariable, getEnvironmentVariable);
        if (lockedFlag && frozenFlag)
        {
            throw new TorchEnvException(ToolMessages.LockedAndFrozen("--locked", "--frozen"));
        }

        if (lockedFlag)
        {
            return LockMode.Locked;
        }

        if (frozenFlag)
        {
            return LockMode.Frozen;
        }

        if (lockedVariable && frozenVariable)
        {
            throw new TorchEnvException(ToolMessages.LockedAndFrozen(LockedVariable + "=1", FrozenVariable + "=1"));
        }

        return lockedVariable ? LockMode.Locked : frozenVariable ? LockMode.Frozen : LockMode.Default;
    }

    /// <summary>Reads a boolean variable: <c>1</c>/<c>true</c>/<c>yes</c>/<c>on</c> or <c>0</c>/<c>false</c>/<c>no</c>/<c>off</c>/empty, any case.</summary>
    public static bool ReadBoolean(string name, Func<string, string?> getEnvironmentVariable)
    {
        var raw = getEnvironmentVariable(name);
        if (raw is null)
        {
            return false;
        }

        var value = raw.Trim();
        if (TrueValues.Contains(value, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        if (FalseValues.Contains(value, StringComparer.OrdinalIgnoreCase))
        {
            return false;
        }

        throw new TorchEnvException(ToolMessages.BadEnvironmentVariable(name, raw));
    }
}
