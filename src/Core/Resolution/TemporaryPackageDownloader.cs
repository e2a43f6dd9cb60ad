using NuGet.Configuration;
using NuGet.Packaging.Core;
using NuGet.Packaging.Signing;
using NuGet.Protocol.Core.Types;
using TorchEnv.Core.Diagnostics;

namespace TorchEnv.Core.Resolution;

/// <summary>A .nupkg downloaded into a temporary folder of its own, with NuGet's content hash; dispose to delete it.</summary>
internal sealed class TemporaryPackage(string folder, string nupkgPath, string contentHash) : IDisposable
{
    public string NupkgPath { get; } = nupkgPath;

    /// <summary>NuGet's <c>contentHash</c>, computed by NuGet's own calls (see <see cref="TemporaryPackageDownloader"/>).</summary>
    public string ContentHash { get; } = contentHash;

    public void Dispose() => TemporaryPackageDownloader.DeleteQuietly(folder);
}

/// <summary>
/// Downloads a package of a platform this machine does not restore into a temporary folder (never the global packages
/// folder), through the source's own NuGet downloader, and computes its <c>contentHash</c> exactly as NuGet's
/// <c>PackageExtractor</c> does for <c>.nupkg.metadata</c>: the downloader's SHA-512 of the .nupkg, passed to
/// <c>SignedPackageReader.GetContentHash</c>, which for a signed package hashes the archive without its signature
/// entry and for an unsigned one returns the file's hash. Shares the download bound with <see cref="PackageInstaller"/>.
/// </summary>
internal sealed class TemporaryPackageDownloader(PackageFeed feed, SemaphoreSlim throttle, IProgress<PackageDownloadProgress>? progress, string? temporaryRoot)
{
    /// <summary>Downloads the package; on any failure or cancellation nothing is left behind.</summary>
    public async Task<TemporaryPackage> DownloadAsync(PackageIdentity identity, PackageSource source, long? totalBytes, CancellationToken cancellationToken)
    {
        await throttle.WaitAsync(cancellationToken).ConfigureAwait(false);
        var folder = Path.Combine(temporaryRoot ?? Path.GetTempPath(), "torchenv-package-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        try
        {
            var version = identity.Version.ToNormalizedString().ToLowerInvariant();
            var path = Path.Combine(folder, $"{identity.Id.ToLowerInvariant()}.{version}.nupkg");
            var resource = await feed.GetResourceAsync(source, cancellationToken).ConfigureAwait(false);
            string contentHash;
            long bytes;
            using (var inner = await resource.GetPackageDownloaderAsync(identity, feed.Cache, feed.Logger, cancellationToken).ConfigureAwait(false)
                ?? throw new TorchEnvException(ResolutionMessages.DownloadFailed(identity, feed.Sources.Describe(source), "the source does not have it")))
            using (var downloader = new ProgressReportingDownloader(inner, identity, totalBytes, progress, temporary: true))
            {
                if (!await downloader.CopyNupkgFileToAsync(path, cancellationToken).ConfigureAwait(false))
                {
                    throw new TorchEnvException(ResolutionMessages.DownloadFailed(identity, feed.Sources.Describe(source), "the source does not have it"));
                }

                var packageHash = await downloader.GetPackageHashAsync("SHA512", cancellationToken).ConfigureAwait(false);
                contentHash = downloader.SignedPackageReader.GetContentHash(cancellationToken, GetUnsignedPackageHash: () => packageHash);
                bytes = new FileInfo(path).Length;
            }

            progress?.Report(new PackageDownloadProgress(
                identity.Id, identity.Version.ToNormalizedString(), PackageDownloadStage.Completed, bytes, totalBytes ?? bytes) { IsTemporary = true });
            return new TemporaryPackage(folder, path, contentHash);
        }
        catch (Exception ex) when (ex is FatalProtocolException or SignatureException or HttpRequestException or IOException or InvalidDataException)
        {
            DeleteQuietly(folder);
            throw new TorchEnvException(ResolutionMessages.DownloadFailed(identity, feed.Sources.Describe(source), ex.Message), ex);
        }
        catch
        {
            DeleteQuietly(folder);
            throw;
        }
        finally
        {
            throttle.Release();
        }
    }

    internal static void DeleteQuietly(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // a leftover in the temporary folder; the operating system's clean-up removes it
        }
    }
}
