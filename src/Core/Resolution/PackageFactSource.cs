using System.Collections.Concurrent;
using NuGet.Configuration;
using NuGet.Packaging.Core;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Packages;

namespace TorchEnv.Core.Resolution;

/// <summary>
/// The facts of every package of one lock, each read at most once: from the fact cache when its entry still matches
/// (the installed package's content hash, or the source's fingerprint of the .nupkg), else from the package itself —
/// installed into the global packages folder when an entry this machine restores needs it, otherwise downloaded into a
/// temporary folder and deleted after reading. Pieces of split CUDA files stay until the lock is done (their file is
/// read across packages); dispose to delete them.
/// </summary>
internal sealed class PackageFactSource(
    PackageFeed feed,
    PackageInstaller installer,
    TemporaryPackageDownloader downloader,
    PackageFactCache? cache,
    IReadOnlySet<PackageIdentity> install,
    LockStatistics? statistics) : ISplitNeedsSource, IDisposable
{
    private readonly ConcurrentDictionary<PackageIdentity, Lazy<Task<PackageFacts>>> _facts = new(PackageIdentity.Comparer);
    private readonly ConcurrentDictionary<PackageIdentity, Lazy<Task<TemporaryPackage>>> _temporary = new(PackageIdentity.Comparer);
    private readonly ConcurrentDictionary<string, Lazy<Task<IReadOnlyList<SplitNeed>>>> _split = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The package's facts. <paramref name="lockedHash"/> is the hash the previous lock recorded for this very id, version
    /// and source: a cache entry with that hash is the package the lock already vouches for, used without asking the
    /// source (so relocking needs no network for what did not change, as it did when every package was installed).
    /// </summary>
    public Task<PackageFacts> FactsAsync(PackageIdentity identity, PackageSource source, string? lockedHash, CancellationToken cancellationToken) =>
        _facts.GetOrAdd(identity, key => new Lazy<Task<PackageFacts>>(() => LoadFactsAsync(key, source, lockedHash, cancellationToken))).Value;

    /// <summary>
    /// The host needs of a split file (the first piece <paramref name="path"/> in <paramref name="primary"/>, whose whole
    /// content has SHA-256 <paramref name="sha256"/>), its pieces read from <paramref name="fragments"/> in order.
    /// </summary>
    public async Task<IReadOnlyList<NativeNeed>> SplitNeedsAsync(
        (PackageIdentity Identity, PackageSource Source) primary,
        string path,
        string sha256,
        IReadOnlyList<(PackageIdentity Identity, PackageSource Source)> fragments,
        CancellationToken cancellationToken)
    {
        var needs = cache?.FindSplit(sha256);
        if (needs is not null)
        {
            statistics?.CountFromCache();
        }
        else
        {
            needs = await _split.GetOrAdd(sha256, _ => new Lazy<Task<IReadOnlyList<SplitNeed>>>(() => ReadSplitAsync(primary, path, sha256, fragments, cancellationToken))).Value
                .ConfigureAwait(false);
        }

        return needs.Select(n => new NativeNeed(n.Version, n.Library, primary.Identity.Id, path)).ToList();
    }

    public void Dispose()
    {
        foreach (var temporary in _temporary.Values)
        {
            if (temporary.IsValueCreated && temporary.Value.IsCompletedSuccessfully)
            {
                temporary.Value.Result.Dispose();
            }
        }

        _temporary.Clear();
    }

    private async Task<PackageFacts> LoadFactsAsync(PackageIdentity identity, PackageSource source, string? lockedHash, CancellationToken cancellationToken)
    {
        var id = identity.Id;
        var version = identity.Version.ToNormalizedString();
        var entry = cache?.Find(id, version, source.Source);
        var present = install.Contains(identity)
            ? await installer.EnsureInstalledAsync(identity, source, cancellationToken).ConfigureAwait(false)
            : feed.Folder.Find(identity.Id, identity.Version);
        if (present is not null)
        {
            // Checked against the package itself: the same content hash means the same content.
            if (entry is not null && entry.Facts.ContentHash == present.ContentHash)
            {
                statistics?.CountFromCache();
                return entry.Facts;
            }

            var facts = await Task.Run(() => PackageFactReader.Read(id, present.ContentHash, new InstalledContent(present), cancellationToken), cancellationToken)
                .ConfigureAwait(false);
            statistics?.CountRead();
            cache?.Put(new CachedPackageFacts(id, version, source.Source, null, facts, DateTimeOffset.UtcNow));
            return facts;
        }

        if (entry is not null && lockedHash is not null && entry.Facts.ContentHash == lockedHash)
        {
            statistics?.CountFromCache();
            return entry.Facts;
        }

        SourceProbeResult? probe = null;
        if (entry is not null)
        {
            probe = await SourceProbe.FingerprintAsync(feed, identity, source, cancellationToken).ConfigureAwait(false);
            if (probe.Fingerprint is not null && probe.Fingerprint == entry.Fingerprint)
            {
                statistics?.CountFromCache();
                return entry.Facts;
            }
        }

        var temporary = await TemporaryAsync(identity, source, probe?.Length, cancellationToken).ConfigureAwait(false);
        try
        {
            var read = await Task.Run(
                    () => (Facts: PackageFactReader.Read(id, temporary.ContentHash, new ArchiveContent(temporary.NupkgPath), cancellationToken),
                        Fingerprint: SourceProbe.FileFingerprint(temporary.NupkgPath)),
                    cancellationToken)
                .ConfigureAwait(false);
            statistics?.CountRead();
            cache?.Put(new CachedPackageFacts(id, version, source.Source, read.Fingerprint, read.Facts, DateTimeOffset.UtcNow));
            return read.Facts;
        }
        finally
        {
            if (!PackageFactReader.IsSplitPart(id) && _temporary.TryRemove(identity, out _))
            {
                temporary.Dispose();
            }
        }
    }

    /// <summary>The content of a package for reading a split file: installed, or a temporary download kept until the lock is done.</summary>
    private async Task<PackageContent> ContentAsync((PackageIdentity Identity, PackageSource Source) package, CancellationToken cancellationToken)
    {
        if (feed.Folder.Find(package.Identity.Id, package.Identity.Version) is { } present)
        {
            return new InstalledContent(present);
        }

        var temporary = await TemporaryAsync(package.Identity, package.Source, null, cancellationToken).ConfigureAwait(false);
        return new ArchiveContent(temporary.NupkgPath);
    }

    private async Task<TemporaryPackage> TemporaryAsync(PackageIdentity identity, PackageSource source, long? length, CancellationToken cancellationToken)
    {
        var task = _temporary.GetOrAdd(identity, key => new Lazy<Task<TemporaryPackage>>(async () =>
        {
            var size = length ?? await SourceProbe.SizeAsync(feed, key, source, cancellationToken).ConfigureAwait(false);
            var downloaded = await downloader.DownloadAsync(key, source, size, cancellationToken).ConfigureAwait(false);
            statistics?.CountTemporary(new FileInfo(downloaded.NupkgPath).Length);
            return downloaded;
        })).Value;
        try
        {
            return await task.ConfigureAwait(false);
        }
        catch
        {
            _temporary.TryRemove(identity, out _);
            throw;
        }
    }

    private async Task<IReadOnlyList<SplitNeed>> ReadSplitAsync(
        (PackageIdentity Identity, PackageSource Source) primary,
        string path,
        string sha256,
        IReadOnlyList<(PackageIdentity Identity, PackageSource Source)> fragments,
        CancellationToken cancellationToken)
    {
        var first = await ContentAsync(primary, cancellationToken).ConfigureAwait(false);
        var contents = new List<PackageContent>();
        foreach (var fragment in fragments)
        {
            contents.Add(await ContentAsync(fragment, cancellationToken).ConfigureAwait(false));
        }

        var pieces = SplitFileReader.Pieces(new SplitFile(primary.Identity.Id, path), first, contents);
        var needs = await Task.Run(() => SplitFileReader.ReadNeeds(primary.Identity.Id, path, sha256, pieces, cancellationToken), cancellationToken).ConfigureAwait(false);
        statistics?.CountRead();
        var result = needs.Select(n => new SplitNeed(n.Version, n.Library)).Distinct().ToList();
        cache?.PutSplit(sha256, result);
        return result;
    }
}
