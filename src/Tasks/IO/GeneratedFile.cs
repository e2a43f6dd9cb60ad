using TorchEnv.Core.IO;

namespace TorchEnv.Sdk.Tasks.IO;

/// <summary>
/// Writes files the build generates into <c>obj/</c>: atomically and only when the text changed (Core's
/// <see cref="AtomicFile"/>), so that what depends on them (the compiler, NuGet) sees no change after a no-op build.
/// </summary>
internal static class GeneratedFile
{
    /// <summary>Writes <paramref name="text"/> unless the file already holds it; returns true when it wrote.</summary>
    public static bool WriteIfChanged(string path, string text) => AtomicFile.WriteIfChanged(path, text);

    /// <summary>
    /// Writes the file when its text changed and otherwise only bumps its timestamp: for a target's <c>Outputs</c> file,
    /// which must be newer than the inputs after the target ran, whatever the content.
    /// </summary>
    public static void WriteOrTouch(string path, string text)
    {
        if (!AtomicFile.WriteIfChanged(path, text))
        {
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
        }
    }
}
