using NuGet.Configuration;
using NuGet.Frameworks;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.IO;
using TorchEnv.Core.Naming;
using TorchEnv.Core.Spec;
using TorchEnv.Core.Stack;

namespace TorchEnv.Core.Export;

/// <summary>
/// <c>torchenv export</c>: an <c>environment.yml</c> from existing TorchSharp projects that have never heard of
/// TorchEnv, like <c>conda env export</c> — one project, or every project of a solution or folder merged into one spec
/// at its root. TorchSharp's packages become <c>torchsharp</c> / <c>cpu</c> / <c>cuda=x.y</c> / <c>cudnn</c> /
/// <c>libtorch</c> / <c>torchvision</c> entries and platforms, other packages go under <c>nuget:</c>, references
/// conditional on the operating system or runtime identifier become platforms or variants, and the target framework
/// becomes <c>framework:</c>. By default the versions are the ones restore chose (exact pins); with
/// <see cref="ExportOptions.FromHistory"/> only what the projects declare. Direct references only: the versions of
/// their dependencies follow from the pins exactly as restore chose them, and the lock records them.
/// </summary>
public static class SpecExporter
{
    /// <summary>Builds and checks the spec; writes nothing. Throws <see cref="TorchEnvException"/> (TENV0540–TENV0552).</summary>
    public static ExportResult Export(ExportOptions options) => Analyze(options).Result;

    /// <summary>Writes the spec atomically; refuses (TENV0590) to replace an existing file unless <paramref name="force"/>.</summary>
    public static void Write(ExportResult result, bool force)
    {
        ArgumentNullException.ThrowIfNull(result);
        OutputFiles.WriteAll([(result.OutputPath, result.Text)], force);
    }

    /// <summary>The export and what it read, for <c>adopt</c>: the project set and every project's analysis.</summary>
    internal static ExportAnalysis Analyze(ExportOptions options, Func<string, bool>? skip = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var set = ProjectSet.Locate(options.Project);
        var warnings = new List<Diagnostic>();
        var output = Path.GetFullPath(options.Output ?? Path.Combine(set.Root, EnvironmentSpecReader.DefaultFileName));
        var single = set.Kind == ProjectSetKind.Project;

        var analyses = new Dictionary<string, ProjectAnalysis>(StringComparer.Ordinal);
        ProjectAnalysis Of(string project)
        {
            if (!analyses.TryGetValue(project, out var analysis))
            {
                analyses[project] = analysis = ProjectAnalysis.Analyze(ProjectFiles.Load(project), options.FromHistory, warnings, required: single && project == set.Source);
            }

            return analysis;
        }

        var considered = set.Projects.Where(p => skip?.Invoke(p) != true).ToList();

        // The projects that use TorchSharp: those named, and those they reference (a solution may not list them all);
        // a project that reaches TorchSharp only through project references builds on the shared environment too.
        var direct = new List<ProjectAnalysis>();
        var indirect = new List<ProjectAnalysis>();
        var reaches = new Dictionary<string, bool>(StringComparer.Ordinal);
        bool Reaches(string project)
        {
            if (reaches.TryGetValue(project, out var known))
            {
                return known;
            }

            reaches[project] = false; // a cycle reaches nothing new
            var analysis = Of(project);
            var result = analysis.ProjectReferences.Where(File.Exists).Select(Reaches).ToList().Any(r => r) || analysis.UsesTorchSharp;
            if (analysis.UsesTorchSharp)
            {
                direct.Add(analysis);
            }
            else if (result && considered.Contains(project))
            {
                indirect.Add(analysis);
            }

            return reaches[project] = result;
        }

        foreach (var project in considered)
        {
            Reaches(project);
        }

        int Order(ProjectAnalysis a) => set.Projects.ToList().IndexOf(a.Files.Project) is var i and >= 0 ? i : int.MaxValue;
        direct = direct.OrderBy(Order).ThenBy(a => a.Files.Project, StringComparer.Ordinal).ToList();
        indirect = indirect.OrderBy(Order).ToList();
        foreach (var project in indirect)
        {
            project.ReadOtherLines(options.FromHistory, warnings);
        }

        if (direct.Count == 0)
        {
            throw new TorchEnvException(ExportMessages.NoTorchSharp(set.Source));
        }

        var users = direct.Concat(indirect).ToList();
        var framework = MergedFramework(set, users, warnings);
        var (groups, lines) = ExportMerger.Merge(direct, indirect, warnings);
        var variantNames = VariantNames(groups);
        var scoped = lines.Select(l => (Variant: l.Group is null ? null : groups.Count == 1 ? null : variantNames[groups.IndexOf(l.Group)], l.Line)).ToList();

        var device = groups.Count == 1 ? groups[0].Device : EnvironmentNaming.MultiDevice;
        var name = EnvironmentNaming.Conventional(set.Name, device);
        var channels = Channels(set.Root, output);
        var platforms = groups.SelectMany(g => g.Platforms).Distinct().Order(StringComparer.Ordinal).ToList();
        var variants = groups.Select((g, i) => new ExportedVariant(variantNames[i], g.Cuda is null ? "cpu" : "cuda=" + g.Cuda, g.Platforms)).ToList();
        var header = Header(set, users, options.FromHistory);
        var text = Render(header, name, channels, framework, groups.Count == 1 ? platforms : null, scoped, variants);

        Validate(set.Source, output, text);
        var result = new ExportResult
        {
            ProjectPath = set.Source,
            OutputPath = output,
            AssetsPath = single ? direct[0].Assets?.Path : null,
            FromHistory = options.FromHistory,
            Name = name,
            Framework = framework,
            Variants = variants,
            Dependencies = scoped.Select(l => new ExportedDependency(l.Line.Name + l.Line.Spec, l.Line.Origin, l.Variant, l.Line.IsNuGet)).ToList(),
            Projects = set.Projects.Where(analyses.ContainsKey).Select(p => new ExportedProject(
                p,
                direct.Contains(analyses[p]) ? ProjectUse.Direct : indirect.Contains(analyses[p]) ? ProjectUse.ThroughProjectReference : ProjectUse.None)).ToList(),
            Text = text,
            Warnings = warnings.Distinct().ToList(),
        };
        return new ExportAnalysis(set, result, users, analyses.Values.Where(a => !users.Contains(a)).ToList());
    }

    /// <summary>The newest .NET 5+ framework of the projects that use TorchSharp (TENV0548 when they differ).</summary>
    private static string MergedFramework(ProjectSet set, IReadOnlyList<ProjectAnalysis> users, List<Diagnostic> warnings)
    {
        var frameworks = users.Where(a => a.Framework is not null).Select(a => a.Framework!).Distinct(StringComparer.Ordinal)
            .OrderByDescending(f => NuGetFramework.Parse(f).Version).ToList();
        if (frameworks.Count == 0)
        {
            throw new TorchEnvException(ExportMessages.UnsupportedFramework(set.Source, ""));
        }

        if (frameworks.Count > 1)
        {
            warnings.Add(ExportMessages.SeveralFrameworks(string.Join(";", frameworks), frameworks[0]));
        }

        return frameworks[0];
    }

    private static IReadOnlyList<string> VariantNames(IReadOnlyList<ExportGroup> groups)
    {
        var names = groups.Select(g => g.Device).ToList();
        return names.Select((n, i) => names.Count(x => x == n) > 1 ? $"{n}{groups[i].Cuda?.Replace(".", "", StringComparison.Ordinal)}" : n).ToList();
    }

    /// <summary>The enabled NuGet sources of the root's NuGet.config: by name when the spec goes in the root, by URL or path elsewhere.</summary>
    private static IReadOnlyList<string> Channels(string root, string output)
    {
        var settings = Settings.LoadDefaultSettings(root);
        var sources = new PackageSourceProvider(settings).LoadPackageSources().Where(s => s.IsEnabled).ToList();
        var byName = string.Equals(Path.GetDirectoryName(output), root, StringComparison.Ordinal);
        return sources.Select(s => byName ? s.Name : s.Source).Distinct(StringComparer.Ordinal).ToList();
    }

    private static string Header(ProjectSet set, IReadOnlyList<ProjectAnalysis> users, bool fromHistory)
    {
        var source = Path.GetFileName(set.Source.TrimEnd(Path.DirectorySeparatorChar));
        if (set.Kind != ProjectSetKind.Project)
        {
            source += $" ({users.Count} TorchSharp project{(users.Count == 1 ? "" : "s")}: {string.Join(", ", users.Select(u => Path.GetFileName(u.Files.Project)))})";
        }

        var how = fromHistory ? " (--from-history: the versions the projects declare)"
            : users.Any(u => u.RestoredTorchSharp) ? ", pinned to the versions restore chose"
            : " (not restored: declared versions pinned)";
        return $"# Exported by `torchenv export` from {source}{how}.";
    }

    private static string Render(
        string header, string name, IReadOnlyList<string> channels, string framework, IReadOnlyList<string>? platforms,
        IReadOnlyList<(string? Variant, ExportLine Line)> lines, IReadOnlyList<ExportedVariant> variants)
    {
        var text = new System.Text.StringBuilder();
        void Append(string line) => text.Append(line).Append('\n');
        Append(header);
        Append("# Next: `torchenv lock` pins every package with hashes into environment.lock.yml; commit both files.");
        Append($"name: {name}");
        if (channels.Count > 0)
        {
            Append("channels:");
            foreach (var channel in channels)
            {
                Append("  - " + Yaml(channel));
            }
        }

        if (platforms is not null)
        {
            Append($"platforms: [{string.Join(", ", platforms)}]");
        }

        Append($"framework: {framework}");
        Append("dependencies:");
        WriteDependencies(lines.Where(l => l.Variant is null).Select(l => l.Line).ToList(), "  ", Append);
        if (platforms is null)
        {
            Append("variants:");
            foreach (var variant in variants)
            {
                Append($"  {variant.Name}:");
                Append("    dependencies:");
                WriteDependencies(lines.Where(l => l.Variant == variant.Name).Select(l => l.Line).ToList(), "      ", Append);
                Append($"    platforms: [{string.Join(", ", variant.Platforms)}]");
            }
        }

        return text.ToString();
    }

    private static void WriteDependencies(IReadOnlyList<ExportLine> lines, string indent, Action<string> append)
    {
        foreach (var line in lines.Where(l => !l.IsNuGet))
        {
            append($"{indent}- {Yaml(line.Key + line.Spec)}  # {line.Origin}");
        }

        var nuget = lines.Where(l => l.IsNuGet).ToList();
        if (nuget.Count > 0)
        {
            append($"{indent}- nuget:");
            foreach (var line in nuget)
            {
                append($"{indent}    - {Yaml(line.Name + line.Spec)}  # {line.Origin}");
            }
        }
    }

    /// <summary>A YAML plain scalar when safe, else double-quoted.</summary>
    private static string Yaml(string value)
    {
        var plain = value.Length > 0
            && !"[]{}#&*!|>'\"%@`,?:-".Contains(value[0], StringComparison.Ordinal)
            && !value.Contains(": ", StringComparison.Ordinal) && !value.Contains(" #", StringComparison.Ordinal)
            && !value.EndsWith(':') && value.Trim() == value
            && !value.Any(c => char.IsControl(c) || c is ',' or '[' or ']' or '{' or '}');
        return plain ? value : "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>The exported text must read and plan like any spec; otherwise nothing is written.</summary>
    private static void Validate(string project, string output, string text)
    {
        try
        {
            StackPlanner.PlanAll(EnvironmentSpecReader.Parse(text, output));
        }
        catch (TorchEnvException e)
        {
            throw new TorchEnvException(ExportMessages.InvalidResult(project, e.Diagnostics), e);
        }
    }
}

/// <summary>An export with what it read: the project set and the analyses of the projects that use TorchSharp, and of the others.</summary>
internal sealed record ExportAnalysis(ProjectSet Set, ExportResult Result, IReadOnlyList<ProjectAnalysis> Users, IReadOnlyList<ProjectAnalysis> Others);
