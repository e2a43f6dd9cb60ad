using System.Collections.Concurrent;
using NuGet.Common;
using NuGet.Configuration;
using NuGet.Packaging;
using NuGet.Packaging.Core;
using NuGet.Protocol;
using NuGet.Protocol.Core.Types;
using NuGet.Versioning;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Packages;

namespace TorchEnv.Core.Resolution;

/// <summary>What the resolver needs to know about packages; the real one is <see cref="PackageFeed"/>.</summary>
internal interface IPackageMetadataProvider
{
    /// <summary>Every version of <paramref name="id"/> on any source, ascending; empty when none has it.</summary>
    Task<IReadOnlyList<NuGetVersion>> GetVersionsAsync(string id, CancellationToken cancellationToken);

    /// <summary>The package's nuspec data, or null when no source has this version.</summary>
    Task<PackageMetadata?> GetMetadataAsync(PackageIdentity identity, CancellationToken cancellationToken);

    /// <summary>True when the package is complete in the global packages folder (so it exists without asking a source).</summary>
    bool IsInstalled(PackageIdentity identity);
}

/// <summary>
/// The spec's NuGet sources seen through NuGet's own <see cref="FindPackageByIdResource"/> (flat container, local folders),
/// with the global packages folder consulted first so that a warm machine needs no network for packages it already has.
/// Answers are cached for the life of the feed.
/// </summary>
internal sealed class PackageFeed : IPackageMetadataProvider, IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<FindPackageByIdResource>>> _resources = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<IReadOnlyList<NuGetVersion>>>> _versions = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<PackageIdentity, Lazy<Task<PackageMetadata?>>> _metadata = new(PackageIdentity.Comparer);
    private readonly ConcurrentDictionary<PackageIdentity, Lazy<Task<PackageSource?>>> _sourceOf = new(PackageIdentity.Comparer);
    private readonly ConcurrentDictionary<(string Source, string Id), Lazy<Task<IReadOnlyList<NuGetVersion>>>> _versionsOnSource = new();

    public PackageFeed(PackageSourceSet sources, ILogger logger)
    {
        Sources = sources;
        Folder = new GlobalPackagesFolder(sources.GlobalPackagesFolder);
        Logger = logger;
        Cache = new SourceCacheContext();
    }

    public PackageSourceSet Sources { get; }

    public GlobalPackagesFolder Folder { get; }

    public ILogger Logger { get; }

    public SourceCacheContext Cache { get; }

    public bool IsInstalled(PackageIdentity identity) => Folder.Find(identity.Id, identity.Version) is not null;

    public Task<IReadOnlyList<NuGetVersion>> GetVersionsAsync(string id, CancellationToken cancellationToken) =>
        _versions.GetOrAdd(id, key => new Lazy<Task<IReadOnlyList<NuGetVersion>>>(() => LoadAllVersionsAsync(key, cancellationToken))).Value;

    public Task<PackageMetadata?> GetMetadataAsync(PackageIdentity identity, CancellationToken cancellationToken) =>
        _metadata.GetOrAdd(identity, key => new Lazy<Task<PackageMetadata?>>(() => LoadMetadataAsync(key, cancellationToken))).Value;

    /// <summary>
    /// The first source (in priority order) that has the version, as restore picks it; null when none has it.
    /// The source NuGet recorded for an installed copy is trusted without asking when it is the first source.
    /// </summary>
    public Task<PackageSource?> FindSourceAsync(PackageIdentity identity, CancellationToken cancellationToken) =>
        _sourceOf.GetOrAdd(identity, key => new Lazy<Task<PackageSource?>>(() => LoadSourceAsync(key, cancellationToken))).Value;

    /// <summary>NuGet's resource for one source (created once).</summary>
    public Task<FindPackageByIdResource> GetResourceAsync(PackageSource source, CancellationToken cancellationToken) =>
        _resources.GetOrAdd(source.Source, _ => new Lazy<Task<FindPackageByIdResource>>(async () =>
        {
            var repository = Repository.Factory.GetCoreV3(source);
            try
            {
                return await repository.GetResourceAsync<FindPackageByIdResource>(cancellationToken).ConfigureAwait(false)
                    ?? throw new TorchEnvException(ResolutionMessages.SourceFailed(
                        Sources.Describe(source), new InvalidOperationException("it offers neither a flat container (PackageBaseAddress/3.0.0) nor a local folder layout")));
            }
            catch (Exception ex) when (ex is FatalProtocolException or HttpRequestException or IOException)
            {
                throw new TorchEnvException(ResolutionMessages.SourceFailed(Sources.Describe(source), ex), ex);
            }
        })).Value;

    public void Dispose() => Cache.Dispose();

    private async Task<IReadOnlyList<NuGetVersion>> LoadAllVersionsAsync(string id, CancellationToken cancellationToken)
    {
        var all = new SortedSet<NuGetVersion>();
        foreach (var source in Sources.Sources)
        {
            all.UnionWith(await VersionsOnSourceAsync(source, id, cancellationToken).ConfigureAwait(false));
        }

        return all.ToList();
    }

    private Task<IReadOnlyList<NuGetVersion>> VersionsOnSourceAsync(PackageSource source, string id, CancellationToken cancellationToken) =>
        _versionsOnSource.GetOrAdd((source.Source, id.ToLowerInvariant()), _ => new Lazy<Task<IReadOnlyList<NuGetVersion>>>(async () =>
        {
            var resource = await GetResourceAsync(source, cancellationToken).ConfigureAwait(false);
            try
            {
                var versions = await resource.GetAllVersionsAsync(id, Cache, Logger, cancellationToken).ConfigureAwait(false);
                return versions.ToList();
            }
            catch (Exception ex) when (ex is FatalProtocolException or HttpRequestException or IOException)
            {
                throw new TorchEnvException(ResolutionMessages.SourceFailed(Sources.Describe(source), ex), ex);
            }
        })).Value;

    private async Task<PackageSource?> LoadSourceAsync(PackageIdentity identity, CancellationToken cancellationToken)
    {
        var installedFrom = Sources.FindByLocation(Folder.Find(identity.Id, identity.Version)?.Source);
        foreach (var source in Sources.Sources)
        {
            if (ReferenceEquals(source, installedFrom))
            {
                return source;
            }

            var versions = await VersionsOnSourceAsync(source, identity.Id, cancellationToken).ConfigureAwait(false);
            if (versions.Contains(identity.Version))
            {
                return source;
            }
        }

        return null;
    }

    private async Task<PackageMetadata?> LoadMetadataAsync(PackageIdentity identity, CancellationToken cancellationToken)
    {
        var installed = Folder.Find(identity.Id, identity.Version);
        if (installed is not null && File.Exists(installed.NuspecPath))
        {
            return PackageMetadata.ReadNuspec(installed.NuspecPath);
        }

        var source = await FindSourceAsync(identity, cancellationToken).ConfigureAwait(false);
        if (source is null)
        {
            return null;
        }

        var resource = await GetResourceAsync(source, cancellationToken).ConfigureAwait(false);
        try
        {
            var info = await resource.GetDependencyInfoAsync(identity.Id, identity.Version, Cache, Logger, cancellationToken)
                .ConfigureAwait(false);
            return info is null ? null : new PackageMetadata(info.PackageIdentity, info.DependencyGroups.ToList());
        }
        catch (Exception ex) when (ex is FatalProtocolException or HttpRequestException or IOException)
        {
            throw new TorchEnvException(ResolutionMessages.SourceFailed(Sources.Describe(source), ex), ex);
        }
    }
}
