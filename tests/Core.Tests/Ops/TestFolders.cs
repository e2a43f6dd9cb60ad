namespace TorchEnv.Core.Tests.Ops;

/// <summary>Folder helpers for tests that change a shared fixture's files (prune, restitch).</summary>
internal static class TestFolders
{
    /// <summary>Copies every file under <paramref name="source"/> to the same relative path under <paramref name="target"/>.</summary>
    public static string CopyTree(string source, string target)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }

        return target;
    }
}
