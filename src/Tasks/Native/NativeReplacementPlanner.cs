using Microsoft.Build.Framework;
using TorchEnv.Core.Native;
using TorchEnv.Sdk.Tasks.IO;

namespace TorchEnv.Sdk.Tasks.Native;

/// <summary>A package's native file as the .NET SDK resolved it for copying.</summary>
/// <param name="Item">The copy-local item (its spec is the file in the NuGet cache).</param>
/// <param name="ItemGroup"><c>RuntimeTargetsCopyLocalItems</c> (build without RuntimeIdentifier) or <c>NativeCopyLocalItems</c> (RID-specific build).</param>
/// <param name="RelativePath">Where the build copies it, relative to the output folder, with forward slashes.</param>
internal sealed record NativeAsset(ITaskItem Item, string ItemGroup, string RelativePath)
{
    /// <summary>The file as Core's native checks see it: package, path inside the package, file on disk.</summary>
    public NativeFile ToNativeFile()
    {
        var pathInPackage = Item.GetMetadata("PathInPackage");
        return new NativeFile(Item.GetMetadata("NuGetPackageId"), string.IsNullOrEmpty(pathInPackage) ? RelativePath : pathInPackage.Replace('\\', '/'), Item.ItemSpec);
    }
}

/// <summary>
/// Which copy-local items are the platform's native files, and the items that stand in for a patched one: the patched
/// copy (same file name and metadata, so deps.json and the copy go exactly where the package's file would) and the shim
/// beside it.
/// </summary>
internal static class NativeReplacementPlanner
{
    /// <summary>The native files the build copies for <paramref name="platform"/>.</summary>
    public static IReadOnlyList<NativeAsset> AssetsFor(IEnumerable<ITaskItem> runtimeTargets, IEnumerable<ITaskItem> natives, string platform) =>
        runtimeTargets
            .Where(i => string.Equals(i.GetMetadata("RuntimeIdentifier"), platform, StringComparison.OrdinalIgnoreCase) && !IsManaged(i))
            .Select(i => new NativeAsset(i, "RuntimeTargetsCopyLocalItems", RelativePathOf(i)))
            .Concat(natives.Select(i => new NativeAsset(i, "NativeCopyLocalItems", RelativePathOf(i))))
            .ToList();

    /// <summary>RID-specific managed assemblies (<c>AssetType</c> runtime) are runtime targets too; they are not ELF files.</summary>
    private static bool IsManaged(ITaskItem item) => string.Equals(item.GetMetadata("AssetType"), "runtime", StringComparison.OrdinalIgnoreCase);

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

    /// <summary>The shim library, copied into the folder of the patched library (its RUNPATH, $ORIGIN, finds it there).</summary>
    public static GeneratedItem Shim(NativeAsset asset, string shimFile) => CopyInto(shimFile, DirectoryOf(asset.RelativePath));

    /// <summary>
    /// A file the build copies into <paramref name="directory"/> of the output (relative, with a trailing '/'): the shim
    /// beside a patched library, or both in TorchSharp's fallback folder.
    /// </summary>
    public static GeneratedItem CopyInto(string file, string directory) => new(file,
    [
        new("TorchEnvItemKind", "ExtraCopy"),
        new("DestinationSubDirectory", directory),
        new("TorchEnvRelativePath", directory + Path.GetFileName(file)),
        new("CopyLocal", "true"),
        new("AssetType", "native"),
    ]);

    /// <summary>The folder part of a relative output path, with a trailing slash (empty for the output root).</summary>
    public static string DirectoryOf(string relativePath)
    {
        var slash = relativePath.LastIndexOf('/');
        return slash < 0 ? "" : relativePath[..(slash + 1)];
    }

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
