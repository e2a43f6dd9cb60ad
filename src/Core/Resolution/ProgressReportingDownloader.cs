using NuGet.Packaging;
using NuGet.Packaging.Core;
using NuGet.Packaging.Signing;

namespace TorchEnv.Core.Resolution;

/// <summary>
/// NuGet's own downloader, unchanged, with progress: while NuGet copies the .nupkg into its temporary file in the
/// global packages folder, the file's growing length is reported a few times a second. Everything else is delegated,
/// so the bytes, the hash and the extraction are exactly NuGet's.
/// </summary>
internal sealed class ProgressReportingDownloader(
    IPackageDownloader inner, PackageIdentity identity, long? totalBytes, IProgress<PackageDownloadProgress>? progress, bool temporary = false) : IPackageDownloader
{
    private static readonly TimeSpan ReportInterval = TimeSpan.FromMilliseconds(250);

    public long BytesDownloaded { get; private set; }

    public IAsyncPackageContentReader ContentReader => inner.ContentReader;

    public IAsyncPackageCoreReader CoreReader => inner.CoreReader;

    public ISignedPackageReader SignedPackageReader => inner.SignedPackageReader;

    public string Source => inner.Source;

    public async Task<bool> CopyNupkgFileToAsync(string destinationFilePath, CancellationToken cancellationToken)
    {
        if (progress is null)
        {
            return await inner.CopyNupkgFileToAsync(destinationFilePath, cancellationToken).ConfigureAwait(false);
        }

        Report(PackageDownloadStage.Started, 0);
        var copy = inner.CopyNupkgFileToAsync(destinationFilePath, cancellationToken);
        while (await Task.WhenAny(copy, Task.Delay(ReportInterval, CancellationToken.None)).ConfigureAwait(false) != copy)
        {
            Report(PackageDownloadStage.Downloading, LengthOf(destinationFilePath));
        }

        var copied = await copy.ConfigureAwait(false);
        Report(PackageDownloadStage.Extracting, LengthOf(destinationFilePath));
        return copied;
    }

    public Task<string> GetPackageHashAsync(string hashAlgorithm, CancellationToken cancellationToken) =>
        inner.GetPackageHashAsync(hashAlgorithm, cancellationToken);

    public void SetExceptionHandler(Func<Exception, Task<bool>> handleExceptionAsync) => inner.SetExceptionHandler(handleExceptionAsync);

    public void SetThrottle(SemaphoreSlim? throttle) => inner.SetThrottle(throttle);

    // The inner downloader is owned and disposed by the caller; disposing it here too is harmless (NuGet's are idempotent).
    public void Dispose() => inner.Dispose();

    private void Report(PackageDownloadStage stage, long bytes)
    {
        BytesDownloaded = bytes;
        progress?.Report(new PackageDownloadProgress(identity.Id, identity.Version.ToNormalizedString(), stage, bytes, totalBytes) { IsTemporary = temporary });
    }

    private static long LengthOf(string path)
    {
        try
        {
            return File.Exists(path) ? new FileInfo(path).Length : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
