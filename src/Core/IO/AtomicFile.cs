using System.Text;

namespace TorchEnv.Core.IO;

/// <summary>Writes user files atomically: a temporary file in the same folder, written whole, then renamed over the target.</summary>
public static class AtomicFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// Writes <paramref name="text"/> (UTF-8, no BOM) to <paramref name="path"/> so that readers see either the old or the
    /// new content, never a part. Returns false without touching the file when it already holds exactly this text.
    /// </summary>
    public static bool WriteIfChanged(string path, string text)
    {
        var bytes = Utf8NoBom.GetBytes(text);
        if (File.Exists(path) && new FileInfo(path).Length == bytes.Length && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes))
        {
            return false;
        }

        Write(path, bytes);
        return true;
    }

    /// <summary>Writes <paramref name="text"/> (UTF-8, no BOM) to <paramref name="path"/> atomically.</summary>
    public static void WriteText(string path, string text) => Write(path, Utf8NoBom.GetBytes(text));

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically, flushed to disk before the rename.</summary>
    public static void Write(string path, byte[] bytes) =>
        Write(path, temporary =>
        {
            using var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
            return bytes.Length;
        });

    /// <summary>
    /// Calls <paramref name="writeTemporary"/> with a fresh temporary path beside <paramref name="path"/> (same folder, so
    /// the same file system; the folder is created), then renames that file over <paramref name="path"/> and returns what
    /// <paramref name="writeTemporary"/> returned. For content made by file operations (a copy edited in place) rather
    /// than bytes in memory. When anything throws, <paramref name="path"/> is untouched and the temporary file removed.
    /// </summary>
    public static T Write<T>(string path, Func<string, T> writeTemporary)
    {
        ArgumentNullException.ThrowIfNull(writeTemporary);
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var result = writeTemporary(temporary);
            File.Move(temporary, full, overwrite: true);
            return result;
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }
}
