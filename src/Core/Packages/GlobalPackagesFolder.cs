using NuGet.Packaging;
using NuGet.Packaging.Core;
using NuGet.Versioning;

namespace TorchEnv.Core.Packages;

/// <summary>
/// Read access to NuGet's global packages folder (<c>~/.nuget/packages</c>) in its own layout:
/// <c>&lt;id-lower&gt;/&lt;version-lower&gt;/</c> holding the extracted files, the <c>.nupkg</c>, the nuspec and
/// <c>.nupkg.metadata</c> (<c>contentHash</c>, <c>source</c>), which NuGet writes last and which marks a complete install.
/// </summary>
public sealed class GlobalPackagesFolder
{
    private readonly VersionFolderPathResolver _paths;

    /// <summary>Wraps the folder at <paramref name="root"/>.</summary>
    public GlobalPackagesFolder(string root)
    {
        Root = Path.GetFullPath(root);
        _paths = new VersionFolderPathResolver(Root);
    }

    /// <summary>Full path of the folder.</summary>
    public string Root { get; }

    /// <summary>Folder a package version is (or would be) extracted into.</summary>
    public string PackageDirectory(string id, NuGetVersion version) => _paths.GetInstallPath(id, version);

    /// <summary>Path of the package's <c>.nupkg</c> inside its folder.</summary>
    public string NupkgPath(string id, NuGetVersion version) => _paths.GetPackageFilePath(id, version);

    /// <summary>Path of the package's nuspec (lower-case id) inside its folder.</summary>
    public string NuspecPath(string id, NuGetVersion version) => _paths.GetManifestFilePath(id, version);

    /// <summary>The installed package with a version written as text (as in a lock), or null when not installed or not a version.</summary>
    public InstalledPackage? Find(string id, string version) =>
        NuGetVersion.TryParse(version, out var parsed) ? Find(id, parsed) : null;

    /// <summary>
    /// What NuGet recorded for an installed package, or null when it is not (completely) installed.
    /// Reads <c>.nupkg.metadata</c>, or the older <c>.nupkg.sha512</c> the way restore falls back to it.
    /// </summary>
    public InstalledPackage? Find(string id, NuGetVersion version)
    {
        var directory = PackageDirectory(id, version);
        var metadataPath = _paths.GetNupkgMetadataPath(id, version);
        string? contentHash;
        string? source = null;
        if (File.Exists(metadataPath))
        {
            var metadata = NupkgMetadataFileFormat.Read(metadataPath);
            contentHash = metadata.ContentHash;
            source = metadata.Source;
        }
        else
        {
            var hashPath = _paths.GetHashPath(id, version);
            if (!File.Exists(hashPath))
            {
                return null;
            }

            contentHash = File.ReadAllText(hashPath).Trim();
        }

        if (string.IsNullOrEmpty(contentHash))
        {
            return null;
        }

        return new InstalledPackage(
            new PackageIdentity(id, version), directory, NupkgPath(id, version), NuspecPath(id, version), contentHash, source);
    }
}

/// <summary>A package NuGet has installed into the global packages folder.</summary>
/// <param name="Identity">Id and version.</param>
/// <param name="Directory">The package's folder.</param>
/// <param name="NupkgPath">Its <c>.nupkg</c>.</param>
/// <param name="NuspecPath">Its extracted nuspec.</param>
/// <param name="ContentHash">NuGet's <c>contentHash</c> (SHA-512, base64).</param>
/// <param name="Source">The source NuGet recorded it came from, when known.</param>
public sealed record InstalledPackage(
    PackageIdentity Identity, string Directory, string NupkgPath, string NuspecPath, string ContentHash, string? Source);
