using NuGet.Packaging;

namespace TorchEnv.Core.Packages;

/// <summary>The files NuGet extracts from a .nupkg into the global packages folder.</summary>
internal static class PackageContents
{
    /// <summary>
    /// Paths inside the package (unescaped, forward slashes) of the files NuGet's <c>PackageExtractor</c> writes:
    /// everything but the OPC bookkeeping (<c>.rels</c>, <c>[Content_Types].xml</c>, <c>*.psmdcp</c>) and the nuspec or
    /// nupkgs at the root (the nuspec is written under the lower-case id instead). Ordered ordinally.
    /// </summary>
    public static IReadOnlyList<string> ExtractedFiles(PackageArchiveReader reader) =>
        reader.GetFiles().Where(IsExtracted).Order(StringComparer.Ordinal).ToList();

    /// <summary>Reads the list from a .nupkg on disk (only the zip's central directory is read).</summary>
    public static IReadOnlyList<string> ExtractedFiles(string nupkgPath)
    {
        using var reader = new PackageArchiveReader(nupkgPath);
        return ExtractedFiles(reader);
    }

    private static bool IsExtracted(string path)
    {
        if (path.EndsWith('/'))
        {
            return false;
        }

        var name = Path.GetFileName(path);
        if (name is ".rels" or "[Content_Types].xml" || path.EndsWith(".psmdcp", StringComparison.Ordinal))
        {
            return false;
        }

        var atRoot = !path.Contains('/');
        return !(atRoot && (name.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".nupkg", StringComparison.OrdinalIgnoreCase)));
    }
}
