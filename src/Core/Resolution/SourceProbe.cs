using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using NuGet.Configuration;
using NuGet.Packaging.Core;
using NuGet.Protocol;
using NuGet.Protocol.Core.Types;

namespace TorchEnv.Core.Resolution;

/// <summary>What a source says about a .nupkg without sending all of it.</summary>
/// <param name="Length">Its size in bytes, when known.</param>
/// <param name="Fingerprint">
/// Its size and the SHA-256 of its last bytes (the zip's central directory, which holds every entry's CRC-32 and size, and
/// the signature entry): it changes whenever the package's content does. Null when the source cannot say (no ranged reads).
/// </param>
internal sealed record SourceProbeResult(long? Length, string? Fingerprint);

/// <summary>
/// Asks a source about one .nupkg cheaply: a HEAD request to the flat container for its size (the progress bar), or a
/// ranged read of its last 64 KB for a fingerprint (the fact cache's check that a package on a feed is still the one it
/// read); local folder feeds answer from the file.
/// </summary>
internal static class SourceProbe
{
    private const int TailBytes = 64 * 1024;

    /// <summary>The package's size; null when unknown. Best effort: it only feeds a progress bar.</summary>
    public static async Task<long?> SizeAsync(PackageFeed feed, PackageIdentity identity, PackageSource source, CancellationToken cancellationToken)
    {
        try
        {
            if (!source.IsHttp)
            {
                return LocalPath(feed, identity, source, cancellationToken) is { } local ? new FileInfo(local).Length : null;
            }

            return await SendAsync(feed, identity, source, HttpMethod.Head, null,
                response => Task.FromResult(response.IsSuccessStatusCode ? response.Content.Headers.ContentLength : null), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>The package's size and fingerprint; a null fingerprint when the source cannot give one.</summary>
    public static async Task<SourceProbeResult> FingerprintAsync(PackageFeed feed, PackageIdentity identity, PackageSource source, CancellationToken cancellationToken)
    {
        try
        {
            if (!source.IsHttp)
            {
                return LocalPath(feed, identity, source, cancellationToken) is { } local
                    ? new SourceProbeResult(new FileInfo(local).Length, FileFingerprint(local))
                    : new SourceProbeResult(null, null);
            }

            return await SendAsync(feed, identity, source, HttpMethod.Get, new RangeHeaderValue(null, TailBytes), async response =>
            {
                if (response.StatusCode != HttpStatusCode.PartialContent || response.Content.Headers.ContentRange?.Length is not { } total)
                {
                    return new SourceProbeResult(response.Content.Headers.ContentLength, null);
                }

                var tail = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                return new SourceProbeResult(total, Fingerprint(total, tail));
            }, cancellationToken).ConfigureAwait(false) ?? new SourceProbeResult(null, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new SourceProbeResult(null, null); // unknown: the package is read again
        }
    }

    /// <summary>The fingerprint of a .nupkg on disk (a local feed's, or one just downloaded): what the source would say of it.</summary>
    public static string FileFingerprint(string path)
    {
        using var file = File.OpenRead(path);
        var tail = new byte[Math.Min(TailBytes, file.Length)];
        file.Seek(file.Length - tail.Length, SeekOrigin.Begin);
        file.ReadExactly(tail);
        return Fingerprint(file.Length, tail);
    }

    private static string Fingerprint(long length, byte[] tail) => $"{length}:{Convert.ToHexStringLower(SHA256.HashData(tail))}";

    private static string? LocalPath(PackageFeed feed, PackageIdentity identity, PackageSource source, CancellationToken cancellationToken) =>
        (LocalFolderUtility.GetPackageV3(source.Source, identity, feed.Logger)
            ?? LocalFolderUtility.GetPackageV2(source.Source, identity, feed.Logger, cancellationToken))?.Path;

    private static async Task<T?> SendAsync<T>(
        PackageFeed feed, PackageIdentity identity, PackageSource source, HttpMethod method, RangeHeaderValue? range,
        Func<HttpResponseMessage, Task<T?>> read, CancellationToken cancellationToken)
    {
        var repository = Repository.Factory.GetCoreV3(source);
        var index = await repository.GetResourceAsync<ServiceIndexResourceV3>(cancellationToken).ConfigureAwait(false);
        var baseAddress = index?.GetServiceEntryUri(ServiceTypes.PackageBaseAddress);
        var http = (await repository.GetResourceAsync<HttpSourceResource>(cancellationToken).ConfigureAwait(false))?.HttpSource;
        if (baseAddress is null || http is null)
        {
            return default;
        }

        var id = identity.Id.ToLowerInvariant();
        var version = identity.Version.ToNormalizedString().ToLowerInvariant();
        var url = new Uri($"{baseAddress.AbsoluteUri.TrimEnd('/')}/{id}/{version}/{id}.{version}.nupkg");
        return await http.ProcessResponseAsync(
            new HttpSourceRequest(() =>
            {
                var request = HttpRequestMessageFactory.Create(method, url, feed.Logger);
                request.Headers.Range = range;
                return request;
            }),
            read,
            feed.Logger,
            cancellationToken).ConfigureAwait(false);
    }
}
