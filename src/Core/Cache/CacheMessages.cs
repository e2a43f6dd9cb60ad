using TorchEnv.Core.Diagnostics;

namespace TorchEnv.Core.Cache;

/// <summary>The diagnostics of the lock registry and <c>torchenv cache</c> (TENV0570–TENV0579), each documented in <c>docs/diagnostics.md</c>.</summary>
public static class CacheMessages
{
    /// <summary>TENV0570: the lock registry cannot be read.</summary>
    public const string RegistryUnreadableCode = "TENV0570";

    /// <summary>TENV0571: a lock the registry knows cannot be read.</summary>
    public const string KnownLockUnreadableCode = "TENV0571";

    /// <summary>TENV0572: the lock registry stayed locked by another process.</summary>
    public const string RegistryBusyCode = "TENV0572";

    /// <summary>TENV0573 (warning): a package folder could not be removed.</summary>
    public const string RemoveFailedCode = "TENV0573";

    /// <summary>TENV0574 (warning): the global packages folder does not exist.</summary>
    public const string FolderMissingCode = "TENV0574";

    /// <summary>TENV0575: another prune is running on the same global packages folder.</summary>
    public const string PruneBusyCode = "TENV0575";

    /// <summary>TENV0570.</summary>
    public static Diagnostic RegistryUnreadable(string path, string detail, DiagnosticSeverity severity) => new(
        RegistryUnreadableCode, severity,
        $"The registry of known locks '{path}' cannot be read ({detail}); without it TorchEnv cannot tell which cached packages a lock still needs, so nothing is pruned.",
        new SourceLocation(path, 1, 1),
        "Delete the file; the next 'torchenv lock' or 'dotnet build' of each project records its lock again.");

    /// <summary>TENV0571.</summary>
    public static Diagnostic KnownLockUnreadable(string lockPath, string detail, DiagnosticSeverity severity) => new(
        KnownLockUnreadableCode, severity,
        $"The known lock '{lockPath}' cannot be read ({detail}); the packages it needs are unknown, so nothing is pruned.",
        new SourceLocation(lockPath, 1, 1),
        "Fix or relock it ('torchenv lock'), or delete it if the project is gone.");

    /// <summary>TENV0572.</summary>
    public static Diagnostic RegistryBusy(string path, TimeSpan waited) => new(
        RegistryBusyCode, DiagnosticSeverity.Error,
        $"The registry of known locks '{path}' was held by another process for more than {waited.TotalSeconds:0} s.",
        Fix: "Run the command again; if it keeps failing, check for a stuck torchenv or dotnet process.");

    /// <summary>TENV0573.</summary>
    public static Diagnostic RemoveFailed(string folder, string detail) => new(
        RemoveFailedCode, DiagnosticSeverity.Warning,
        $"'{folder}' could not be removed ({detail}); it was left in place.",
        Fix: "Close programs that use it (an IDE, a running build) and run 'torchenv cache prune' again.");

    /// <summary>TENV0574.</summary>
    public static Diagnostic FolderMissing(string folder) => new(
        FolderMissingCode, DiagnosticSeverity.Warning,
        $"The NuGet global packages folder '{folder}' does not exist; nothing is cached.",
        Fix: "Nothing to do; 'dotnet restore' creates it. NUGET_PACKAGES or NuGet.config's globalPackagesFolder choose where it is.");

    /// <summary>TENV0575.</summary>
    public static Diagnostic PruneBusy(string folder) => new(
        PruneBusyCode, DiagnosticSeverity.Error,
        $"Another 'torchenv cache prune' is running on '{folder}'.",
        Fix: "Wait for it to finish, then run the command again.");
}
