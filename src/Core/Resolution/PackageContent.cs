using NuGet.Packaging;
using TorchEnv.Core.Packages;

namespace TorchEnv.Core.Resolution;

/// <summary>
/// Where a package's files can be read during one lock: extracted in the global packages folder (the host's packages),
/// or still inside a downloaded .nupkg in a temporary folder (every other platform's), read entry by entry.
/// </summary>
internal abstract class PackageContent
{
    /// <summary>Paths inside the package of the files NuGet would extract (forward slashes, ordinal order).</summary>
    public abstract IReadOnlyList<string> Files { get; }

    /// <summary>True when <paramref name="path"/> can be read (an extracted file may have been removed since, e.g. a restitched fragment).</summary>
    public abstract bool Exists(string path);

    /// <summary>The file's size in bytes.</summary>
    public abstract long Length(string path);

    /// <summary>Opens the file for reading forward (the caller disposes the stream).</summary>
    public abstract Stream Open(string path);

    /// <summary>Where the file is, for messages.</summary>
    public abstract string Describe(string path);
}

/// <summary>A package NuGet extracted into the global packages folder.</summary>
internal sealed class InstalledContent(InstalledPackage installed) : PackageContent
{
    private IReadOnlyList<string>? _files;

    public InstalledPackage Installed { get; } = installed;

    public override IReadOnlyList<string> Files => _files ??= File.Exists(Installed.NupkgPath)
        ? PackageContents.ExtractedFiles(Installed.NupkgPath)
        : Directory.EnumerateFiles(Installed.Directory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Installed.Directory, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith('.') && !f.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase) && !f.EndsWith(".sha512", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>Full path of a file of the package.</summary>
    public string FullPath(string path) => Path.Combine(Installed.Directory, path);

    public override bool Exists(string path) => File.Exists(FullPath(path));

    public override long Length(string path) => new FileInfo(FullPath(path)).Length;

    public override Stream Open(string path) => File.OpenRead(FullPath(path));

    public override string Describe(string path) => FullPath(path);
}

/// <summary>A downloaded .nupkg read in place: each file is a zip entry, decompressed while it is read.</summary>
internal sealed class ArchiveContent : PackageContent
{
    private readonly Dictionary<string, long> _lengths;

    public ArchiveContent(string nupkgPath)
    {
        NupkgPath = nupkgPath;
        using var reader = new PackageArchiveReader(nupkgPath);
        Files = PackageContents.ExtractedFiles(reader);
        _lengths = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var path in Files)
        {
            _lengths[path] = reader.GetEntry(path).Length;
        }
    }

    public string NupkgPath { get; }

    public override IReadOnlyList<string> Files { get; }

    public override bool Exists(string path) => _lengths.ContainsKey(path);

    public override long Length(string path) => _lengths[path];

    // A reader of its own per stream: a zip archive is not safe for two streams at once.
    public override Stream Open(string path)
    {
        var reader = new PackageArchiveReader(NupkgPath);
        try
        {
            return new OwningStream(reader.GetEntry(path).Open(), reader);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    public override string Describe(string path) => $"{NupkgPath}!{path}";

    /// <summary>An entry's stream that disposes its archive with it.</summary>
    private sealed class OwningStream(Stream inner, IDisposable owner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override int Read(Span<byte> buffer) => inner.Read(buffer);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                owner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
