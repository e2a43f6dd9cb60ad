using TorchEnv.Core.Diagnostics;

namespace TorchEnv.Core.Lock;

/// <summary>
/// The diagnostics of asking for a lock mode (TENV0504–TENV0505, in the command line's range because they are about what
/// the user asked for; the build reports them too). Each code is described in docs/diagnostics.md.
/// </summary>
internal static class LockModeMessages
{
    /// <summary>TENV0504: TORCHENV_LOCKED / TORCHENV_FROZEN holds something that is not a boolean.</summary>
    public static readonly DiagnosticDescriptor NotABooleanDescriptor = new(
        "TENV0504", DiagnosticSeverity.Error, ExitClass.UsageError,
        "Environment variable {0}='{1}' is not a boolean.",
        "Set {0} to 1, true, yes or on to turn it on, or to 0, false, no, off or nothing to turn it off.");

    /// <summary>TENV0505: locked and frozen asked for together.</summary>
    public static readonly DiagnosticDescriptor LockedAndFrozenDescriptor = new(
        "TENV0505", DiagnosticSeverity.Error, ExitClass.UsageError,
        "Locked mode ({0}) and frozen mode ({1}) cannot be used together.",
        "Use --locked to check the lock against environment.yml, or --frozen to use the lock as it is without checking it.");

    public static Diagnostic NotABoolean(string name, string value) => NotABooleanDescriptor.Create(null, name, value);

    public static Diagnostic LockedAndFrozen(string lockedFrom, string frozenFrom) => LockedAndFrozenDescriptor.Create(null, lockedFrom, frozenFrom);
}
