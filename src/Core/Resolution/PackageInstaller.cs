using System.Collections.Concurrent;
using NuGet.Configuration;
using NuGet.Packaging;
using NuGet.Packaging.Core;
using NuGet.Packaging.PackageExtraction;
using NuGet.Packaging.Signing;
using NuGet.Protocol;
using NuGet.Protocol.Core.Types;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Packages;

namespace TorchEnv.Core.Resolution;

/// <summary>
/// Puts packages into the global packages folder exactly as <c>dotnet restore</c> does — NuGet's
/// <see cref="PackageExtractor.InstallFromSourceAsync(PackageIdentity, IPackageDownloader, VersionFolderPathResolver, PackageExtractionContext, CancellationToken, Guid)"/>
/// with the source's <see cref="FindPackageByIdResource"/> downloader, restore's save mode (nuspec + files + nupkg),
/// XML-doc mode and signature policy — so that NuGet's <c>contentHash</c> is what it would record and a later restore
/// finds the package and downloads nothing. Downloads run concurrently up to a bound (shared with
/// <see cref="TemporaryPackageDownloader"/>) and report progress.
/// </summary>
internal sealed class PackageInstaller(PackageFeed feed, SemaphoreSlim throttle, IProgress<PackageDownloadProgress>? progress, LockStatistics? statistics = null)
{
    private readonly SemaphoreSlim _throttle = throttle;

    /// <summary>An installer with a download bound of its own.</summary>
    public PackageInstaller(PackageFeed feed, int maxConcurrentDownloads, IProgress<PackageDownloadProgress>? progress)
        : this(feed, new SemaphoreSlim(Math.Max(1, maxConcurrentDownloads)), progress)
    {
    }
    private readonly ConcurrentDictionary<PackageIdentity, Lazy<Task<InstalledPackage>>> _installs = new(PackageIdentity.Comparer);

    /// <summary>The installed package, downloading it from <paramref name="source"/> first when it is not in the folder.</summary>
    public Task<InstalledPackage> EnsureInstalledAsync(PackageIdentity identity, PackageSource source, CancellationToken cancellationToken) =>
        _installs.GetOrAdd(identity, key => new Lazy<Task<InstalledPackage>>(() => InstallAsync(key, source, cancellationToken))).Value;

    private async Task<InstalledPackage> InstallAsync(PackageIdentity identity, PackageSource source, CancellationToken cancellationToken)
    {
        if (feed.Folder.Find(identity.Id, identity.Version) is { } present)
        {
            return present;
        }

        await _throttle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var resource = await feed.GetResourceAsync(source, cancellationToken).ConfigureAwait(false);
            var total = await SourceProbe.SizeAsync(feed, identity, source, cancellationToken).ConfigureAwait(false);
            using var inner = await resource.GetPackageDownloaderAsync(identity, feed.Cache, feed.Logger, cancellationToken).ConfigureAwait(false)
                ?? throw new TorchEnvException(ResolutionMessages.DownloadFailed(identity, feed.Sources.Describe(source), "the source does not have it"));
            using var downloader = new ProgressReportingDownloader(inner, identity, total, progress);
            var context = new PackageExtractionContext(
                PackageSaveMode.Defaultv3,
                PackageExtractionBehavior.XmlDocFileSaveMode,
                ClientPolicyContext.GetClientPolicy(feed.Sources.Settings, feed.Logger),
                feed.Logger);
            var paths = new VersionFolderPathResolver(feed.Folder.Root);
            try
            {
                await PackageExtractor.InstallFromSourceAsync(identity, downloader, paths, context, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                // NuGet leaves the partly copied .nupkg (a random name) in the package's folder when the copy is cancelled
                // or fails; a restore would clean it, but Ctrl+C must leave nothing partial behind.
                await RemoveIncompleteAsync(identity, paths).ConfigureAwait(false);
                throw;
            }

            statistics?.CountInstalled();
            progress?.Report(new PackageDownloadProgress(
                identity.Id, identity.Version.ToNormalizedString(), PackageDownloadStage.Completed, downloader.BytesDownloaded, total ?? downloader.BytesDownloaded));
        }
        catch (Exception ex) when (ex is FatalProtocolException or SignatureException or HttpRequestException or IOException or InvalidDataException)
        {
            throw new TorchEnvException(ResolutionMessages.DownloadFailed(identity, feed.Sources.Describe(source), ex.Message), ex);
        }
        finally
        {
            _throttle.Release();
        }

        return feed.Folder.Find(identity.Id, identity.Version)
            ?? throw new TorchEnvException(ResolutionMessages.DownloadFailed(identity, feed.Sources.Describe(source), "NuGet did not complete the installation"));
    }

    /// <summary>
    /// Deletes the package's folder when NuGet did not finish it (no <c>.nupkg.metadata</c>), under NuGet's own lock for
    /// that package, so another process installing it at the same time is never disturbed.
    /// </summary>
    private static Task RemoveIncompleteAsync(PackageIdentity identity, VersionFolderPathResolver paths) =>
        NuGet.Common.ConcurrencyUtilities.ExecuteWithFileLockedAsync(
            paths.GetPackageFilePath(identity.Id, identity.Version),
            _ =>
            {
                var folder = paths.GetInstallPath(identity.Id, identity.Version);
                if (Directory.Exists(folder) && !File.Exists(paths.GetNupkgMetadataPath(identity.Id, identity.Version)))
                {
                    TemporaryPackageDownloader.DeleteQuietly(folder);
                    var idFolder = Path.GetDirectoryName(folder)!;
                    if (Directory.Exists(idFolder) && !Directory.EnumerateFileSystemEntries(idFolder).Any())
                    {
                        TemporaryPackageDownloader.DeleteQuietly(idFolder);
                    }
                }

                return Task.FromResult(true);
            },
            CancellationToken.None);
}
