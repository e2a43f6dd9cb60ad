using Microsoft.Build.Framework;
using TorchEnv.Core.Native;
using TorchEnv.Sdk.Tasks.CoreServices;
using TorchEnv.Sdk.Tasks.Diagnostics;
using TorchEnv.Sdk.Tasks.IO;
using TorchEnv.Sdk.Tasks.Native;

namespace TorchEnv.Sdk.Tasks;

/// <summary>
/// Compares this host's glibc / libstdc++ version definitions with what the platform's locked native files need.
/// Nothing missing: nothing to do. Only <c>std::ios_base_library_init()</c> missing and <see cref="Mode"/> <c>auto</c>:
/// writes patched copies into <see cref="OutputDirectory"/> and an items file telling the targets to copy them and the
/// shim instead of the package's files (with Core's warning). Anything else, or <c>off</c>: Core's errors, which name
/// the missing versions and the fixes (instead of TorchSharp's misleading message at run time).
/// </summary>
public sealed class CheckNativeCompatibility : LockEntryTask
{
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

    /// <summary>Where patched copies are written (under obj/).</summary>
    [Required]
    public string OutputDirectory { get; set; } = "";

    /// <summary>The items file read by the targets (written, possibly empty, whenever no error was found).</summary>
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

        if (!HostPlatform.IsCurrent(Platform))
        {
            // A build for another platform (-r win-x64 on Linux): this host's ABI says nothing about that one's.
            Log.LogMessage(MessageImportance.Low, $"TorchEnv: no host ABI check, the build is for {Platform} and this host is {HostPlatform.Current}.");
            WriteItems([]);
            return;
        }

        if (ReadEntry() is not { } found)
        {
            WriteItems([]);
            return;
        }

        var assets = NativeReplacementPlanner.AssetsFor(RuntimeTargetAssets, NativeAssets, Platform);
        var check = Core.CheckHost(assets.Select(a => a.ToNativeFile()).ToList(), compatibilityEnabled: mode == "auto");
        Diagnostics.Report(check.Diagnostics);
        if (Log.HasLoggedErrors)
        {
            return;
        }

        if (check.Status != NativeHostStatus.Patchable || mode == "off")
        {
            WriteItems([]);
            return;
        }

        var toPatch = new List<NativeAsset>();
        foreach (var file in check.FilesToPatch)
        {
            var asset = assets.FirstOrDefault(a => string.Equals(Path.GetFullPath(a.Item.ItemSpec), Path.GetFullPath(file), StringComparison.Ordinal));
            if (asset is null)
            {
                Diagnostics.Report(SdkDiagnostics.PatchedFileNotCopied(file, ProjectFile));
                return;
            }

            toPatch.Add(asset);
        }

        if (!File.Exists(ShimFile))
        {
            Diagnostics.Report(SdkDiagnostics.NativeCompatShimMissing(ShimFile));
            return;
        }

        var items = new List<GeneratedItem>();
        foreach (var asset in toPatch)
        {
            var patched = PatchedPath(asset);
            Directory.CreateDirectory(Path.GetDirectoryName(patched)!);
            Diagnostics.Report(Core.PatchForCompatibility(asset.Item.ItemSpec, patched, Path.GetFileName(ShimFile)));
            items.Add(NativeReplacementPlanner.Replacement(asset, patched));
        }

        // One shim per output folder that holds a patched file.
        items.AddRange(toPatch.DistinctBy(a => NativeReplacementPlanner.DirectoryOf(a.RelativePath)).Select(a => NativeReplacementPlanner.Shim(a, ShimFile)));
        if (found.Entry.Stack.Cuda is not null)
        {
            // When the regular load fails, TorchSharp copies the NuGet cache's natives into cuda-<version>/ and loads
            // from there, skipping files already present: the patched copies and the shim go there first.
            var fallback = TorchSharpFallbackFolder.For(found.Entry.Stack);
            items.AddRange(toPatch.Select(a => NativeReplacementPlanner.CopyInto(PatchedPath(a), fallback)));
            items.Add(NativeReplacementPlanner.CopyInto(ShimFile, fallback));
        }

        WriteItems(items);
    }

    private string PatchedPath(NativeAsset asset) => Path.Combine(OutputDirectory, Platform, Path.GetFileName(asset.Item.ItemSpec));

    private void WriteItems(IReadOnlyList<GeneratedItem> items) =>
        GeneratedFile.WriteOrTouch(ItemsFile, MSBuildItemsFile.Render(ItemType, TargetName, items));
}
