using System.Xml;
using System.Xml.Linq;
using TorchEnv.Core.Diagnostics;

namespace TorchEnv.Core.Containers;

/// <summary>The project a container runs: its file (relative to the build context) and the name of its executable.</summary>
/// <param name="RelativePath">Path from the build context, forward slashes.</param>
/// <param name="AssemblyName">The program's name (<c>AssemblyName</c>, else the file name): the apphost to start.</param>
public sealed record EntryProject(string RelativePath, string AssemblyName);

/// <summary>Finds the entry project of a build context: the one given, the only project, or the only executable one.</summary>
public static class EntryProjectLocator
{
    private static readonly string[] ProjectExtensions = [".csproj", ".fsproj", ".vbproj"];
    private static readonly HashSet<string> SkippedFolders = new(StringComparer.OrdinalIgnoreCase) { "bin", "obj", ".git", "node_modules", ".vs", "artifacts" };
    private const int MaxDepth = 4;

    /// <summary>
    /// The entry project inside <paramref name="context"/>: <paramref name="given"/> when set (relative to the current
    /// directory or absolute), else the only project file in the context (four levels deep at most, skipping
    /// <c>bin</c>/<c>obj</c>), else the only one whose <c>OutputType</c> is <c>Exe</c>. Throws TENV0563 otherwise.
    /// </summary>
    public static EntryProject Locate(string context, string? given)
    {
        var root = Path.GetFullPath(context);
        string path;
        if (given is not null)
        {
            path = Path.GetFullPath(given);
            if (!File.Exists(path))
            {
                throw new TorchEnvException(ContainerMessages.EntryProjectNotUsable(given, root, "the file does not exist"));
            }

            if (Path.GetRelativePath(root, path).StartsWith("..", StringComparison.Ordinal))
            {
                throw new TorchEnvException(ContainerMessages.EntryProjectNotUsable(given, root, "it is outside the build context, so the image build cannot see it"));
            }
        }
        else
        {
            var projects = Find(root, 0).Order(StringComparer.Ordinal).ToList();
            var executables = projects.Where(IsExecutable).ToList();
            path = projects.Count switch
            {
                0 => throw new TorchEnvException(ContainerMessages.NoEntryProject(root)),
                1 => projects[0],
                _ when executables.Count == 1 => executables[0],
                _ => throw new TorchEnvException(ContainerMessages.AmbiguousEntryProject(root, (executables.Count > 1 ? executables : projects).Select(p => Relative(root, p)))),
            };
        }

        return new EntryProject(Relative(root, path), AssemblyNameOf(path));
    }

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');

    private static IEnumerable<string> Find(string folder, int depth)
    {
        foreach (var file in Directory.EnumerateFiles(folder))
        {
            if (ProjectExtensions.Contains(Path.GetExtension(file), StringComparer.OrdinalIgnoreCase))
            {
                yield return file;
            }
        }

        if (depth >= MaxDepth)
        {
            yield break;
        }

        foreach (var child in Directory.EnumerateDirectories(folder).Where(d => !SkippedFolders.Contains(Path.GetFileName(d))))
        {
            foreach (var file in Find(child, depth + 1))
            {
                yield return file;
            }
        }
    }

    // A glance at the XML, not an evaluation: enough to tell a program from a library and to name its executable.
    private static XElement? Root(string path)
    {
        try
        {
            return XDocument.Load(path).Root;
        }
        catch (XmlException)
        {
            return null;
        }
    }

    private static string? Property(string path, string name) =>
        Root(path)?.Descendants().Where(e => e.Name.LocalName == name && e.Parent?.Name.LocalName == "PropertyGroup")
            .Select(e => e.Value.Trim()).LastOrDefault(v => v.Length > 0 && !v.Contains("$(", StringComparison.Ordinal));

    private static bool IsExecutable(string path) =>
        Property(path, "OutputType") is { } type && (type.Equals("Exe", StringComparison.OrdinalIgnoreCase) || type.Equals("WinExe", StringComparison.OrdinalIgnoreCase));

    private static string AssemblyNameOf(string path) => Property(path, "AssemblyName") ?? Path.GetFileNameWithoutExtension(path);
}
