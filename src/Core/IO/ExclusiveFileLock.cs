namespace TorchEnv.Core.IO;

/// <summary>
/// An exclusive, cross-process lock held through a lock file (opened with <see cref="FileShare.None"/>, which .NET maps
/// to an advisory <c>flock</c> on Unix and a sharing lock on Windows; the operating system releases it if the process dies).
/// The file is deleted on release. A rare interleaving of delete and open can let two holders in at once; callers must
/// therefore still write atomically — the lock only saves duplicate work and keeps writes in order.
/// </summary>
public sealed class ExclusiveFileLock : IDisposable
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(50);
    private readonly FileStream _stream;

    private ExclusiveFileLock(FileStream stream) => _stream = stream;

    /// <summary>Acquires the lock file at <paramref name="lockPath"/>, waiting up to <paramref name="timeout"/>.</summary>
    /// <param name="lockPath">The lock file, usually <c>&lt;protected file&gt;.lock</c>.</param>
    /// <param name="timeout">How long to wait for another holder.</param>
    /// <param name="waiting">Called once, before waiting, when another holder has the lock (to say so); null for nothing.</param>
    /// <exception cref="TimeoutException">The lock was not free in time (another holder kept it).</exception>
    public static ExclusiveFileLock Acquire(string lockPath, TimeSpan timeout, Action? waiting = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(lockPath))!);
        while (true)
        {
            try
            {
                var stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
                return new ExclusiveFileLock(stream);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                waiting?.Invoke();
                waiting = null;
                Thread.Sleep(RetryInterval);
            }
            catch (IOException ex)
            {
                throw new TimeoutException($"The lock file {lockPath} was held by another process for more than {timeout.TotalSeconds:0} s.", ex);
            }
        }
    }

    /// <summary>Releases the lock and deletes the lock file.</summary>
    public void Dispose() => _stream.Dispose();
}
