using NuGet.Versioning;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Spec.MatchSpecs;

namespace TorchEnv.Core.Export;

/// <summary>
/// Merges the projects of a solution or folder into one spec, the way one conda environment serves a whole repository:
/// the union of their platforms, one variant per device (CPU, each CUDA version) wherever conditions differ, and every
/// other package once under <c>nuget:</c>. A project's lines that hold on all its platforms go to the top level; lines
/// that depend on the device stay in the variant. Different versions of a stack package (TorchSharp, libtorch,
/// TorchVision) in one variant are TENV0551; of another package, TENV0552 (the highest is kept).
/// </summary>
internal static class ExportMerger
{
    private static readonly string[] Rank = ["dotnet-sdk", "torchsharp", "libtorch", "cpu", "cuda", "cudnn", "torchvision"];

    /// <summary>The merged groups (variants to be) and every line with its group (null: the top level).</summary>
    public static (List<ExportGroup> Groups, List<(ExportGroup? Group, ExportLine Line)> Lines) Merge(
        IReadOnlyList<ProjectAnalysis> direct, IReadOnlyList<ProjectAnalysis> indirect, ICollection<Diagnostic> warnings)
    {
        // TorchSharp alone means "the default, CPU"; a project that chose a runtime decides over it.
        var anyChosen = direct.Any(a => a.Groups.Any(g => !g.Group.Implied));

        // Where each project's stack lives (device and platforms), for TENV0551 when conditions separate two projects.
        var devices = direct.GroupBy(a => Path.GetFileName(a.Files.Project)).ToDictionary(
            g => g.Key, g => string.Join("; ", g.SelectMany(a => a.Groups).Select(x => $"{x.Group.Key} on {string.Join(", ", x.Group.Platforms)}")));
        var groups = new List<ExportGroup>();
        var scoped = new List<(ExportGroup? Group, ExportLine Line, string Project)>();
        foreach (var analysis in direct)
        {
            var project = Path.GetFileName(analysis.Files.Project);
            foreach (var (group, groupLines) in analysis.Groups)
            {
                var kept = !anyChosen || !group.Implied;
                ExportGroup? merged = null;
                if (kept)
                {
                    merged = groups.FirstOrDefault(g => g.Key == group.Key);
                    if (merged is null)
                    {
                        groups.Add(merged = new ExportGroup(group.Device, group.Cuda, [], group.Implied));
                    }

                    merged.Platforms.AddRange(group.Platforms.Except(merged.Platforms));
                }

                foreach (var line in groupLines)
                {
                    var everywhere = !line.IsDeviceLine && analysis.Groups.All(g => g.Lines.Any(line.SameAs));
                    if (everywhere)
                    {
                        scoped.Add((null, line, project));
                    }
                    else if (merged is not null)
                    {
                        scoped.Add((merged, line, project));
                    }
                }
            }
        }

        scoped.AddRange(indirect.SelectMany(a => a.OtherLines.Select(l => ((ExportGroup?)null, l, Path.GetFileName(a.Files.Project)))));
        foreach (var group in groups)
        {
            group.Platforms.Sort(StringComparer.Ordinal);
        }

        groups = groups.OrderBy(g => g.Device == "cpu" ? 0 : 1).ThenBy(g => g.Cuda, StringComparer.Ordinal).ToList();

        // A line every variant has (same package, same version) goes to the top level, once.
        var common = scoped.Where(s => s.Group is not null && groups.All(g => scoped.Any(o => o.Group == g && o.Line.SameAs(s.Line))))
            .Select(s => s.Line).ToList();
        var lines = new List<(ExportGroup? Group, ExportLine Line, string Project)>();
        foreach (var entry in scoped)
        {
            var group = entry.Group is not null && common.Any(entry.Line.SameAs) ? null : entry.Group;
            lines.Add((group, entry.Line, entry.Project));
        }

        var result = new List<(ExportGroup? Group, ExportLine Line)>();
        foreach (var scope in new ExportGroup?[] { null }.Concat(groups))
        {
            var visible = lines.Where(l => l.Group == scope || (scope is not null && l.Group is null)).ToList();
            foreach (var byKey in lines.Where(l => l.Group == scope).GroupBy(l => l.Line.Key, StringComparer.OrdinalIgnoreCase))
            {
                var candidates = visible.Where(l => l.Line.Key.Equals(byKey.Key, StringComparison.OrdinalIgnoreCase)).ToList();
                var chosen = Choose(candidates, scope, devices, warnings);
                if (chosen.Group == scope)
                {
                    var others = candidates.Where(c => c.Line.SameAs(chosen.Line) && c.Project != chosen.Project).Select(c => c.Project).Distinct().ToList();
                    var line = others.Count == 0 ? chosen.Line : chosen.Line with { Origin = $"{chosen.Line.Origin}; also {string.Join(", ", others)}" };
                    if (!result.Any(r => r.Group == scope && r.Line.Key.Equals(line.Key, StringComparison.OrdinalIgnoreCase)))
                    {
                        result.Add((scope, line));
                    }
                }
            }
        }

        // The reading order of a spec: SDK, TorchSharp, libtorch, device, cuDNN, TorchVision, then the other packages as found.
        var ordered = result.Select((r, i) => (r, i))
            .OrderBy(x => Array.IndexOf(Rank, x.r.Line.Key) is var rank and >= 0 ? rank : Rank.Length)
            .ThenBy(x => x.i)
            .Select(x => x.r)
            .ToList();
        return (groups, ordered);
    }

    /// <summary>One line per package: all agree, or a stack package differs (TENV0551), or another package does (TENV0552, the highest wins).</summary>
    private static (ExportGroup? Group, ExportLine Line, string Project) Choose(
        List<(ExportGroup? Group, ExportLine Line, string Project)> candidates, ExportGroup? scope, IReadOnlyDictionary<string, string> devices,
        ICollection<Diagnostic> warnings)
    {
        var first = candidates[0];
        var differing = candidates.Where(c => !c.Line.SameAs(first.Line)).ToList();
        if (differing.Count == 0)
        {
            return first;
        }

        var other = differing[0];
        var where = scope is null ? null : $"on {string.Join(", ", scope.Platforms)} ({scope.Key})";
        if (!first.Line.IsNuGet && first.Line.Key != "dotnet-sdk")
        {
            // Projects whose conditions put them on other devices or platforms are named with them: one spec still has one
            // version, since every project restores the variant of the machine it builds on, not its own.
            var separated = devices.GetValueOrDefault(first.Project) is { } a && devices.GetValueOrDefault(other.Project) is { } b && a != b;
            string Named(string project) => separated ? $"{project} ({devices[project]})" : project;
            throw new TorchEnvException(ExportMessages.DifferentStackVersions(first.Line.Name, (Named(first.Project), first.Line.Origin), (Named(other.Project), other.Line.Origin), where));
        }

        var highest = candidates.OrderByDescending(c => LowestVersion(c.Line.Spec)).First();
        warnings.Add(ExportMessages.DifferentVersions(first.Line.Name, candidates.Select(c => (c.Project, c.Line.Origin)).Distinct().ToList(), highest.Line.Name + highest.Line.Spec));
        return highest;
    }

    /// <summary>The lowest version a version part (<c>==1.2.3</c>, <c>&gt;=1.2,&lt;2</c>) allows, for ordering; null when none.</summary>
    private static NuGetVersion? LowestVersion(string spec) => CondaVersionSpec.Parse(spec, 0, fullParts: 3).Range?.MinVersion;
}
