using Microsoft.Build.Framework;
using TorchEnv.Sdk.Tasks.Diagnostics;
using TorchEnv.Sdk.Tasks.IO;
using TorchEnv.Sdk.Tasks.Native;

namespace TorchEnv.Sdk.Tasks;

/// <summary>
/// Compares this host's glibc / libstdc++ version definitions with what the locked natives need. No gap: nothing to do.
/// Only the <c>std::ios_base_library_init()</c> gap and <see cref="Mode"/> <c>auto</c>: writes a patched copy of
/// <c>libLibTorchSharp.so</c> into <see cref="OutputDirectory"/> and an items file telling the targets to copy it and the
/// shim instead of the package's file (warning TENV0430). Any other gap, or <c>off</c>: error TENV0431.
/// </summary>
public sealed class CheckNativeCompatibility : TaskBase
{
    /// <summary>Full path of <c>environment.lock.yml</c>.</summary>
    [Required]
    public string LockFile { get; set; } = "";

    /// <summary>The resolved variant.</summary>
    public string? Variant { get; set; }

    /// <summary>The platform whose packages were restored (the host's).</summary>
    [Required]
    public string Platform { get; set; } = "";

    /// <summary><c>auto</c> or <c>off</c> (<c>$(TorchEnvNativeCompat)</c>).</summary>
    public string Mode { get; set; } = "auto";

    /// <summary>The project file (location of setting errors).</summary>
    [Required]
    public string ProjectFile { get; set; } = "";

    /// <summary><c>@(RuntimeTargetsCopyLocalItems)</c>: native assets of a build without RuntimeIdentifier.</summary>
    public ITaskItem[] RuntimeTargetAssets { get; set; } = [];

    /// <summary><c>@(NativeCopyLocalItems)</c>: native assets of a RID-specific build.</summary>
    public ITaskItem[] NativeAssets { get; set; } = [];

    /// <summary>The shim library shipped in the SDK package.</summary>
    [Required]
    public string ShimFile { get; set; } = "";

    /// <summary>Where the patched copy is written (under obj/).</summary>
    [Required]
    public string OutputDirectory { get; set; } = "";

    /// <summary>The items file read by the targets (always written, empty when nothing is replaced).</summary>
    [Required]
    public string ItemsFile { get; set; } = "";

    internal const string ItemType = "_TorchEnvNativeItem";

    internal const string TargetName = "GetTorchEnvNativeItems";

    /// <inheritdoc />
    protected override void ExecuteCore()
    {
        var mode = Mode.Trim().ToLowerInvariant();
        if (mode is not ("auto" or "off"))
        {
            Diagnostics.Report(SdkDiagnostics.InvalidNativeCompatMode(Mode, ProjectFile));
            return;
        }

        var entry = string.IsNullOrEmpty(Variant) || !File.Exists(LockFile) ? null : Core.ReadLock(LockFile).Find(Variant!, Platform);
        var asset = NativeReplacementPlanner.FindLibTorchSharp(RuntimeTargetAssets, NativeAssets, Platform);
        if (entry is null)
        {
            WriteItems([]);
            return;
        }

        var gap = Core.FindHostGap(entry, asset?.Item.ItemSpec ?? "");
        if (!gap.HasGap)
        {
            WriteItems([]);
            return;
        }

        if (!gap.OnlyIosBaseLibraryInit || mode == "off")
        {
            Diagnostics.Report(SdkDiagnostics.HostAbiGap(Platform, gap.MissingVersions, gap.NeededBy,
                compatPossibleButOff: gap.OnlyIosBaseLibraryInit, entry.Location));
            return;
        }

        if (asset is null)
        {
            Diagnostics.Report(SdkDiagnostics.LibTorchSharpAssetMissing(Platform, ProjectFile));
            WriteItems([]);
            return;
        }

        if (!File.Exists(ShimFile))
        {
            Diagnostics.Report(SdkDiagnostics.NativeCompatShimMissing(ShimFile));
            return;
        }

        var patched = Path.Combine(OutputDirectory, Platform, NativeReplacementPlanner.LibTorchSharpFileName);
        Directory.CreateDirectory(Path.GetDirectoryName(patched)!);
        Core.PatchLibTorchSharp(asset.Item.ItemSpec, patched, Path.GetFileName(ShimFile));
        WriteItems([NativeReplacementPlanner.Replacement(asset, patched), NativeReplacementPlanner.Shim(asset, ShimFile)]);
        Diagnostics.Report(SdkDiagnostics.NativeCompatApplied(NativeReplacementPlanner.LibTorchSharpFileName,
            string.Join(", ", gap.MissingVersions), asset.RelativePath));
    }

    private void WriteItems(IReadOnlyList<GeneratedItem> items) =>
        GeneratedFile.WriteOrTouch(ItemsFile, MSBuildItemsFile.Render(ItemType, TargetName, items));
}
