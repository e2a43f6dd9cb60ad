using TorchEnv.Core.Diagnostics;

namespace TorchEnv.Core.Export;

/// <summary>A package reference that applies on one platform, with its version as written after property expansion.</summary>
/// <param name="Id">Package id as written.</param>
/// <param name="Version">The version text (reference, VersionOverride or central PackageVersion), expanded; null when none or unknown.</param>
/// <param name="Location">Where the reference is.</param>
internal sealed record ActiveReference(string Id, string? Version, SourceLocation Location);

/// <summary>What a project looks like on one platform: its properties and the package references that apply.</summary>
/// <param name="Platform">The runtime identifier evaluated for.</param>
/// <param name="Properties">The properties after evaluation.</param>
/// <param name="References">The package references that apply.</param>
/// <param name="ProjectReferences">The full paths of the projects referenced (<c>ProjectReference</c>) that apply.</param>
internal sealed record PlatformView(
    string Platform, IReadOnlyDictionary<string, string> Properties, IReadOnlyList<ActiveReference> References, IReadOnlyList<string> ProjectReferences);

/// <summary>
/// Evaluates a project's files for one platform the way MSBuild's first two passes would, as far as packages are
/// concerned: properties in document order (each expanded with the properties defined so far), then package items
/// with the final properties. Conditions on the operating system, runtime identifier and target framework are decided
/// for the platform; a condition on anything else counts as true and is reported once (TENV0543).
/// </summary>
/// <remarks>
/// Why not MSBuild's own evaluation: it needs the .NET SDK's resolvers loaded into the tool, runs the project's and its
/// packages' props and targets, and evaluates for the machine it runs on only — an export needs every operating-system
/// and runtime-identifier branch at once, to turn them into platforms and variants. The XML is read instead.
/// </remarks>
internal sealed class ProjectEvaluator(ProjectFiles files, ICollection<Diagnostic> warnings)
{
    private readonly HashSet<SourceLocation> _reported = [];

    /// <summary>The view of the project on <paramref name="platform"/>, for <paramref name="targetFramework"/> (null: not yet known).</summary>
    public PlatformView Evaluate(string platform, string? targetFramework)
    {
        var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["OS"] = platform.StartsWith("win", StringComparison.Ordinal) ? "Windows_NT" : "Unix",
            ["RuntimeIdentifier"] = platform,
            ["NETCoreSdkRuntimeIdentifier"] = platform,
            ["MSBuildProjectName"] = files.Name,
        };
        if (targetFramework is not null)
        {
            properties["TargetFramework"] = targetFramework;
        }

        string? Lookup(string name) => properties.TryGetValue(name, out var value) ? value : null;

        foreach (var xml in files.EvaluationOrder)
        {
            foreach (var property in xml.Properties)
            {
                // A multi-targeting project's inner build sees the TargetFramework it builds, whatever the file says.
                if (targetFramework is not null && property.Name.Equals("TargetFramework", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                // Conditions on Configuration and the like are everywhere in property groups and rarely matter for
                // packages: they count as true without a warning here (a package item's unknown condition is reported).
                if (!Applies(property.Conditions, Lookup, platform, report: false))
                {
                    continue;
                }

                if (MsBuildCondition.Expand(property.Value, Lookup, platform) is { } value)
                {
                    properties[property.Name] = value;
                }
                else
                {
                    properties.Remove(property.Name); // depends on something unknown: unknown from here on
                }
            }
        }

        var central = string.Equals(Lookup("ManagePackageVersionsCentrally"), "true", StringComparison.OrdinalIgnoreCase);
        var versions = new Dictionary<string, PackageItem>(StringComparer.OrdinalIgnoreCase);
        var references = new List<PackageItem>();
        foreach (var item in files.EvaluationOrder.SelectMany(x => x.Items))
        {
            if (!Applies(item.Conditions, Lookup, platform, report: true))
            {
                continue;
            }

            if (item.IsUpdate)
            {
                // Update= changes what earlier items said (a version in Directory.Build.targets is the usual case).
                if (item.Kind == PackageItemKind.Version)
                {
                    if (versions.TryGetValue(item.Id, out var declared))
                    {
                        versions[item.Id] = declared with { Version = item.Version ?? declared.Version };
                    }
                }
                else
                {
                    for (var i = 0; i < references.Count; i++)
                    {
                        if (references[i].Id.Equals(item.Id, StringComparison.OrdinalIgnoreCase))
                        {
                            references[i] = references[i] with
                            {
                                Version = item.Version ?? references[i].Version,
                                VersionOverride = item.VersionOverride ?? references[i].VersionOverride,
                            };
                        }
                    }
                }
            }
            else if (item.Kind == PackageItemKind.Version)
            {
                versions[item.Id] = item;
            }
            else
            {
                references.RemoveAll(r => r.Id.Equals(item.Id, StringComparison.OrdinalIgnoreCase));
                references.Add(item);
            }
        }

        var active = references.Select(r =>
        {
            var text = r.VersionOverride ?? r.Version ?? (central && versions.TryGetValue(r.Id, out var v) ? v.Version : null);
            var version = text is null ? null : MsBuildCondition.Expand(text, Lookup, platform);
            return new ActiveReference(r.Id, string.IsNullOrWhiteSpace(version) ? null : version.Trim(), r.Location);
        }).ToList();
        var projectReferences = files.EvaluationOrder.SelectMany(x => x.ProjectReferences)
            .Where(r => Applies(r.Conditions, Lookup, platform, report: false))
            .Select(r => r.Path)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return new PlatformView(platform, properties, active, projectReferences);
    }

    private bool Applies(IReadOnlyList<ConditionTerm> conditions, Func<string, string?> lookup, string platform, bool report)
    {
        foreach (var term in conditions)
        {
            var truth = MsBuildCondition.Evaluate(term.Text, lookup, platform);
            if (term.Negated)
            {
                truth = truth switch
                {
                    Truth.True => Truth.False,
                    Truth.False => Truth.True,
                    _ => Truth.Unknown,
                };
            }

            if (truth == Truth.False)
            {
                return false;
            }

            if (truth == Truth.Unknown && report && _reported.Add(term.Location))
            {
                warnings.Add(ExportMessages.UnknownCondition(term.Location, term.Text));
            }
        }

        return true;
    }
}
