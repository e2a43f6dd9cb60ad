using System.IO.Compression;
using System.Text;
using NuGet.Frameworks;
using NuGet.Packaging;
using NuGet.Packaging.Core;
using NuGet.Versioning;

namespace TorchEnv.TestSupport;

/// <summary>
/// A local folder NuGet feed of tiny packages with nuspecs written by NuGet's own <see cref="Manifest"/> (byte-for-byte
/// deterministic, so a package built twice, in any run, has the same bytes and content hash). The folder is a flat feed: <c>&lt;id&gt;.&lt;version&gt;.nupkg</c> files,
/// which NuGet reads like any local source (channel value = the folder path).
/// </summary>
public sealed class LocalFeed
{
    /// <summary>Uses (and creates) <paramref name="folder"/>.</summary>
    public LocalFeed(string folder)
    {
        Folder = Path.GetFullPath(folder);
        Directory.CreateDirectory(Folder);
    }

    /// <summary>Full path of the feed folder.</summary>
    public string Folder { get; }

    /// <summary>Builds a package into the feed and returns the .nupkg path.</summary>
    /// <param name="id">Package id.</param>
    /// <param name="version">Version.</param>
    /// <param name="configure">Adds dependencies and files; a package without files gets <c>lib/netstandard2.0/_._</c>.</param>
    public string Add(string id, string version, Action<TestPackage>? configure = null)
    {
        var package = new TestPackage(id, NuGetVersion.Parse(version));
        configure?.Invoke(package);
        var path = Path.Combine(Folder, $"{id}.{package.Version.ToNormalizedString()}.nupkg");
        using var stream = File.Create(path);
        package.Save(stream);
        return path;
    }
}

/// <summary>The contents of one test package: dependency groups and files.</summary>
public sealed class TestPackage
{
    private readonly Dictionary<NuGetFramework, List<PackageDependency>> _groups = [];
    private readonly SortedDictionary<string, byte[]> _files = new(StringComparer.Ordinal);

    internal TestPackage(string id, NuGetVersion version)
    {
        Id = id;
        Version = version;
    }

    /// <summary>Package id.</summary>
    public string Id { get; }

    /// <summary>Version.</summary>
    public NuGetVersion Version { get; }

    /// <summary>Declares a dependency (NuGet range syntax, e.g. <c>1.0.0</c> = "1.0.0 or higher", <c>[1.0.0]</c> exact).</summary>
    public TestPackage DependsOn(string id, string range, string framework = "netstandard2.0")
    {
        Group(framework).Add(new PackageDependency(id, VersionRange.Parse(range)));
        return this;
    }

    /// <summary>Declares an (empty) dependency group for a framework.</summary>
    public TestPackage Group(string framework, params (string Id, string Range)[] dependencies)
    {
        var group = Group(framework);
        group.AddRange(dependencies.Select(d => new PackageDependency(d.Id, VersionRange.Parse(d.Range))));
        return this;
    }

    /// <summary>Adds a file at <paramref name="path"/> inside the package.</summary>
    public TestPackage File(string path, byte[] content)
    {
        _files[path] = content;
        return this;
    }

    /// <summary>Adds a UTF-8 text file.</summary>
    public TestPackage File(string path, string text) => File(path, Encoding.UTF8.GetBytes(text));

    /// <summary>
    /// Writes the .nupkg: the nuspec (NuGet's own <see cref="Manifest"/> writer), the files and <c>[Content_Types].xml</c>,
    /// stored uncompressed with fixed timestamps in a fixed order, so the bytes — and NuGet's content hash — are the same
    /// in every run (NuGet's PackageBuilder ignores its "deterministic" flag, NuGet/Home#8601).
    /// </summary>
    internal void Save(Stream stream)
    {
        var metadata = new ManifestMetadata
        {
            Id = Id,
            Version = Version,
            Authors = ["TorchEnv tests"],
            Description = $"Test package {Id}.",
            DependencyGroups = _groups
                .OrderBy(g => g.Key.GetShortFolderName(), StringComparer.Ordinal)
                .Select(g => new PackageDependencyGroup(g.Key, g.Value))
                .ToList(),
        };
        using var nuspec = new MemoryStream();
        new Manifest(metadata).Save(nuspec);

        if (_files.Count == 0)
        {
            _files["lib/netstandard2.0/_._"] = [];
        }

        var extensions = _files.Keys.Select(f => System.IO.Path.GetExtension(f).TrimStart('.'))
            .Where(e => e.Length > 0).Append("nuspec").Append("rels").Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal);
        var contentTypes = "<?xml version=\"1.0\" encoding=\"utf-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
            + string.Concat(extensions.Select(e => $"<Default Extension=\"{e}\" ContentType=\"application/octet\" />"))
            + "</Types>";

        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        Entry(zip, Id + ".nuspec", nuspec.ToArray());
        foreach (var (path, content) in _files)
        {
            Entry(zip, path, content);
        }

        Entry(zip, "[Content_Types].xml", Encoding.UTF8.GetBytes(contentTypes));
    }

    private static readonly DateTimeOffset FixedTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static void Entry(ZipArchive zip, string path, byte[] content)
    {
        var entry = zip.CreateEntry(path, CompressionLevel.NoCompression);
        entry.LastWriteTime = FixedTime;
        using var output = entry.Open();
        output.Write(content);
    }

    private List<PackageDependency> Group(string framework)
    {
        var key = NuGetFramework.Parse(framework);
        if (!_groups.TryGetValue(key, out var group))
        {
            _groups[key] = group = [];
        }

        return group;
    }
}
