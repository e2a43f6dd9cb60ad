namespace TorchEnv.Core.Resolution;

/// <summary>What is happening to a package that is not yet in the global packages folder.</summary>
public enum PackageDownloadStage
{
    /// <summary>The download begins; <see cref="PackageDownloadProgress.TotalBytes"/> is known when the source says it.</summary>
    Started,

    /// <summary>Bytes are arriving (reported a few times a second).</summary>
    Downloading,

    /// <summary>The .nupkg is complete and NuGet extracts it into the global packages folder.</summary>
    Extracting,

    /// <summary>Installed; the package is now in the global packages folder exactly as restore would have put it.</summary>
    Completed,
}

/// <summary>Progress of one package download, for a progress bar (libtorch packages are over 100 MB).</summary>
/// <param name="Id">Package id.</param>
/// <param name="Version">Normalised version.</param>
/// <param name="Stage">What is happening.</param>
/// <param name="BytesDownloaded">Bytes of the .nupkg received so far.</param>
/// <param name="TotalBytes">Size of the .nupkg when known (HTTP Content-Length, or the file size of a local feed).</param>
public sealed record PackageDownloadProgress(string Id, string Version, PackageDownloadStage Stage, long BytesDownloaded, long? TotalBytes)
{
    /// <summary>
    /// True for a package of a platform this machine does not restore: downloaded into a temporary folder, read and
    /// deleted (<see cref="PackageDownloadStage.Extracting"/> then means reading, <see cref="PackageDownloadStage.Completed"/> read).
    /// </summary>
    public bool IsTemporary { get; init; }
}
