using System.Text.Json;
using Microsoft.Build.Framework;
using TorchEnv.Sdk.Tasks.Diagnostics;
using TorchEnv.Sdk.Tasks.IO;

namespace TorchEnv.Sdk.Tasks;

/// <summary>
/// After restore: checks that NuGet restored exactly the locked versions (<c>project.assets.json</c>) and that the
/// installed packages are byte for byte the locked ones (the SHA-512 NuGet recorded against the lock's), offline.
/// Any drift is an error located at the package's line in the lock. Writes the stamp file when all is well.
/// </summary>
public sealed class VerifyLockedPackages : TaskBase
{
    /// <summary>Full path of <c>environment.lock.yml</c>.</summary>
    [Required]
    public string LockFile { get; set; } = "";

    /// <summary>The resolved variant.</summary>
    public string? Variant { get; set; }

    /// <summary>The platform whose packages were restored.</summary>
    [Required]
    public string Platform { get; set; } = "";

    /// <summary><c>$(ProjectAssetsFile)</c>.</summary>
    public string? ProjectAssetsFile { get; set; }

    /// <summary>The package folders restore used (<c>@(AssetsFilePackageFolder)</c>), global packages folder first.</summary>
    public ITaskItem[] PackageFolders { get; set; } = [];

    /// <summary>Touched when the check passes (the target's Outputs).</summary>
    [Required]
    public string StampFile { get; set; } = "";

    /// <inheritdoc />
    protected override void ExecuteCore()
    {
        if (string.IsNullOrEmpty(Variant) || !File.Exists(LockFile))
        {
            return;
        }

        var environmentLock = Core.ReadLock(LockFile);
        var entry = environmentLock.Find(Variant!, Platform);
        if (entry is null)
        {
            return;
        }

        var restored = RestoredVersions();
        foreach (var package in entry.Packages)
        {
            if (restored.TryGetValue(package.Id, out var version) && !string.Equals(version, package.Version, StringComparison.OrdinalIgnoreCase))
            {
                Diagnostics.Report(SdkDiagnostics.RestoredVersionDiffers(package.Id, version, package.Version, package.Location));
            }
        }

        var folders = PackageFolders.Select(f => f.ItemSpec).Where(f => f.Length > 0).ToList();
        foreach (var drift in Core.CheckInstalledPackages(environmentLock, entry, folders))
        {
            Diagnostics.Report(SdkDiagnostics.InstalledPackageDiffers(drift));
        }

        if (!Log.HasLoggedErrors)
        {
            GeneratedFile.WriteOrTouch(StampFile, "");
        }
    }

    /// <summary>Package id → version from the assets file's <c>libraries</c> (keys <c>Id/Version</c>); empty when there is none.</summary>
    private Dictionary<string, string> RestoredVersions()
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (string.IsNullOrEmpty(ProjectAssetsFile) || !File.Exists(ProjectAssetsFile))
        {
            return result;
        }

        using var stream = File.OpenRead(ProjectAssetsFile);
        using var document = JsonDocument.Parse(stream);
        if (document.RootElement.TryGetProperty("libraries", out var libraries))
        {
            foreach (var library in libraries.EnumerateObject())
            {
                var slash = library.Name.IndexOf('/', StringComparison.Ordinal);
                if (slash > 0 && library.Value.TryGetProperty("type", out var type) && type.GetString() == "package")
                {
                    result[library.Name[..slash]] = library.Name[(slash + 1)..];
                }
            }
        }

        return result;
    }
}
