using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using TorchEnv.Core.Diagnostics;

namespace TorchEnv.Core.Export;

/// <summary>What <c>--project</c> named: one project, a solution, or a folder of projects.</summary>
public enum ProjectSetKind
{
    /// <summary>One project file (or a folder holding exactly one).</summary>
    Project,

    /// <summary>A <c>.sln</c> or <c>.slnx</c>: the projects it lists.</summary>
    Solution,

    /// <summary>A folder: every project below it.</summary>
    Folder,
}

/// <summary>
/// The projects one export reads and the folder its spec goes to: a project file; a folder that holds exactly one
/// project (the single-project case), else exactly one solution, else every project below it (skipping <c>bin/</c>,
/// <c>obj/</c> and hidden folders); a <c>.sln</c> (its <c>Project(…)</c> lines) or <c>.slnx</c> (its <c>Project Path</c>
/// elements).
/// </summary>
internal sealed partial class ProjectSet
{
    private static readonly string[] ProjectExtensions = [".csproj", ".fsproj", ".vbproj"];

    private ProjectSet(ProjectSetKind kind, string source, string root, IReadOnlyList<string> projects)
    {
        Kind = kind;
        Source = source;
        Root = root;
        Projects = projects;
    }

    /// <summary>What was named.</summary>
    public ProjectSetKind Kind { get; }

    /// <summary>The project, solution or folder named (full path).</summary>
    public string Source { get; }

    /// <summary>Where the spec goes: the project's, the solution's or the folder's own folder.</summary>
    public string Root { get; }

    /// <summary>The projects, full paths, in a stable order.</summary>
    public IReadOnlyList<string> Projects { get; }

    /// <summary>The name the environment is named after: the project's, the solution's or the folder's.</summary>
    public string Name => Kind == ProjectSetKind.Folder ? Path.GetFileName(Source.TrimEnd(Path.DirectorySeparatorChar)) : Path.GetFileNameWithoutExtension(Source);

    [GeneratedRegex(@"^Project\(""\{[^}]*\}""\)\s*=\s*""[^""]*""\s*,\s*""(?<path>[^""]+)""", RegexOptions.Multiline)]
    private static partial Regex SolutionProjectLine();

    /// <summary>True for a path ending in <c>.csproj</c>, <c>.fsproj</c> or <c>.vbproj</c>.</summary>
    public static bool IsProjectFile(string path) => ProjectExtensions.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase);

    /// <summary>Finds the projects for <paramref name="path"/>; TENV0540 when there are none, or the choice is ambiguous.</summary>
    public static ProjectSet Locate(string path)
    {
        var full = Path.GetFullPath(path);
        if (File.Exists(full))
        {
            var extension = Path.GetExtension(full).ToLowerInvariant();
            return extension switch
            {
                ".sln" or ".slnx" => FromSolution(full),
                _ => new ProjectSet(ProjectSetKind.Project, full, Path.GetDirectoryName(full)!, [full]),
            };
        }

        if (!Directory.Exists(full))
        {
            throw new TorchEnvException(ExportMessages.ProjectNotFound(full));
        }

        var here = Directory.EnumerateFiles(full).Where(IsProjectFile).Order(StringComparer.Ordinal).ToList();
        if (here.Count == 1)
        {
            return new ProjectSet(ProjectSetKind.Project, here[0], full, here);
        }

        var solutions = Directory.EnumerateFiles(full)
            .Where(f => Path.GetExtension(f).ToLowerInvariant() is ".sln" or ".slnx")
            .Order(StringComparer.Ordinal)
            .ToList();
        if (here.Count == 0 && solutions.Count == 1)
        {
            return FromSolution(solutions[0]);
        }

        if (here.Count == 0 && solutions.Count > 1)
        {
            throw new TorchEnvException(ExportMessages.SeveralSolutions(full, solutions.Select(Path.GetFileName)!));
        }

        var below = Below(full).Order(StringComparer.Ordinal).ToList();
        return below.Count == 0
            ? throw new TorchEnvException(ExportMessages.ProjectNotFound(full))
            : new ProjectSet(ProjectSetKind.Folder, full, full, below);
    }

    private static ProjectSet FromSolution(string solution)
    {
        var folder = Path.GetDirectoryName(solution)!;
        IEnumerable<string> listed;
        if (solution.EndsWith(".slnx", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                listed = XDocument.Load(solution).Descendants().Where(e => e.Name.LocalName == "Project")
                    .Select(e => e.Attribute("Path")?.Value ?? "").ToList();
            }
            catch (XmlException e)
            {
                throw new TorchEnvException(ExportMessages.MalformedFile(solution, e));
            }
        }
        else
        {
            listed = SolutionProjectLine().Matches(File.ReadAllText(solution)).Select(m => m.Groups["path"].Value).ToList();
        }

        var projects = new List<string>();
        foreach (var relative in listed.Where(IsProjectFile))
        {
            var project = Path.GetFullPath(Path.Combine(folder, relative.Replace('\\', '/')));
            if (!File.Exists(project))
            {
                throw new TorchEnvException(ExportMessages.ListedProjectMissing(solution, project));
            }

            projects.Add(project);
        }

        return projects.Count == 0
            ? throw new TorchEnvException(ExportMessages.ProjectNotFound(solution))
            : new ProjectSet(ProjectSetKind.Solution, solution, folder, projects.Distinct(StringComparer.Ordinal).ToList());
    }

    /// <summary>Every project file below <paramref name="folder"/>, not looking into build output or hidden folders.</summary>
    private static IEnumerable<string> Below(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(folder).Where(IsProjectFile))
        {
            yield return file;
        }

        foreach (var child in Directory.EnumerateDirectories(folder))
        {
            var name = Path.GetFileName(child);
            if (name.StartsWith('.') || name.Equals("bin", StringComparison.OrdinalIgnoreCase) || name.Equals("obj", StringComparison.OrdinalIgnoreCase)
                || new DirectoryInfo(child).LinkTarget is not null)
            {
                continue;
            }

            foreach (var file in Below(child))
            {
                yield return file;
            }
        }
    }
}
