using TorchEnv.Core.Diagnostics;

namespace TorchEnv.Sdk.Tasks.Diagnostics;

/// <summary>
/// Every diagnostic TorchEnv.Sdk itself reports during <c>dotnet build</c> (TENV0400–TENV0499), in one place: code,
/// severity, text and fix. Each code has a section in <c>docs/diagnostics.md</c>. The build also reports Core's own
/// diagnostics as they are (spec TENV00xx, lock TENV02xx, host ABI TENV03xx). Run-time codes of the generated
/// <c>TorchEnvironment.Verify()</c> (TENV0670–TENV0699) live in the generated source's template.
/// </summary>
internal static class SdkDiagnostics
{
    public const string SpecNotFoundCode = "TENV0401";
    public const string UnknownVariantCode = "TENV0402";
    public const string PlatformNotLockedForVariantCode = "TENV0403";
    public const string LockMissingInLockedModeCode = "TENV0404";
    public const string LockStaleInLockedModeCode = "TENV0405";
    public const string LockEntryMissingInLockedModeCode = "TENV0406";
    public const string PackageReferenceConflictCode = "TENV0407";
    public const string DotnetSdkMismatchErrorCode = "TENV0408";
    public const string DotnetSdkMismatchWarningCode = "TENV0409";
    public const string InstalledPackageDiffersCode = "TENV0410";
    public const string LockWrittenCode = "TENV0420";
    public const string RelockedCode = "TENV0421";
    public const string DesignTimeWithoutLockCode = "TENV0422";
    public const string AutoLockDisabledCode = "TENV0423";
    public const string NativeCompatShimMissingCode = "TENV0430";
    public const string PatchedFileNotCopiedCode = "TENV0431";
    public const string InvalidNativeCompatModeCode = "TENV0432";
    public const string UnexpectedFailureCode = "TENV0499";

    private const string RelockFix =
        "run `dotnet build` outside locked mode (or `dotnet torchenv lock`) on a developer machine and commit environment.lock.yml.";

    public static Diagnostic SpecNotFound(string specFile, string projectFile) => new(
        SpecNotFoundCode, DiagnosticSeverity.Error,
        $"No environment.yml was found for this TorchEnv.Sdk project (looked for '{specFile}' and in every folder above the project).",
        At(projectFile),
        "create one with `dotnet torchenv init`, or point the TorchEnvSpecFile property at your spec.");

    public static Diagnostic UnknownVariant(string variant, IEnumerable<string> available, string projectFile) => new(
        UnknownVariantCode, DiagnosticSeverity.Error,
        $"TorchEnvVariant is '{variant}', but the spec has no such variant (it has: {string.Join(", ", available)}).",
        At(projectFile),
        "set TorchEnvVariant to one of the spec's variants, or leave it empty for the spec's first variant.");

    public static Diagnostic PlatformNotLockedForVariant(string platform, string variant, IEnumerable<string> platforms, SourceLocation variantLocation) => new(
        PlatformNotLockedForVariantCode, DiagnosticSeverity.Error,
        $"The build targets platform '{platform}', but variant '{variant}' is only declared for: {string.Join(", ", platforms)}.",
        variantLocation,
        $"add {platform} to `platforms:` in environment.yml (and relock), or build for a declared platform with `-r <rid>`.");

    public static Diagnostic LockMissingInLockedMode(string lockFile, string specFile) => new(
        LockMissingInLockedModeCode, DiagnosticSeverity.Error,
        $"Locked mode (CI, ContinuousIntegrationBuild or TorchEnvLockedMode=true) needs '{lockFile}', which does not exist; a locked build never creates it.",
        At(specFile),
        RelockFix);

    public static Diagnostic LockStaleInLockedMode(string variant, string platform, SourceLocation entryLocation) => new(
        LockStaleInLockedModeCode, DiagnosticSeverity.Error,
        $"environment.lock.yml is stale: environment.yml changed since variant '{variant}' on {platform} was locked. Locked mode never rewrites the lock.",
        entryLocation,
        RelockFix);

    public static Diagnostic LockEntryMissingInLockedMode(string variant, string platform, string lockFile) => new(
        LockEntryMissingInLockedModeCode, DiagnosticSeverity.Error,
        $"environment.lock.yml has no entry for variant '{variant}' on {platform}. Locked mode never rewrites the lock.",
        At(lockFile),
        RelockFix);

    public static Diagnostic PackageReferenceConflict(string id, string userVersion, string lockedVersion, SourceLocation? location) => new(
        PackageReferenceConflictCode, DiagnosticSeverity.Error,
        $"PackageReference '{id}' asks for version '{userVersion}', but environment.lock.yml locks {id} {lockedVersion}; TorchEnv.Sdk restores exactly the locked version.",
        location,
        $"remove the Version from this PackageReference (the lock supplies it), or change {id} in environment.yml (`nuget:` list) and relock.");

    public static Diagnostic DotnetSdkMismatch(string running, string locked, bool production, SourceLocation? location) => new(
        production ? DotnetSdkMismatchErrorCode : DotnetSdkMismatchWarningCode,
        production ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
        $"This build runs .NET SDK {running}, but environment.lock.yml pins dotnet-sdk {locked}"
        + (production ? " (policy: production)." : " (policy: research, so this is a warning)."),
        location,
        $"install .NET SDK {locked} and pin it in global.json, or change `dotnet-sdk=` in environment.yml and relock."
        + (production ? "" : $" Suppress with <NoWarn>$(NoWarn);{DotnetSdkMismatchWarningCode}</NoWarn>."));

    public static Diagnostic InstalledPackageDiffers(Diagnostic drift) => new(
        InstalledPackageDiffersCode, DiagnosticSeverity.Error,
        $"A restored package is not the locked one ({drift.Code}): {drift.Message}",
        drift.Location,
        drift.Fix ?? "clear the package from the NuGet global packages folder and restore again; if the lock was edited by hand, relock.");

    public static Diagnostic LockWritten(string lockFile, int packageCount) => new(
        LockWrittenCode, DiagnosticSeverity.Info,
        $"TorchEnv locked environment.yml into '{lockFile}' ({packageCount} packages for this variant and platform). Commit it.");

    public static Diagnostic Relocked(string lockFile, string variant, string platform) => new(
        RelockedCode, DiagnosticSeverity.Info,
        $"environment.yml changed since variant '{variant}' on {platform} was locked: TorchEnv relocked '{lockFile}'. Review and commit the change.");

    public static Diagnostic DesignTimeWithoutLock(string lockFile) => new(
        DesignTimeWithoutLockCode, DiagnosticSeverity.Info,
        $"Design-time build: '{lockFile}' does not exist yet and design-time builds never lock (no network); the locked packages appear after the first `dotnet build`.");

    public static Diagnostic AutoLockDisabled(string lockFile, string specFile) => new(
        AutoLockDisabledCode, DiagnosticSeverity.Error,
        $"'{lockFile}' is missing or stale and EnableTorchEnvAutoLock is false, so the build does not lock.",
        At(specFile),
        "run `dotnet torchenv lock`, or remove EnableTorchEnvAutoLock=false.");

    public static Diagnostic NativeCompatShimMissing(string shimFile) => new(
        NativeCompatShimMissingCode, DiagnosticSeverity.Error,
        $"The libstdc++ compatibility shim '{shimFile}' is not in this TorchEnv.Sdk package (it is built with g++ when the package is packed on Linux x64).",
        Fix: "use a TorchEnv.Sdk package packed on Linux x64, set TorchEnvNativeShimFile to a built shim, or run on a host whose libstdc++ is new enough.");

    public static Diagnostic PatchedFileNotCopied(string file, string projectFile) => new(
        PatchedFileNotCopiedCode, DiagnosticSeverity.Error,
        $"The libstdc++ compatibility step must patch '{file}', but this project does not copy that file to its output (no copy-local native asset), so the patched copy cannot take its place.",
        At(projectFile),
        "reference the package without ExcludeAssets=\"native\"/\"runtime\", or set TorchEnvNativeCompat=off and run on a host whose libstdc++ is new enough.");

    public static Diagnostic InvalidNativeCompatMode(string value, string projectFile) => new(
        InvalidNativeCompatModeCode, DiagnosticSeverity.Error,
        $"TorchEnvNativeCompat is '{value}'; it must be 'auto' or 'off'.",
        At(projectFile),
        "set TorchEnvNativeCompat to auto (patch a copy of libLibTorchSharp.so when that is the only fix needed) or off.");

    public static Diagnostic UnexpectedFailure(string task, Exception exception) => new(
        UnexpectedFailureCode, DiagnosticSeverity.Error,
        $"{task} failed unexpectedly: {exception.GetType().Name}: {exception.Message}",
        Fix: "this is a bug in TorchEnv; rerun with `-v:diag` for the stack trace and report it.");

    /// <summary>A whole-file location (line 1, column 1), for faults that are about a file rather than a line in it.</summary>
    public static SourceLocation At(string file) => new(file, 1, 1);
}
