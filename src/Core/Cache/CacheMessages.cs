using TorchEnv.Core.Diagnostics;

namespace TorchEnv.Core.Cache;

/// <summary>The diagnostics of the lock registry and <c>torchenv cache</c> (TENV0570–TENV0579), each documented in <c>docs/diagnostics.md</c>.</summary>
public static class CacheMessages
{
    /// <summary>TENV0570: the lock registry cannot be read (an error for prune, a warning for list).</summary>
    public static readonly DiagnosticDescriptor RegistryUnreadableDescriptor = new(
        "TENV0570", DiagnosticSeverity.Error, ExitClass.BadInput,
        "The registry of known locks '{0}' cannot be read ({1}); without it TorchEnv cannot tell which cached packages a lock still needs, so nothing is pruned.",
        "Delete the file; the next 'torchenv lock' or 'dotnet build' of each project records its lock again.");

    /// <summary>TENV0571: a lock the registry knows cannot be read (an error for prune, a warning for list).</summary>
    public static readonly DiagnosticDescriptor KnownLockUnreadableDescriptor = new(
        "TENV0571", DiagnosticSeverity.Error, ExitClass.BadInput,
        "The known lock '{0}' cannot be read ({1}); the packages it needs are unknown, so nothing is pruned.",
        "Fix or relock it ('torchenv lock'), or delete it if the project is gone.");

    /// <summary>TENV0572: the lock registry stayed locked by another process.</summary>
    public static readonly DiagnosticDescriptor RegistryBusyDescriptor = new(
        "TENV0572", DiagnosticSeverity.Error, ExitClass.CannotWrite,
        "The registry of known locks '{0}' was held by another process for more than {1:0} s.",
        "Run the command again; if it keeps failing, check for a stuck torchenv or dotnet process.");

    /// <summary>TENV0573 (warning): a package folder could not be removed.</summary>
    public static readonly DiagnosticDescriptor RemoveFailedDescriptor = new(
        "TENV0573", DiagnosticSeverity.Warning, ExitClass.CannotWrite,
        "'{0}' could not be removed ({1}); it was left in place.",
        "Close programs that use it (an IDE, a running build) and run 'torchenv cache prune' again.");

    /// <summary>TENV0574 (warning): the global packages folder does not exist.</summary>
    public static readonly DiagnosticDescriptor FolderMissingDescriptor = new(
        "TENV0574", DiagnosticSeverity.Warning, ExitClass.MissingInput,
        "The NuGet global packages folder '{0}' does not exist; nothing is cached.",
        "Nothing to do; 'dotnet restore' creates it. NUGET_PACKAGES or NuGet.config's globalPackagesFolder choose where it is.");

    /// <summary>TENV0575: another prune is running on the same global packages folder.</summary>
    public static readonly DiagnosticDescriptor PruneBusyDescriptor = new(
        "TENV0575", DiagnosticSeverity.Error, ExitClass.CannotWrite,
        "Another 'torchenv cache prune' is running on '{0}'.",
        "Wait for it to finish, then run the command again.");

    /// <summary>TENV0570.</summary>
    public static Diagnostic RegistryUnreadable(string path, string detail, DiagnosticSeverity severity) =>
        RegistryUnreadableDescriptor.Create(new SourceLocation(path, 1, 1), path, detail) with { Severity = severity };

    /// <summary>TENV0571.</summary>
    public static Diagnostic KnownLockUnreadable(string lockPath, string detail, DiagnosticSeverity severity) =>
        KnownLockUnreadableDescriptor.Create(new SourceLocation(lockPath, 1, 1), lockPath, detail) with { Severity = severity };

    /// <summary>TENV0572.</summary>
    public static Diagnostic RegistryBusy(string path, TimeSpan waited) => RegistryBusyDescriptor.Create(null, path, waited.TotalSeconds);

    /// <summary>TENV0573.</summary>
    public static Diagnostic RemoveFailed(string folder, string detail) => RemoveFailedDescriptor.Create(null, folder, detail);

    /// <summary>TENV0574.</summary>
    public static Diagnostic FolderMissing(string folder) => FolderMissingDescriptor.Create(null, folder);

    /// <summary>TENV0575.</summary>
    public static Diagnostic PruneBusy(string folder) => PruneBusyDescriptor.Create(null, folder);
}
