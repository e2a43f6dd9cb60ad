using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using TorchEnv.Core.IO;
using TorchEnv.Core.Lock;

namespace TorchEnv.Core.Resolution;

/// <summary>A package's facts as the cache keeps them, with what they were checked against.</summary>
/// <param name="Id">Package id.</param>
/// <param name="Version">Normalised version.</param>
/// <param name="Source">The source's location (URL or full folder path).</param>
/// <param name="Fingerprint">What <see cref="SourceProbe.FingerprintAsync"/> said when the package was read; null when read from an installed copy.</param>
/// <param name="Facts">The facts.</param>
/// <param name="LastUsed">When a lock last used the entry (UTC).</param>
public sealed record CachedPackageFacts(string Id, string Version, string Source, string? Fingerprint, PackageFacts Facts, DateTimeOffset LastUsed);

/// <summary>
/// The facts read from packages (content hash, files, native needs; and the needs of split CUDA files by the SHA-256 of
/// the whole file), kept per id + version + source in a small JSON file beside the registry of known locks, so a relock,
/// <c>--update</c> of one package or a new platform reads only packages it has not read before. Checked, not trusted:
/// the caller compares an entry with the installed package or with the source's fingerprint before using it. A file
/// that does not parse is rebuilt (moved aside); writes take a cross-process lock, merge with what another process
/// wrote meanwhile, and replace the file atomically.
/// </summary>
public sealed class PackageFactCache
{
    /// <summary>The environment variable naming the cache file (tests, CI); otherwise it sits beside the lock registry.</summary>
    public const string PathVariable = "TORCHENV_PACKAGE_FACTS";

    /// <summary>The cache file's name in the user's TorchEnv folder.</summary>
    public const string FileName = "package-facts.json";

    private const int FormatVersion = 1;
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly ConcurrentDictionary<string, CachedPackageFacts> _packages = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IReadOnlyList<SplitNeed>> _split = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _changed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _removed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _removedSplit = new(StringComparer.Ordinal);

    private PackageFactCache(string path) => Path = System.IO.Path.GetFullPath(path);

    /// <summary>Full path of the cache file.</summary>
    public string Path { get; }

    /// <summary>True when the file existed but could not be read (it is rebuilt on <see cref="Save"/>).</summary>
    public bool WasCorrupt { get; private set; }

    /// <summary>Every package entry.</summary>
    public IReadOnlyList<CachedPackageFacts> Packages => _packages.Values.OrderBy(p => p.Id, StringComparer.OrdinalIgnoreCase).ThenBy(p => p.Version, StringComparer.Ordinal).ToList();

    /// <summary>How many split files' needs are kept.</summary>
    public int SplitFileCount => _split.Count;

    /// <summary>
    /// <c>TORCHENV_PACKAGE_FACTS</c> when set; else, when <c>TORCHENV_LOCK_REGISTRY</c> names a registry, beside it as
    /// <c>&lt;registry name&gt;.package-facts.json</c> (so a test's isolated registry isolates the cache too); else
    /// <c>package-facts.json</c> in the user's TorchEnv folder.
    /// </summary>
    public static string DefaultPath(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        if (getVariable(PathVariable) is { Length: > 0 } named)
        {
            return named;
        }

        if (getVariable("TORCHENV_LOCK_REGISTRY") is { Length: > 0 } registry)
        {
            // Named after the registry, so registries side by side (tests, CI jobs) keep their caches apart too.
            var full = System.IO.Path.GetFullPath(registry);
            return System.IO.Path.Combine(System.IO.Path.GetDirectoryName(full)!, System.IO.Path.GetFileNameWithoutExtension(full) + "." + FileName);
        }

        return System.IO.Path.Combine(UserDataFolder.Path(), FileName);
    }

    /// <summary>Reads the cache at <paramref name="path"/>; an absent file is empty, an unreadable one empty and <see cref="WasCorrupt"/>.</summary>
    public static PackageFactCache Load(string path)
    {
        var cache = new PackageFactCache(path);
        if (File.Exists(cache.Path))
        {
            try
            {
                var document = Parse(File.ReadAllBytes(cache.Path));
                foreach (var entry in document.Packages)
                {
                    cache._packages[Key(entry.Id, entry.Version, entry.Source)] = entry;
                }

                foreach (var (sha, needs) in document.Split)
                {
                    cache._split[sha] = needs;
                }
            }
            catch (Exception e) when (e is JsonException or FormatException or IOException or UnauthorizedAccessException or NotSupportedException)
            {
                cache.WasCorrupt = true;
            }
        }

        return cache;
    }

    /// <summary>The entry for a package from a source, or null.</summary>
    public CachedPackageFacts? Find(string id, string version, string source) =>
        _packages.TryGetValue(Key(id, version, source), out var entry) ? entry : null;

    /// <summary>Adds or replaces an entry (kept in memory until <see cref="Save"/>).</summary>
    public void Put(CachedPackageFacts entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var key = Key(entry.Id, entry.Version, entry.Source);
        _packages[key] = entry;
        _changed[key] = true;
        _removed.TryRemove(key, out _);
    }

    /// <summary>Removes an entry.</summary>
    public void Remove(CachedPackageFacts entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var key = Key(entry.Id, entry.Version, entry.Source);
        _packages.TryRemove(key, out _);
        _changed.TryRemove(key, out _);
        _removed[key] = true;
    }

    /// <summary>
    /// Forgets the entries <paramref name="keep"/> rejects (id, version) and the split files no remaining entry names;
    /// returns the entries forgotten. Call <see cref="Save"/> to write the result.
    /// </summary>
    public IReadOnlyList<CachedPackageFacts> Prune(Func<string, string, bool> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        var removed = Packages.Where(p => !keep(p.Id, p.Version)).ToList();
        foreach (var entry in removed)
        {
            Remove(entry);
        }

        var named = _packages.Values.SelectMany(p => p.Facts.SplitFiles.Values).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var sha in _split.Keys.Where(k => !named.Contains(k)).ToList())
        {
            _split.TryRemove(sha, out _);
            _removedSplit[sha] = true;
        }

        return removed;
    }

    /// <summary>The host needs (version, library) of the split file whose whole content has this SHA-256, or null.</summary>
    internal IReadOnlyList<SplitNeed>? FindSplit(string sha256) => _split.TryGetValue(sha256, out var needs) ? needs : null;

    /// <summary>Keeps the needs of a split file by the SHA-256 of its whole content.</summary>
    internal void PutSplit(string sha256, IReadOnlyList<SplitNeed> needs)
    {
        _split[sha256] = needs;
        _changed["split:" + sha256] = true;
    }

    /// <summary>
    /// Writes the cache: under a cross-process lock, what is on disk now (another lock may have added entries) is merged
    /// with this instance's changes and the file replaced atomically; an unreadable file is replaced by this content.
    /// Never throws for an unwritable cache: returns the problem instead (a cache must not fail a lock).
    /// </summary>
    public string? Save()
    {
        if (_changed.IsEmpty && _removed.IsEmpty && _removedSplit.IsEmpty && !WasCorrupt)
        {
            return null;
        }

        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            using var guard = ExclusiveFileLock.Acquire(Path + ".lock", LockTimeout);
            var merged = new Dictionary<string, CachedPackageFacts>(StringComparer.Ordinal);
            var split = new Dictionary<string, IReadOnlyList<SplitNeed>>(StringComparer.Ordinal);
            if (File.Exists(Path))
            {
                try
                {
                    var onDisk = Parse(File.ReadAllBytes(Path));
                    foreach (var entry in onDisk.Packages)
                    {
                        merged[Key(entry.Id, entry.Version, entry.Source)] = entry;
                    }

                    foreach (var (sha, needs) in onDisk.Split)
                    {
                        split[sha] = needs;
                    }
                }
                catch (Exception e) when (e is JsonException or FormatException)
                {
                    // rebuilt from what this process knows
                }
            }

            foreach (var key in _removed.Keys)
            {
                merged.Remove(key);
            }

            foreach (var (key, entry) in _packages)
            {
                if (_changed.ContainsKey(key) || !merged.ContainsKey(key))
                {
                    merged[key] = entry;
                }
            }

            foreach (var (sha, needs) in _split)
            {
                split[sha] = needs;
            }

            foreach (var sha in _removedSplit.Keys)
            {
                split.Remove(sha);
            }

            var document = new CacheDocument(
                FormatVersion,
                null,
                merged.Values.OrderBy(p => p.Id, StringComparer.OrdinalIgnoreCase).ThenBy(p => p.Version, StringComparer.Ordinal).ThenBy(p => p.Source, StringComparer.Ordinal).ToList(),
                split.OrderBy(s => s.Key, StringComparer.Ordinal).ToDictionary(s => s.Key, s => s.Value));
            AtomicFile.Write(Path, JsonSerializer.SerializeToUtf8Bytes(document with { Checksum = Checksum(document) }, Json));
            _changed.Clear();
            _removed.Clear();
            _removedSplit.Clear();
            WasCorrupt = false;
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or TimeoutException)
        {
            return $"The package fact cache {Path} could not be written: {e.Message}";
        }
    }

    private static string Key(string id, string version, string source) => $"{id.ToLowerInvariant()}|{version.ToLowerInvariant()}|{source}";

    /// <summary>SHA-256 of the document's serialization without its checksum: any change to an entry (a disk error, a hand edit) is seen.</summary>
    private static string Checksum(CacheDocument document) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(document with { Checksum = null }, Json)));

    private static (IReadOnlyList<CachedPackageFacts> Packages, IReadOnlyDictionary<string, IReadOnlyList<SplitNeed>> Split) Parse(byte[] bytes)
    {
        var document = JsonSerializer.Deserialize<CacheDocument>(bytes, Json) ?? throw new FormatException("the file is empty");
        if (document.Version != FormatVersion)
        {
            throw new FormatException($"format version {document.Version} is not {FormatVersion}");
        }

        if (document.Checksum is null || document.Checksum != Checksum(document))
        {
            throw new FormatException("the checksum does not match the content");
        }

        var packages = document.Packages ?? throw new FormatException("no packages");
        foreach (var entry in packages)
        {
            if (string.IsNullOrEmpty(entry?.Id) || string.IsNullOrEmpty(entry.Version) || string.IsNullOrEmpty(entry.Source)
                || entry.Facts is null || string.IsNullOrEmpty(entry.Facts.ContentHash) || entry.Facts.Files is null
                || entry.Facts.Needs is null || entry.Facts.SplitFiles is null
                || entry.Facts.Needs.Any(n => n is null || n.Version is null || n.Library is null || n.Package is null || n.File is null))
            {
                throw new FormatException("an entry is incomplete");
            }
        }

        var split = document.Split ?? new Dictionary<string, IReadOnlyList<SplitNeed>>();
        if (split.Values.Any(v => v is null || v.Any(n => n?.Version is null || n.Library is null)))
        {
            throw new FormatException("a split-file entry is incomplete");
        }

        return (packages, split);
    }

    private sealed record CacheDocument(
        [property: JsonPropertyName("version")] int Version,
        [property: JsonPropertyName("checksum")] string? Checksum,
        [property: JsonPropertyName("packages")] IReadOnlyList<CachedPackageFacts>? Packages,
        [property: JsonPropertyName("splitFiles")] IReadOnlyDictionary<string, IReadOnlyList<SplitNeed>>? Split);
}

/// <summary>One version need of a split file (which library, which version), by the file's content.</summary>
/// <param name="Version">e.g. <c>GLIBC_2.29</c>.</param>
/// <param name="Library">e.g. <c>libc.so.6</c>.</param>
public sealed record SplitNeed(string Version, string Library);
