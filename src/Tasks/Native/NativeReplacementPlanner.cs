using Microsoft.Build.Framework;
using TorchEnv.Sdk.Tasks.IO;

namespace TorchEnv.Sdk.Tasks.Native;

/// <summary>The package's <c>libLibTorchSharp.so</c> as the .NET SDK resolved it for copying.</summary>
/// <param name="Item">The copy-local item (its spec is the file in the NuGet cache).</param>
/// <param name="ItemGroup"><c>RuntimeTargetsCopyLocalItems</c> (RID-less build) or <c>NativeCopyLocalItems</c> (RID-specific build).</param>
/// <param name="RelativePath">Where the build copies it, relative to the output folder, with forward slashes.</param>
internal sealed record NativeAsset(ITaskItem Item, string ItemGroup, string RelativePath);

/// <summary>
/// Finds the native asset to patch and describes the items that replace it: the patched copy (same file name, same
/// metadata, so deps.json and the copy go exactly where the package's file would) and the shim beside it.
/// </summary>
internal static class NativeReplacementPlanner
{
    /// <summary>The file TorchSharp loads on Linux.</summary>
    public const string LibTorchSharpFileName = "libLibTorchSharp.so";

    /// <summary>The copy-local item of <c>libLibTorchSharp.so</c> for <paramref name="platform"/>, or null.</summary>
    public static NativeAsset? FindLibTorchSharp(IEnumerable<ITaskItem> runtimeTargets, IEnumerable<ITaskItem> natives, string platform)
    {
        var runtimeTarget = runtimeTargets.FirstOrDefault(i =>
            IsLibTorchSharp(i) && string.Equals(i.GetMetadata("RuntimeIdentifier"), platform, StringComparison.OrdinalIgnoreCase));
        if (runtimeTarget is not null)
        {
            return new NativeAsset(runtimeTarget, "RuntimeTargetsCopyLocalItems", RelativePathOf(runtimeTarget));
        }

        var native = natives.FirstOrDefault(IsLibTorchSharp);
        return native is null ? null : new NativeAsset(native, "NativeCopyLocalItems", RelativePathOf(native));
    }

    /// <summary>The patched copy, standing in for <paramref name="asset"/> in its item group.</summary>
    public static GeneratedItem Replacement(NativeAsset asset, string patchedFile)
    {
        var metadata = TaskItems.CustomMetadata(asset.Item).Where(e => !e.Key.StartsWith("TorchEnv", StringComparison.Ordinal)).ToList();
        metadata.Insert(0, new("TorchEnvItemKind", "Replacement"));
        metadata.Add(new("TorchEnvOriginalItemSpec", asset.Item.ItemSpec));
        metadata.Add(new("TorchEnvItemGroup", asset.ItemGroup));
        metadata.Add(new("TorchEnvRelativePath", asset.RelativePath));
        return new GeneratedItem(patchedFile, metadata);
    }

    /// <summary>The shim library, copied into the folder of the patched library (build and publish).</summary>
    public static GeneratedItem Shim(NativeAsset asset, string shimFile)
    {
        var slash = asset.RelativePath.LastIndexOf('/');
        var directory = slash < 0 ? "" : asset.RelativePath[..(slash + 1)];
        return new GeneratedItem(shimFile,
        [
            new("TorchEnvItemKind", "Shim"),
            new("DestinationSubDirectory", directory),
            new("TorchEnvRelativePath", directory + Path.GetFileName(shimFile)),
            new("CopyLocal", "true"),
            new("AssetType", "native"),
        ]);
    }

    private static bool IsLibTorchSharp(ITaskItem item) =>
        string.Equals(Path.GetFileName(item.ItemSpec), LibTorchSharpFileName, StringComparison.Ordinal);

    private static string RelativePathOf(ITaskItem item)
    {
        var subPath = item.GetMetadata("DestinationSubPath");
        if (!string.IsNullOrEmpty(subPath))
        {
            return subPath.Replace('\\', '/');
        }

        var subDirectory = item.GetMetadata("DestinationSubDirectory").Replace('\\', '/');
        if (subDirectory.Length > 0 && !subDirectory.EndsWith('/'))
        {
            subDirectory += "/";
        }

        return subDirectory + Path.GetFileName(item.ItemSpec);
    }
}
