using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.IO;

namespace TorchEnv.Core.Lock;

/// <summary>
/// The cross-process guard under which anything that may lock a spec (<c>torchenv lock</c>, a build outside locked mode)
/// reads the lock again and, only if it is still not fresh, resolves and writes it. A second locker waits, then finds the
/// first one's lock fresh and uses it, so two commands and a parallel build started together write one lock, once.
/// </summary>
/// <remarks>
/// A guard file of its own (<c>&lt;lock&gt;.guard</c>): the writer takes <c>&lt;lock&gt;.lock</c> itself while writing,
/// inside this guard, and a resolution (which downloads libtorch the first time) must not hold that one.
/// </remarks>
public static class LockGuard
{
    /// <summary>How long a locker waits for another one by default: a first lock downloads libtorch.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(30);

    /// <summary>The guard file of a lock.</summary>
    public static string PathFor(string lockPath) => lockPath + ".guard";

    /// <summary>Holds the guard of <paramref name="lockPath"/> until disposed.</summary>
    /// <param name="lockPath">The lock file.</param>
    /// <param name="timeout">How long to wait for another holder; null for <see cref="DefaultTimeout"/>.</param>
    /// <param name="waiting">Gets one line to show when another process holds the guard and this one starts waiting.</param>
    /// <exception cref="TorchEnvException">TENV0226 when another process held it longer than <paramref name="timeout"/>.</exception>
    public static IDisposable Acquire(string lockPath, TimeSpan? timeout = null, Action<string>? waiting = null)
    {
        var guardFile = PathFor(lockPath);
        var wait = timeout ?? DefaultTimeout;
        try
        {
            return ExclusiveFileLock.Acquire(guardFile, wait, waiting is null ? null
                : () => waiting($"Waiting for another torchenv or build that is locking {lockPath} (it holds {guardFile})."));
        }
        catch (TimeoutException ex)
        {
            throw new TorchEnvException(LockMessages.WriterBusy(lockPath, guardFile, wait), ex);
        }
    }
}
