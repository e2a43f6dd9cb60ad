using NuGet.Packaging;
using NuGet.Versioning;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Spec.MatchSpecs;
using TorchEnv.Core.Spec.Yaml;

namespace TorchEnv.Core.Spec;

/// <summary>
/// Reads one <c>dependencies:</c> list (the spec's or a variant's): match-spec strings for the known names and
/// <c>- nuget: [Id=version, …]</c> sub-lists for any other package. Invalid entries are reported and skipped.
/// </summary>
internal sealed class DependencyListReader(DiagnosticBag diagnostics)
{
    /// <summary>Reads the list at <paramref name="node"/>; null (an empty <c>dependencies:</c>) is an empty list.</summary>
    public List<DependencySpec> Read(YamlTreeNode node, string where)
    {
        var result = new List<DependencySpec>();
        if (node is YamlTreeScalar { IsNull: true })
        {
            return result;
        }

        if (node is not YamlTreeSequence sequence)
        {
            diagnostics.Add(SpecMessages.WrongType(node.Location, where, "a list", node.KindName,
                "dependencies:\n  - torchsharp=0.107.*\n  - cpu"));
            return result;
        }

        foreach (var item in sequence.Items)
        {
            switch (item)
            {
                case YamlTreeScalar { IsNull: false } scalar:
                    AddUnique(result, ReadKnown(scalar));
                    break;
                case YamlTreeMapping mapping:
                    foreach (var entry in mapping.Entries)
                    {
                        if (entry.Key.Value == KnownDependencies.NuGetListKey)
                        {
                            foreach (var package in ReadNuGetList(entry.Value))
                            {
                                AddUnique(result, package);
                            }
                        }
                        else
                        {
                            diagnostics.Add(SpecMessages.UnknownSubList(entry.Key.Location, entry.Key.Value));
                        }
                    }

                    break;
                default:
                    diagnostics.Add(SpecMessages.WrongType(item.Location, $"an entry of {where}", "a match spec such as 'torchsharp=0.107.*' or a 'nuget:' sub-list",
                        item.KindName, "- torchsharp=0.107.*"));
                    break;
            }
        }

        var cpu = result.FirstOrDefault(d => d.Kind == DependencyKind.Cpu);
        var cuda = result.FirstOrDefault(d => d.Kind == DependencyKind.Cuda);
        if (cpu is not null && cuda is not null)
        {
            diagnostics.Add(SpecMessages.CpuAndCuda(Later(cpu.Location, cuda.Location)));
        }

        return result;
    }

    private DependencySpec? ReadKnown(YamlTreeScalar scalar)
    {
        var parsed = CondaMatchSpec.Parse(scalar.Value, name => KnownDependencies.Find(name) is { } k ? KnownDependencies.FullParts(k) : 3);
        // Shape errors first: "conda-forge::torchsharp" is a channel prefix, not an unknown package "conda-forge".
        if (parsed.Name.Length == 0 || parsed.Version.Error is { Kind: MatchSpecErrorKind.ChannelPrefix or MatchSpecErrorKind.BracketForm })
        {
            return Report(scalar, parsed.Version.Error!);
        }

        if (KnownDependencies.Find(parsed.Name) is not { } kind)
        {
            diagnostics.Add(SpecMessages.UnknownDependency(scalar.Location, parsed.Name));
            return null;
        }

        if (parsed.Version.Error is { } error)
        {
            return Report(scalar, error);
        }

        if (kind == DependencyKind.Cpu && parsed.Version.VersionText is not null)
        {
            diagnostics.Add(SpecMessages.VersionNotAllowed(scalar.LocationAt(parsed.VersionOffset), "cpu"));
            return null;
        }

        return Create(kind, KnownDependencies.NameOf(kind), parsed.Version, scalar);
    }

    private IEnumerable<DependencySpec> ReadNuGetList(YamlTreeNode node)
    {
        if (node is YamlTreeScalar { IsNull: true })
        {
            yield break;
        }

        if (node is not YamlTreeSequence sequence)
        {
            diagnostics.Add(SpecMessages.WrongType(node.Location, "the nuget: sub-list", "a list of 'Id=version' entries", node.KindName,
                "- nuget:\n      - Spectre.Console=0.57.2"));
            yield break;
        }

        foreach (var item in sequence.Items)
        {
            if (item is not YamlTreeScalar { IsNull: false } scalar)
            {
                diagnostics.Add(SpecMessages.WrongType(item.Location, "an entry of nuget:", "an 'Id=version' string", item.KindName, "- Spectre.Console=0.57.2"));
                continue;
            }

            var parsed = CondaMatchSpec.Parse(scalar.Value, _ => 3);
            if (parsed.Name.Length == 0 || parsed.Version.Error is { Kind: MatchSpecErrorKind.ChannelPrefix or MatchSpecErrorKind.BracketForm })
            {
                Report(scalar, parsed.Version.Error!);
                continue;
            }

            if (!PackageIdValidator.IsValidPackageId(parsed.Name))
            {
                diagnostics.Add(SpecMessages.InvalidPackageId(scalar.Location, parsed.Name));
                continue;
            }

            if (KnownDependencies.IsStackPackage(parsed.Name))
            {
                diagnostics.Add(SpecMessages.StackPackageInNuGetList(scalar.Location, parsed.Name));
                continue;
            }

            if (parsed.Version.Error is { } error)
            {
                Report(scalar, error);
                continue;
            }

            yield return Create(DependencyKind.NuGet, parsed.Name, parsed.Version, scalar);
        }
    }

    private static DependencySpec Create(DependencyKind kind, string name, MatchSpecResult version, YamlTreeScalar scalar) => new()
    {
        Kind = kind,
        Name = name,
        VersionText = version.VersionText,
        Range = version.Range ?? VersionRange.All,
        Location = scalar.Location,
        Text = scalar.Value,
    };

    private DependencySpec? Report(YamlTreeScalar scalar, MatchSpecError error)
    {
        diagnostics.Add(SpecMessages.MatchSpec(scalar.LocationAt(error.Offset), scalar.Value, error));
        return null;
    }

    private void AddUnique(List<DependencySpec> list, DependencySpec? dependency)
    {
        if (dependency is null)
        {
            return;
        }

        var first = list.FirstOrDefault(d => VariantMerger.SameEntry(d, dependency, deviceSlot: false));
        if (first is not null)
        {
            diagnostics.Add(SpecMessages.DuplicateDependency(dependency.Location, dependency.Name, first.Location));
            return;
        }

        list.Add(dependency);
    }

    private static SourceLocation Later(SourceLocation a, SourceLocation b) =>
        (a.Line, a.Column).CompareTo((b.Line, b.Column)) >= 0 ? a : b;
}
