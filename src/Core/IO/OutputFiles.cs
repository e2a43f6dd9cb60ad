using TorchEnv.Core.Diagnostics;

namespace TorchEnv.Core.IO;

/// <summary>
/// Files that commands generate for the user (<c>environment.yml</c> from <c>export</c>, <c>Dockerfile</c>): never
/// overwritten unless asked, always written whole (atomically).
/// </summary>
public static class OutputFiles
{
    /// <summary>
    /// Writes every file of <paramref name="files"/> (path → text, UTF-8 without BOM) atomically, all or none
    /// (<see cref="AtomicFileSet"/>: when one write fails, the files already written get their old bytes back). Unless
    /// <paramref name="force"/>, checks first that none exists and throws <see cref="TorchEnvException"/> (TENV0590 for
    /// each existing one) without writing anything.
    /// </summary>
    public static void WriteAll(IReadOnlyList<(string Path, string Text)> files, bool force)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (!force)
        {
            var existing = files.Where(f => File.Exists(f.Path)).Select(f => IOMessages.OutputExists(Path.GetFullPath(f.Path))).ToList();
            if (existing.Count > 0)
            {
                throw new TorchEnvException(existing);
            }
        }

        AtomicFileSet.WriteAll(files.Select(f => new FileChange(
            Path.GetFullPath(f.Path), File.Exists(f.Path) ? File.ReadAllBytes(f.Path) : null, System.Text.Encoding.UTF8.GetBytes(f.Text))).ToList());
    }
}
