namespace TorchEnv.Core.Export;

/// <summary>
/// The files MSBuild would read for a project's packages, in evaluation order: the <c>Directory.Build.props</c> chain
/// (outermost first), the <c>Directory.Packages.props</c> chain, the project, the nearest <c>Directory.Build.targets</c>;
/// plus <c>global.json</c> and <c>obj/project.assets.json</c> when present.
/// </summary>
internal sealed class ProjectFiles
{
    private ProjectFiles(string project, IReadOnlyList<ProjectXml> evaluationOrder, string? globalJson, string assets)
    {
        Project = project;
        EvaluationOrder = evaluationOrder;
        GlobalJson = globalJson;
        AssetsFile = assets;
    }

    /// <summary>Full path of the project file.</summary>
    public string Project { get; }

    /// <summary>The MSBuild files, in the order MSBuild evaluates them.</summary>
    public IReadOnlyList<ProjectXml> EvaluationOrder { get; }

    /// <summary>The nearest <c>global.json</c> at or above the project, or null.</summary>
    public string? GlobalJson { get; }

    /// <summary>Where restore writes the assets file (<c>obj/project.assets.json</c>); may not exist.</summary>
    public string AssetsFile { get; }

    /// <summary>The project name (file name without extension).</summary>
    public string Name => Path.GetFileNameWithoutExtension(Project);

    /// <summary>Reads <paramref name="project"/> (a project file) and the files MSBuild would read with it.</summary>
    public static ProjectFiles Load(string project)
    {
        var folder = Path.GetDirectoryName(project)!;
        var order = new List<ProjectXml>();
        order.AddRange(Chain(folder, "Directory.Build.props"));
        order.AddRange(Chain(folder, "Directory.Packages.props"));
        order.Add(ProjectXml.Load(project));
        if (FindAbove(folder, "Directory.Build.targets") is { } targets)
        {
            order.Add(ProjectXml.Load(targets));
        }

        return new ProjectFiles(project, order, FindAbove(folder, "global.json"), Path.Combine(folder, "obj", "project.assets.json"));
    }

    /// <summary>The nearest file of that name and, while each imports its parent, the ones above; outermost first.</summary>
    private static IEnumerable<ProjectXml> Chain(string folder, string fileName)
    {
        var chain = new List<ProjectXml>();
        var from = folder;
        while (FindAbove(from, fileName) is { } found)
        {
            var xml = ProjectXml.Load(found);
            chain.Add(xml);
            var parent = Path.GetDirectoryName(Path.GetDirectoryName(found));
            if (!xml.ImportsParent || parent is null)
            {
                break;
            }

            from = parent;
        }

        chain.Reverse();
        return chain;
    }

    /// <summary>The nearest file named <paramref name="fileName"/> at or above <paramref name="folder"/>, or null.</summary>
    internal static string? FindAbove(string folder, string fileName)
    {
        for (var current = new DirectoryInfo(folder); current is not null; current = current.Parent)
        {
            var candidate = Path.Combine(current.FullName, fileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
