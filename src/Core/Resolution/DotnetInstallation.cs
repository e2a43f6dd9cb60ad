using NuGet.Frameworks;
using NuGet.Versioning;

namespace TorchEnv.Core.Resolution;

/// <summary>
/// The .NET installation TorchEnv runs on: its installed SDKs (the <c>sdk/</c> folder, as <c>dotnet --list-sdks</c> shows
/// them) and the package-pruning data of its targeting packs.
/// </summary>
public sealed class DotnetInstallation
{
    /// <summary>Wraps the installation rooted at <paramref name="root"/> (the folder holding <c>dotnet</c>, <c>sdk/</c>, <c>packs/</c>).</summary>
    public DotnetInstallation(string root) => Root = Path.GetFullPath(root);

    /// <summary>Full path of the installation.</summary>
    public string Root { get; }

    /// <summary>
    /// The installation of the running runtime: <c>shared/Microsoft.NETCore.App/&lt;version&gt;/</c> is three folders
    /// below the root, which holds whether we run as a tool, in a test host or inside <c>dotnet build</c>.
    /// </summary>
    public static DotnetInstallation Current()
    {
        var runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var root = Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", ".."));
        return new DotnetInstallation(root);
    }

    /// <summary>Installed SDK versions, ascending (folders of <c>sdk/</c> named by a version and holding <c>dotnet.dll</c>).</summary>
    public IReadOnlyList<NuGetVersion> ListSdks()
    {
        var sdkFolder = Path.Combine(Root, "sdk");
        if (!Directory.Exists(sdkFolder))
        {
            return [];
        }

        return Directory.EnumerateDirectories(sdkFolder)
            .Where(d => File.Exists(Path.Combine(d, "dotnet.dll")))
            .Select(d => NuGetVersion.TryParse(Path.GetFileName(d), out var v) ? v : null)
            .OfType<NuGetVersion>()
            .Order()
            .ToList();
    }

    /// <summary>
    /// The version of the .NET runtime an installed SDK bundles and publishes self-contained apps with
    /// (<c>BundledNETCoreAppPackageVersion</c> in the SDK's <c>Microsoft.NETCoreSdk.BundledVersions.props</c>), e.g.
    /// <c>10.0.12</c> for SDK 10.0.401; null when that SDK is not installed here or the file does not say.
    /// </summary>
    public string? BundledRuntimeVersion(string sdkVersion)
    {
        var props = Path.Combine(Root, "sdk", sdkVersion, "Microsoft.NETCoreSdk.BundledVersions.props");
        if (!File.Exists(props))
        {
            return null;
        }

        var value = System.Xml.Linq.XDocument.Load(props).Descendants()
            .FirstOrDefault(e => e.Name.LocalName == "BundledNETCoreAppPackageVersion")?.Value.Trim();
        return NuGetVersion.TryParse(value, out _) ? value : null;
    }

    /// <summary>
    /// The packages restore prunes for <paramref name="framework"/> (id → highest version the framework provides), read
    /// from the <c>PackageOverrides.txt</c> of the newest installed <c>Microsoft.NETCore.App.Ref</c> pack of that
    /// framework version. Empty where restore does not prune by default (anything before net10.0) or no pack is installed.
    /// </summary>
    public IReadOnlyDictionary<string, NuGetVersion> FrameworkProvidedPackages(NuGetFramework framework)
    {
        var provided = new Dictionary<string, NuGetVersion>(StringComparer.OrdinalIgnoreCase);
        if (framework.Framework != FrameworkConstants.FrameworkIdentifiers.NetCoreApp || framework.Version.Major < 10)
        {
            return provided;
        }

        var packs = Path.Combine(Root, "packs", "Microsoft.NETCore.App.Ref");
        if (!Directory.Exists(packs))
        {
            return provided;
        }

        var pack = Directory.EnumerateDirectories(packs)
            .Select(d => (Path: d, Version: NuGetVersion.TryParse(Path.GetFileName(d), out var v) ? v : null))
            .Where(p => p.Version is not null && p.Version.Major == framework.Version.Major && p.Version.Minor == framework.Version.Minor
                && File.Exists(Path.Combine(p.Path, "data", "PackageOverrides.txt")))
            .OrderByDescending(p => p.Version)
            .FirstOrDefault();
        if (pack.Path is null)
        {
            return provided;
        }

        foreach (var line in File.ReadLines(Path.Combine(pack.Path, "data", "PackageOverrides.txt")))
        {
            var parts = line.Split('|');
            if (parts.Length == 2 && NuGetVersion.TryParse(parts[1].Trim(), out var version))
            {
                provided[parts[0].Trim()] = version;
            }
        }

        return provided;
    }
}
