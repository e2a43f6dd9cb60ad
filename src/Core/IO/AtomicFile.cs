using System.Text;

namespace TorchEnv.Core.IO;

/// <summary>
/// Writes user files whole or not at all: the content goes to a temporary file in the same folder, is flushed to disk,
/// then renamed over the target (a rename within one folder is atomic), so a crash or Ctrl+C never leaves a half-written
/// <c>environment.yml</c> or lock behind.
/// </summary>
public static class AtomicFile
{
    /// <summary>UTF-8 without a byte-order mark, as YAML tools expect.</summary>
    public static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// Writes <paramref name="content"/> to <paramref name="path"/>. With <paramref name="overwrite"/> false, fails with
    /// <see cref="IOException"/> when the file exists — also when another process creates it meanwhile.
    /// </summary>
    public static void WriteAllText(string path, string content, bool overwrite = true)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' has no folder.", nameof(path));
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                var bytes = Utf8.GetBytes(content);
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite);
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
