namespace TorchEnv.Core.IO;

/// <summary>A file to write: its new bytes, and its old ones (null: the file is new), to put back when another write fails.</summary>
/// <param name="Path">Full path.</param>
/// <param name="Before">The bytes it has now, or null when it does not exist.</param>
/// <param name="After">The bytes to write.</param>
public sealed record FileChange(string Path, byte[]? Before, byte[] After);

/// <summary>
/// Writes several files all or nothing: each through <see cref="AtomicFile"/> (readers never see a part of a file), and
/// when one write fails, the files already written get their old bytes back (new ones are deleted) before the failure
/// is rethrown.
/// </summary>
public static class AtomicFileSet
{
    /// <summary>Writes every change in order; on failure restores the ones written and throws <see cref="AtomicFileSetException"/>.</summary>
    public static void WriteAll(IReadOnlyList<FileChange> changes, Action<string, byte[]>? write = null)
    {
        ArgumentNullException.ThrowIfNull(changes);
        write ??= AtomicFile.Write;
        var written = new List<FileChange>();
        foreach (var change in changes)
        {
            try
            {
                write(change.Path, change.After);
                written.Add(change);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                foreach (var done in Enumerable.Reverse(written))
                {
                    if (done.Before is null)
                    {
                        File.Delete(done.Path);
                    }
                    else
                    {
                        AtomicFile.Write(done.Path, done.Before);
                    }
                }

                throw new AtomicFileSetException(change.Path, written.Count, e);
            }
        }
    }
}

/// <summary>A write of an <see cref="AtomicFileSet"/> failed; the files written before it were restored.</summary>
public sealed class AtomicFileSetException(string path, int restored, Exception inner)
    : IOException($"'{path}' could not be written: {inner.Message}", inner)
{
    /// <summary>The file that could not be written.</summary>
    public string FailedPath { get; } = path;

    /// <summary>How many files had been written and were put back.</summary>
    public int Restored { get; } = restored;
}
