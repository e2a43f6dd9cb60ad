using System.Text;

namespace TorchEnv.Sdk.Tasks.IO;

/// <summary>
/// Writes files the build generates into <c>obj/</c>: atomically (temporary file in the same folder, then rename), and
/// only when the text changed, so that what depends on them (the compiler, NuGet) sees no change after a no-op build.
/// </summary>
internal static class GeneratedFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes <paramref name="text"/> unless the file already holds it; returns true when it wrote.</summary>
    public static bool WriteIfChanged(string path, string text)
    {
        if (File.Exists(path) && File.ReadAllText(path, Utf8NoBom) == text)
        {
            return false;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temporary, text, Utf8NoBom);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }

        return true;
    }

    /// <summary>
    /// Writes the file when its text changed and otherwise only bumps its timestamp: for a target's <c>Outputs</c> file,
    /// which must be newer than the inputs after the target ran, whatever the content.
    /// </summary>
    public static void WriteOrTouch(string path, string text)
    {
        if (!WriteIfChanged(path, text))
        {
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
        }
    }
}
