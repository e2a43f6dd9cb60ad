using System.Text.RegularExpressions;
using NuGet.Frameworks;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Spec.Yaml;

namespace TorchEnv.Core.Spec;

/// <summary>
/// Turns the YAML tree of a spec into a validated <see cref="EnvironmentSpec"/>, collecting every error of the file
/// (unknown keys, wrong types, bad names, versions, platforms, channels, variants, policy) before failing.
/// </summary>
internal sealed partial class EnvironmentSpecBuilder
{
    private static readonly string[] TopLevelKeys = ["name", "channels", "policy", "platforms", "framework", "dependencies", "variants"];
    private static readonly string[] VariantKeys = ["dependencies", "platforms"];

    private readonly string _file;
    private readonly DiagnosticBag _diagnostics;
    private readonly DependencyListReader _dependencies;

    private EnvironmentSpecBuilder(string file, DiagnosticBag diagnostics)
    {
        _file = file;
        _diagnostics = diagnostics;
        _dependencies = new DependencyListReader(diagnostics);
    }

    /// <summary>Builds the spec or throws <see cref="TorchEnvException"/> with everything found wrong.</summary>
    public static EnvironmentSpec Build(YamlTreeNode? root, string file, DiagnosticBag diagnostics) =>
        new EnvironmentSpecBuilder(file, diagnostics).Build(root);

    private EnvironmentSpec Build(YamlTreeNode? root)
    {
        if (root is null or YamlTreeScalar { IsNull: true })
        {
            _diagnostics.Add(SpecMessages.NotAMapping(root?.Location ?? new SourceLocation(_file, 1, 1), "an empty file"));
            throw new TorchEnvException(_diagnostics.Diagnostics);
        }

        if (root is not YamlTreeMapping top)
        {
            _diagnostics.Add(SpecMessages.NotAMapping(root.Location, root.KindName));
            throw new TorchEnvException(_diagnostics.Diagnostics);
        }

        string? name = null;
        SourceLocation? nameLocation = null;
        var channels = new List<ChannelSpec>();
        var policy = EnvironmentPolicy.Research;
        PlatformList? platforms = null;
        (NuGetFramework Value, SourceLocation Location)? framework = null;
        var dependencies = new List<DependencySpec>();
        SourceLocation? dependenciesLocation = null;
        YamlTreeEntry? variants = null;

        foreach (var entry in top.Entries)
        {
            switch (entry.Key.Value)
            {
                case "name":
                    name = ReadName(entry.Value, "environment name", "name: mnist_net10_cpu");
                    nameLocation = entry.Value.Location;
                    break;
                case "channels":
                    channels = ReadChannels(entry.Value);
                    break;
                case "policy":
                    policy = ReadPolicy(entry.Value);
                    break;
                case "platforms":
                    platforms = ReadPlatforms(entry.Value, "platforms:");
                    break;
                case "framework":
                    framework = ReadFramework(entry.Value);
                    break;
                case "dependencies":
                    dependencies = _dependencies.Read(entry.Value, "dependencies:");
                    dependenciesLocation = entry.Key.Location;
                    break;
                case "variants":
                    variants = entry;
                    break;
                default:
                    _diagnostics.Add(SpecMessages.UnknownKey(entry.Key.Location, entry.Key.Value, "at the top of the spec", TopLevelKeys));
                    break;
            }
        }

        if (top.Find("name") is null)
        {
            _diagnostics.Add(SpecMessages.MissingKey(top.Location, "name", "name: mnist_net10_cpu"));
        }

        var declared = variants is null
            ? [ImplicitVariant(dependencies, dependenciesLocation ?? top.Location)]
            : ReadVariants(variants);

        var built = declared
            .Select(d => BuildVariant(d, dependencies, platforms, framework))
            .OfType<VariantSpec>()
            .ToList();

        _diagnostics.ThrowIfErrors();
        return new EnvironmentSpec
        {
            FilePath = Path.GetFullPath(_file),
            Name = name!,
            NameLocation = nameLocation,
            Channels = channels,
            Policy = policy,
            Variants = built,
            WrittenDependencies = [.. dependencies, .. declared.SelectMany(d => d.Own)],
        };
    }

    private DeclaredVariant ImplicitVariant(List<DependencySpec> dependencies, SourceLocation location)
    {
        var name = dependencies.Any(d => d.Kind == DependencyKind.Cuda) ? "cuda" : "cpu";
        return new DeclaredVariant(name, location, [], null, IsImplicit: true);
    }

    private List<DeclaredVariant> ReadVariants(YamlTreeEntry entry)
    {
        var result = new List<DeclaredVariant>();
        if (entry.Value is not YamlTreeMapping mapping)
        {
            if (entry.Value is YamlTreeScalar { IsNull: true })
            {
                _diagnostics.Add(SpecMessages.EmptyVariants(entry.Key.Location));
            }
            else
            {
                _diagnostics.Add(SpecMessages.WrongType(entry.Value.Location, "variants:", "a mapping of variant names", entry.Value.KindName,
                    "variants:\n  cpu:\n    dependencies: [cpu]\n  cuda:\n    dependencies: [cuda=12.8]"));
            }

            return result;
        }

        if (mapping.Entries.Count == 0)
        {
            _diagnostics.Add(SpecMessages.EmptyVariants(entry.Key.Location));
        }

        foreach (var variant in mapping.Entries)
        {
            var name = variant.Key.Value;
            if (!IsValidName(name))
            {
                _diagnostics.Add(SpecMessages.InvalidName(variant.Key.Location, "variant name", name));
            }

            var own = new List<DependencySpec>();
            PlatformList? platforms = null;
            switch (variant.Value)
            {
                case YamlTreeScalar { IsNull: true }:
                    break;
                case YamlTreeMapping body:
                    foreach (var key in body.Entries)
                    {
                        switch (key.Key.Value)
                        {
                            case "dependencies":
                                own = _dependencies.Read(key.Value, $"dependencies: of variant '{name}'");
                                break;
                            case "platforms":
                                platforms = ReadPlatforms(key.Value, $"platforms: of variant '{name}'");
                                break;
                            default:
                                _diagnostics.Add(SpecMessages.UnknownKey(key.Key.Location, key.Key.Value, $"in variant '{name}'", VariantKeys));
                                break;
                        }
                    }

                    break;
                default:
                    _diagnostics.Add(SpecMessages.WrongType(variant.Value.Location, $"variant '{name}'", "a mapping with dependencies: and platforms:",
                        variant.Value.KindName, $"{name}:\n    dependencies: [cpu]\n    platforms: [linux-x64]"));
                    break;
            }

            result.Add(new DeclaredVariant(name, variant.Key.Location, own, platforms, IsImplicit: false));
        }

        return result;
    }

    private VariantSpec? BuildVariant(
        DeclaredVariant declared,
        List<DependencySpec> inherited,
        PlatformList? topPlatforms,
        (NuGetFramework Value, SourceLocation Location)? framework)
    {
        var effective = declared.IsImplicit ? inherited : VariantMerger.Merge(inherited, declared.Own);
        if (!effective.Any(d => d.Kind == DependencyKind.Cuda))
        {
            var cudnn = (declared.IsImplicit ? inherited : declared.Own).FirstOrDefault(d => d.Kind == DependencyKind.Cudnn);
            if (cudnn is not null)
            {
                _diagnostics.Add(SpecMessages.CudnnWithoutCuda(cudnn.Location));
            }
        }

        var platforms = declared.Platforms ?? topPlatforms;
        if (platforms is null || platforms.Entries.Count == 0)
        {
            // A list whose every entry was wrong has been reported entry by entry already.
            if (platforms is not { HadErrors: true })
            {
                _diagnostics.Add(SpecMessages.NoPlatforms(declared.Location, declared.Name));
            }

            return null;
        }

        return new VariantSpec
        {
            Name = declared.Name,
            Platforms = platforms.Entries.Select(p => p.Rid).ToList(),
            PlatformLocations = platforms.Entries.ToDictionary(p => p.Rid, p => p.Location, StringComparer.Ordinal),
            Dependencies = effective,
            Location = declared.Location,
            Framework = FrameworkOf(effective, framework),
        };
    }

    private NuGetFramework FrameworkOf(List<DependencySpec> dependencies, (NuGetFramework Value, SourceLocation Location)? framework)
    {
        var sdk = dependencies.FirstOrDefault(d => d.Kind == DependencyKind.DotnetSdk);
        if (sdk?.Range.MinVersion is { Major: < 5 })
        {
            _diagnostics.Add(SpecMessages.UnsupportedSdk(sdk.Location, sdk.Text));
            return VariantSpec.DefaultFramework;
        }

        if (framework is { } explicitFramework)
        {
            if (sdk is not null && HighestSdkMajor(sdk) is { } highest && explicitFramework.Value.Version.Major > highest)
            {
                _diagnostics.Add(SpecMessages.FrameworkNeedsNewerSdk(explicitFramework.Location, explicitFramework.Value.GetShortFolderName(), sdk.Text));
            }

            return explicitFramework.Value;
        }

        return sdk?.Range.MinVersion is { } min ? NuGetFramework.Parse($"net{min.Major}.0") : VariantSpec.DefaultFramework;
    }

    // The newest SDK major a range allows: <11 and <11.0.0 allow 10; <=11.0.0 and <10.1 allow the bound's own major.
    private static int? HighestSdkMajor(DependencySpec sdk)
    {
        var max = sdk.Range.MaxVersion;
        if (max is null)
        {
            return null;
        }

        var atMajorBoundary = max is { Minor: 0, Patch: 0, Revision: 0, IsPrerelease: false };
        return !sdk.Range.IsMaxInclusive && atMajorBoundary ? max.Major - 1 : max.Major;
    }

    private string? ReadName(YamlTreeNode node, string what, string example)
    {
        var scalar = RequireScalar(node, what, example);
        if (scalar is null)
        {
            return null;
        }

        if (!IsValidName(scalar.Value))
        {
            _diagnostics.Add(SpecMessages.InvalidName(scalar.Location, what, scalar.Value));
            return null;
        }

        return scalar.Value;
    }

    private EnvironmentPolicy ReadPolicy(YamlTreeNode node)
    {
        var scalar = RequireScalar(node, "policy:", "policy: research");
        switch (scalar?.Value)
        {
            case null or "research":
                return EnvironmentPolicy.Research;
            case "production":
                return EnvironmentPolicy.Production;
            default:
                _diagnostics.Add(SpecMessages.InvalidPolicy(scalar.Location, scalar.Value));
                return EnvironmentPolicy.Research;
        }
    }

    private (NuGetFramework, SourceLocation)? ReadFramework(YamlTreeNode node)
    {
        var scalar = RequireScalar(node, "framework:", "framework: net10.0");
        if (scalar is null)
        {
            return null;
        }

        NuGetFramework parsed;
        try
        {
            parsed = NuGetFramework.Parse(scalar.Value);
        }
        catch (ArgumentException)
        {
            parsed = NuGetFramework.UnsupportedFramework;
        }

        if (parsed.IsUnsupported || parsed.Framework != FrameworkConstants.FrameworkIdentifiers.NetCoreApp || parsed.Version.Major < 5)
        {
            _diagnostics.Add(SpecMessages.InvalidFramework(scalar.Location, scalar.Value));
            return null;
        }

        return (parsed, scalar.Location);
    }

    private List<ChannelSpec> ReadChannels(YamlTreeNode node)
    {
        var result = new List<ChannelSpec>();
        foreach (var scalar in ReadScalarList(node, "channels:", "channels: [nuget.org]"))
        {
            var value = scalar.Value.Trim();
            var scheme = ChannelClassifier.Scheme(value);
            string? problem = value.Length == 0 ? "it is empty."
                : scheme is not null && scheme is not ("http" or "https") ? $"'{scheme}://' is not supported; only http(s) URLs, local folder paths and NuGet.config source names are."
                : scheme is not null && !Uri.TryCreate(value, UriKind.Absolute, out _) ? "it is not a valid URL."
                : null;
            if (problem is not null)
            {
                _diagnostics.Add(SpecMessages.InvalidChannel(scalar.Location, scalar.Value, problem));
                continue;
            }

            if (result.Any(c => string.Equals(c.Value, value, StringComparison.OrdinalIgnoreCase)))
            {
                _diagnostics.Add(SpecMessages.DuplicateChannel(scalar.Location, value));
                continue;
            }

            result.Add(new ChannelSpec(value, scalar.Location));
        }

        return result;
    }

    private PlatformList? ReadPlatforms(YamlTreeNode node, string where)
    {
        if (node is YamlTreeScalar { IsNull: true })
        {
            return null;
        }

        var result = new List<PlatformEntry>();
        var hadErrors = false;
        foreach (var scalar in ReadScalarList(node, where, "platforms: [linux-x64, win-x64]"))
        {
            var value = scalar.Value;
            if (!KnownPlatforms.IsKnown(value))
            {
                var isConda = KnownPlatforms.TryMapCondaName(value, out var mapped);
                _diagnostics.Add(SpecMessages.UnknownPlatform(scalar.Location, value, isConda, mapped));
                hadErrors = true;
                continue;
            }

            if (result.Any(p => p.Rid == value))
            {
                _diagnostics.Add(SpecMessages.DuplicatePlatform(scalar.Location, value));
                continue;
            }

            result.Add(new PlatformEntry(value, scalar.Location));
        }

        return new PlatformList(result, hadErrors || node is not YamlTreeSequence);
    }

    private IEnumerable<YamlTreeScalar> ReadScalarList(YamlTreeNode node, string what, string example)
    {
        if (node is YamlTreeScalar { IsNull: true })
        {
            yield break;
        }

        if (node is not YamlTreeSequence sequence)
        {
            _diagnostics.Add(SpecMessages.WrongType(node.Location, what, "a list", node.KindName, example));
            yield break;
        }

        foreach (var item in sequence.Items)
        {
            if (item is YamlTreeScalar { IsNull: false } scalar)
            {
                yield return scalar;
            }
            else
            {
                _diagnostics.Add(SpecMessages.WrongType(item.Location, $"an entry of {what}", "a single value", item.KindName, example));
            }
        }
    }

    private YamlTreeScalar? RequireScalar(YamlTreeNode node, string what, string example)
    {
        if (node is YamlTreeScalar { IsNull: false } scalar)
        {
            return scalar;
        }

        _diagnostics.Add(SpecMessages.WrongType(node.Location, what, "a single value", node.KindName, example));
        return null;
    }

    private static bool IsValidName(string name) => NamePattern().IsMatch(name);

    [GeneratedRegex(@"^[A-Za-z0-9_.-]+\z")]
    private static partial Regex NamePattern();

    private sealed record PlatformEntry(string Rid, SourceLocation Location);

    /// <summary>The platforms of a <c>platforms:</c> list that are valid, and whether any entry was not.</summary>
    private sealed record PlatformList(List<PlatformEntry> Entries, bool HadErrors);

    /// <summary>A variant as written: its own dependencies and platforms, before merging with the top level.</summary>
    private sealed record DeclaredVariant(string Name, SourceLocation Location, List<DependencySpec> Own, PlatformList? Platforms, bool IsImplicit);
}
