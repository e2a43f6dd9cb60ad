using TorchEnv.Core.Diagnostics;

namespace TorchEnv.Sdk.Tasks.Diagnostics;

/// <summary>
/// Every diagnostic TorchEnv.Sdk itself reports during <c>dotnet build</c> (TENV0400–TENV0499), in one place: code,
/// severity, text and fix. Each code has a section in <c>docs/diagnostics.md</c>. The build also reports Core's own
/// diagnostics as they are (spec TENV00xx, lock TENV02xx — locked mode's refusals among them —, host ABI TENV03xx). Run-time codes of the generated
/// <c>TorchEnvironment.Verify()</c> (TENV0670–TENV0699) live in the generated source's template.
/// </summary>
internal static class SdkDiagnostics
{
    public static readonly DiagnosticDescriptor SpecNotFoundDescriptor = new(
        "TENV0401", DiagnosticSeverity.Error, ExitClass.MissingInput,
        "No environment.yml was found for this TorchEnv.Sdk project (looked for '{0}' and in every folder above the project).",
        "create one with `dotnet torchenv init`, or point the TorchEnvSpecFile property at your spec.");

    public static readonly DiagnosticDescriptor UnknownVariantDescriptor = new(
        "TENV0402", DiagnosticSeverity.Error, ExitClass.UsageError,
        "TorchEnvVariant is '{0}', but the spec has no such variant (it has: {1}).",
        "set TorchEnvVariant to one of the spec's variants, or leave it empty for the spec's first variant.");

    public static readonly DiagnosticDescriptor PlatformNotLockedForVariantDescriptor = new(
        "TENV0403", DiagnosticSeverity.Error, ExitClass.BadInput,
        "The build targets platform '{0}', but variant '{1}' is only declared for: {2}.",
        "add {0} to `platforms:` in environment.yml (and relock), or build for a declared platform with `-r <rid>`.");

    public static readonly DiagnosticDescriptor PackageReferenceConflictDescriptor = new(
        "TENV0407", DiagnosticSeverity.Error, ExitClass.BadInput,
        "PackageReference '{0}' asks for version '{1}', but environment.lock.yml locks {0} {2}; TorchEnv.Sdk restores exactly the locked version.",
        "remove the Version from this PackageReference (the lock supplies it), or change {0} in environment.yml (`nuget:` list) and relock.");

    public static readonly DiagnosticDescriptor DotnetSdkMismatchErrorDescriptor = new(
        "TENV0408", DiagnosticSeverity.Error, ExitClass.BadInput,
        "This build runs .NET SDK {0}, but environment.lock.yml pins dotnet-sdk {1} (policy: production).",
        "install .NET SDK {1} and pin it in global.json, or change `dotnet-sdk=` in environment.yml and relock.");

    public static readonly DiagnosticDescriptor DotnetSdkMismatchWarningDescriptor = new(
        "TENV0409", DiagnosticSeverity.Warning, ExitClass.BadInput,
        "This build runs .NET SDK {0}, but environment.lock.yml pins dotnet-sdk {1} (policy: research, so this is a warning).",
        "install .NET SDK {1} and pin it in global.json, or change `dotnet-sdk=` in environment.yml and relock. Suppress with <NoWarn>$(NoWarn);TENV0409</NoWarn>.");

    public static readonly DiagnosticDescriptor InstalledPackageDiffersDescriptor = new(
        "TENV0410", DiagnosticSeverity.Error, ExitClass.BadInput,
        "A restored package is not the locked one ({0}): {1}",
        "{2}");

    public static readonly DiagnosticDescriptor LockWrittenDescriptor = new(
        "TENV0420", DiagnosticSeverity.Info, ExitClass.BadInput,
        "TorchEnv locked environment.yml into '{0}' ({1} packages for this variant and platform). Commit it.",
        null);

    public static readonly DiagnosticDescriptor RelockedDescriptor = new(
        "TENV0421", DiagnosticSeverity.Info, ExitClass.BadInput,
        "'{0}' was not up to date with environment.yml for variant '{1}' on {2}: TorchEnv relocked it. Review and commit the change.",
        null);

    public static readonly DiagnosticDescriptor DesignTimeWithoutLockDescriptor = new(
        "TENV0422", DiagnosticSeverity.Info, ExitClass.BadInput,
        "Design-time build: '{0}' does not exist yet and design-time builds never lock (no network); the locked packages appear after the first `dotnet build`.",
        null);

    public static readonly DiagnosticDescriptor AutoLockDisabledDescriptor = new(
        "TENV0423", DiagnosticSeverity.Error, ExitClass.BadInput,
        "'{0}' is missing or stale and EnableTorchEnvAutoLock is false, so the build does not lock.",
        "run `dotnet torchenv lock`, or remove EnableTorchEnvAutoLock=false.");

    public static readonly DiagnosticDescriptor NativeCompatShimMissingDescriptor = new(
        "TENV0430", DiagnosticSeverity.Error, ExitClass.BadInput,
        "The libstdc++ compatibility shim '{0}' is not in this TorchEnv.Sdk package (it is built with g++ when the package is packed on Linux x64).",
        "use a TorchEnv.Sdk package packed on Linux x64, set TorchEnvNativeShimFile to a built shim, or run on a host whose libstdc++ is new enough.");

    public static readonly DiagnosticDescriptor PatchedFileNotCopiedDescriptor = new(
        "TENV0431", DiagnosticSeverity.Error, ExitClass.BadInput,
        "The libstdc++ compatibility step must patch '{0}', but this project does not copy that file to its output (no copy-local native asset), so the patched copy cannot take its place.",
        "reference the package without ExcludeAssets=\"native\"/\"runtime\", or set TorchEnvNativeCompat=off and run on a host whose libstdc++ is new enough.");

    public static readonly DiagnosticDescriptor InvalidNativeCompatModeDescriptor = new(
        "TENV0432", DiagnosticSeverity.Error, ExitClass.UsageError,
        "TorchEnvNativeCompat is '{0}'; it must be 'auto' or 'off'.",
        "set TorchEnvNativeCompat to auto (patch a copy of libLibTorchSharp.so when that is the only fix needed) or off.");

    public static readonly DiagnosticDescriptor UnexpectedFailureDescriptor = new(
        "TENV0499", DiagnosticSeverity.Error, ExitClass.InternalError,
        "{0} failed unexpectedly: {1}: {2}",
        "this is a bug in TorchEnv; rerun with `-v:diag` for the stack trace and report it.");

    public static Diagnostic SpecNotFound(string specFile, string projectFile) => SpecNotFoundDescriptor.Create(At(projectFile), specFile);

    public static Diagnostic UnknownVariant(string variant, IEnumerable<string> available, string projectFile) =>
        UnknownVariantDescriptor.Create(At(projectFile), variant, string.Join(", ", available));

    public static Diagnostic PlatformNotLockedForVariant(string platform, string variant, IEnumerable<string> platforms, SourceLocation variantLocation) =>
        PlatformNotLockedForVariantDescriptor.Create(variantLocation, platform, variant, string.Join(", ", platforms));

    public static Diagnostic PackageReferenceConflict(string id, string userVersion, string lockedVersion, SourceLocation? location) =>
        PackageReferenceConflictDescriptor.Create(location, id, userVersion, lockedVersion);

    public static Diagnostic DotnetSdkMismatch(string running, string locked, bool production, SourceLocation? location) =>
        (production ? DotnetSdkMismatchErrorDescriptor : DotnetSdkMismatchWarningDescriptor).Create(location, running, locked);

    public static Diagnostic InstalledPackageDiffers(Diagnostic drift) => InstalledPackageDiffersDescriptor.Create(
        drift.Location,
        drift.Code,
        drift.Message,
        drift.Fix ?? "clear the package from the NuGet global packages folder and restore again; if the lock was edited by hand, relock.");

    public static Diagnostic LockWritten(string lockFile, int packageCount) => LockWrittenDescriptor.Create(null, lockFile, packageCount);

    public static Diagnostic Relocked(string lockFile, string variant, string platform) => RelockedDescriptor.Create(null, lockFile, variant, platform);

    public static Diagnostic DesignTimeWithoutLock(string lockFile) => DesignTimeWithoutLockDescriptor.Create(null, lockFile);

    public static Diagnostic AutoLockDisabled(string lockFile, string specFile) => AutoLockDisabledDescriptor.Create(At(specFile), lockFile);

    public static Diagnostic NativeCompatShimMissing(string shimFile) => NativeCompatShimMissingDescriptor.Create(null, shimFile);

    public static Diagnostic PatchedFileNotCopied(string file, string projectFile) => PatchedFileNotCopiedDescriptor.Create(At(projectFile), file);

    public static Diagnostic InvalidNativeCompatMode(string value, string projectFile) => InvalidNativeCompatModeDescriptor.Create(At(projectFile), value);

    public static Diagnostic UnexpectedFailure(string task, Exception exception) =>
        UnexpectedFailureDescriptor.Create(null, task, exception.GetType().Name, exception.Message);

    /// <summary>A whole-file location (line 1, column 1), for faults that are about a file rather than a line in it.</summary>
    public static SourceLocation At(string file) => new(file, 1, 1);
}
