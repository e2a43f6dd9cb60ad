namespace TorchEnv.Core.Resolution;

/// <summary>
/// What one lock cost in package reads, counted while it runs (thread-safe), for <c>--verbose</c> and the benchmarks:
/// how many packages' facts came from the fact cache, how many were read from their content, and of those how many
/// were downloaded into a temporary folder or installed into the global packages folder.
/// </summary>
public sealed class LockStatistics
{
    private int _fromCache;
    private int _read;
    private int _temporary;
    private int _installed;
    private long _temporaryBytes;

    /// <summary>Packages whose facts the fact cache supplied (checked, not read).</summary>
    public int FromCache => _fromCache;

    /// <summary>Packages whose facts were read from their content (installed or downloaded).</summary>
    public int Read => _read;

    /// <summary>Packages downloaded into a temporary folder and deleted after reading.</summary>
    public int DownloadedToTemporary => _temporary;

    /// <summary>Bytes of those temporary downloads.</summary>
    public long TemporaryBytes => Interlocked.Read(ref _temporaryBytes);

    /// <summary>Packages this lock installed into the global packages folder (not there before).</summary>
    public int Installed => _installed;

    /// <summary>One line for people, e.g. <c>packages: 3 read (2 downloaded to a temporary folder, 1 installed), 12 from the fact cache</c>.</summary>
    public override string ToString() =>
        $"packages: {Read} read ({DownloadedToTemporary} downloaded to a temporary folder, {Installed} installed), {FromCache} from the fact cache";

    internal void CountFromCache() => Interlocked.Increment(ref _fromCache);

    internal void CountRead() => Interlocked.Increment(ref _read);

    internal void CountInstalled() => Interlocked.Increment(ref _installed);

    internal void CountTemporary(long bytes)
    {
        Interlocked.Increment(ref _temporary);
        Interlocked.Add(ref _temporaryBytes, bytes);
    }
}
