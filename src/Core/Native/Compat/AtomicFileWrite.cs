namespace TorchEnv.Core.Native;

/// <summary>
/// Writes a file through a temporary file in the same folder and a rename, so readers see the old file or the complete
/// new one, never a half-written one; the temporary file is removed when anything fails.
/// </summary>
internal static class AtomicFileWrite
{
    /// <summary>Calls <paramref name="write"/> with a temporary path beside <paramref name="path"/>, then renames it over <paramref name="path"/>.</summary>
    public static T Write<T>(string path, Func<string, T> write)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var result = write(temp);
            File.Move(temp, path, overwrite: true);
            return result;
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}
