using Microsoft.Build.Framework;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Sdk.Tasks.Diagnostics;
using TorchEnv.Sdk.Tasks.IO;

namespace TorchEnv.Sdk.Tasks;

/// <summary>
/// After restore: checks, offline, that NuGet restored exactly the locked versions (<c>project.assets.json</c>) and that
/// the installed packages are byte for byte the locked ones (the SHA-512 NuGet recorded against the lock's). Any drift
/// is error TENV0410 located at the package's line in the lock. A package the project restored beyond the lock (a
/// user's own PackageReference, or one a referenced project brings) is warning TENV0257 under its own code, so that
/// <c>NoWarn</c> can accept it. Writes the stamp file when no error was logged.
/// </summary>
public sealed class VerifyLockedPackages : LockEntryTask
{
    /// <summary><c>$(ProjectAssetsFile)</c>.</summary>
    public string? ProjectAssetsFile { get; set; }

    /// <summary>The package folders restore used (<c>@(AssetsFilePackageFolder)</c>); the first is the global packages folder.</summary>
    public ITaskItem[] PackageFolders { get; set; } = [];

    /// <summary>Touched when the check passes (the target's Outputs).</summary>
    [Required]
    public string StampFile { get; set; } = "";

    /// <inheritdoc />
    protected override void ExecuteCore()
    {
        if (PackageFolders.Length == 0 || ReadEntry() is not { } found)
        {
            return;
        }

        var entry = found.Entry;
        var assets = string.IsNullOrEmpty(ProjectAssetsFile) || !File.Exists(ProjectAssetsFile) ? null : ProjectAssetsFile;
        foreach (var drift in Core.CheckInstalledPackages(entry, PackageFolders[0].ItemSpec, assets))
        {
            // Only a real drift fails the build; a warning (TENV0257, an unlocked extra package) stays a suppressible warning.
            Diagnostics.Report(drift.Severity == DiagnosticSeverity.Error ? SdkDiagnostics.InstalledPackageDiffers(drift) : drift);
        }

        if (!Log.HasLoggedErrors)
        {
            GeneratedFile.WriteOrTouch(StampFile, "");
        }
    }
}
