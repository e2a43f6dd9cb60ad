using TorchEnv.Core.Lock;

namespace TorchEnv.Tool.Cli;

/// <summary>
/// Combines the <c>--locked</c> / <c>--frozen</c> flags with the <c>TORCHENV_LOCKED</c> / <c>TORCHENV_FROZEN</c>
/// variables, which Core reads (<see cref="LockModeVariables"/>) as the build does.
/// </summary>
internal static class LockModeResolver
{
    /// <summary>
    /// The mode asked for. A flag on the command line wins over the other mode's variable (a CI job may set
    /// <c>TORCHENV_LOCKED=1</c> and still run one step with <c>--frozen</c>); both flags, or both variables, are a usage
    /// error (TENV0505). A variable that is not a boolean is a usage error too (TENV0504), flag or not.
    /// </summary>
    public static LockMode Resolve(bool lockedFlag, bool frozenFlag, Func<string, string?> getEnvironmentVariable)
    {
        var lockedVariable = LockModeVariables.IsOn(LockModeVariables.Locked, getEnvironmentVariable(LockModeVariables.Locked));
        var frozenVariable = LockModeVariables.IsOn(LockModeVariables.Frozen, getEnvironmentVariable(LockModeVariables.Frozen));
        return lockedFlag || frozenFlag
            ? LockModeVariables.Combine(lockedFlag, "--locked", frozenFlag, "--frozen")
            : LockModeVariables.Combine(lockedVariable, LockModeVariables.Locked + "=1", frozenVariable, LockModeVariables.Frozen + "=1");
    }
}
