using NuGet.Configuration;
using NuGet.Frameworks;
using NuGet.Versioning;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.IO;
using TorchEnv.Core.Naming;
using TorchEnv.Core.Spec;
using TorchEnv.Core.Stack;

namespace TorchEnv.Core.Export;

/// <summary>
/// <c>torchenv export</c>: an <c>environment.yml</c> from an existing TorchSharp project that has never heard of
/// TorchEnv, like <c>conda env export</c>. TorchSharp's packages become <c>torchsharp</c> / <c>cpu</c> /
/// <c>cuda=x.y</c> / <c>cudnn</c> / <c>libtorch</c> / <c>torchvision</c> entries and platforms, other packages go under
/// <c>nuget:</c>, references conditional on the operating system or runtime identifier become platforms or variants,
/// and the target framework becomes <c>framework:</c>. By default the versions are the ones restore chose (exact pins);
/// with <see cref="ExportOptions.FromHistory"/> only what the project declares. Direct references only: the versions of
/// their dependencies follow from the pins exactly as restore chose them, and the lock records them.
/// </summary>
public static class SpecExporter
{
    private sealed record Line(string Key, string Spec, string Origin, bool IsNuGet);

    private sealed record Group(string Device, string? Cuda, List<string> Platforms);

    /// <summary>Builds and checks the spec; writes nothing. Throws <see cref="TorchEnvException"/> (TENV0540–TENV0550).</summary>
    public static ExportResult Export(ExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var files = ProjectFiles.Locate(options.Project);
        var warnings = new List<Diagnostic>();
        var evaluator = new ProjectEvaluator(files, warnings);
        var output = Path.GetFullPath(options.Output ?? Path.Combine(Path.GetDirectoryName(files.Project)!, EnvironmentSpecReader.DefaultFileName));

        var (targetFramework, framework) = ChooseFramework(files, evaluator.Evaluate("linux-x64", null), warnings);
        var assets = options.FromHistory ? null : RestoredAssets.TryRead(files.AssetsFile);
        if (!options.FromHistory && assets is null)
        {
            warnings.Add(ExportMessages.NotRestored(files.AssetsFile));
        }

        var views = KnownPlatforms.All.Select(p => evaluator.Evaluate(p, targetFramework)).ToList();
        var context = new Context(files, options.FromHistory, assets, targetFramework, warnings);
        var row = context.Row(views);
        var groups = GroupPlatforms(context, views, row);

        var lines = new List<(string? Variant, Line Line)>();
        var variantNames = VariantNames(groups);
        var perGroup = groups.Select(g => GroupLines(context, views.Where(v => g.Platforms.Contains(v.Platform)).ToList(), g, row)).ToList();
        // A line every variant has in common (same package, same version) goes to the top level, once.
        static bool Same(Line a, Line b) => a.Key.Equals(b.Key, StringComparison.OrdinalIgnoreCase) && a.Spec == b.Spec;
        foreach (var line in perGroup[0].Where(l => perGroup.All(other => other.Any(o => Same(o, l)))))
        {
            lines.Add((null, line));
        }

        for (var i = 0; i < groups.Count; i++)
        {
            var variant = groups.Count == 1 ? null : variantNames[i];
            lines.AddRange(perGroup[i].Where(l => !lines.Any(x => x.Variant is null && Same(x.Line, l))).Select(l => (variant, l)));
        }

        var device = groups.Count == 1 ? groups[0].Device : EnvironmentNaming.MultiDevice;
        var name = EnvironmentNaming.Conventional(files.Name, device);
        var channels = Channels(files, output);
        var platforms = groups.SelectMany(g => g.Platforms).Distinct().Order(StringComparer.Ordinal).ToList();
        var variants = groups.Select((g, i) => new ExportedVariant(variantNames[i], g.Cuda is null ? "cpu" : "cuda=" + g.Cuda, g.Platforms)).ToList();
        var text = Render(context, name, channels, framework, groups.Count == 1 ? platforms : null, lines, variants, options.FromHistory);

        Validate(files.Project, output, text);
        return new ExportResult
        {
            ProjectPath = files.Project,
            OutputPath = output,
            AssetsPath = assets?.Path,
            FromHistory = options.FromHistory,
            Name = name,
            Framework = framework,
            Variants = variants,
            Dependencies = lines.Select(l => new ExportedDependency(
                (l.Line.IsNuGet ? l.Line.Key["nuget:".Length..] : l.Line.Key) + l.Line.Spec, l.Line.Origin, l.Variant, l.Line.IsNuGet)).ToList(),
            Text = text,
            Warnings = warnings.Distinct().ToList(),
        };
    }

    /// <summary>Writes the spec atomically; refuses (TENV0590) to replace an existing file unless <paramref name="force"/>.</summary>
    public static void Write(ExportResult result, bool force)
    {
        ArgumentNullException.ThrowIfNull(result);
        OutputFiles.WriteAll([(result.OutputPath, result.Text)], force);
    }

    /// <summary>State shared by the steps of one export.</summary>
    private sealed class Context(ProjectFiles files, bool fromHistory, RestoredAssets? assets, string targetFramework, List<Diagnostic> warnings)
    {
        public ProjectFiles Files => files;

        public bool FromHistory => fromHistory;

        public List<Diagnostic> Warnings => warnings;

        public NuGetVersion? Restored(string id) => assets?.VersionOf(id, targetFramework);

        public string? RestoredSdk => fromHistory ? null : assets?.SdkVersion;

        /// <summary>
        /// The stack-matrix row of the TorchSharp version the project uses: the restored one, else the one restore would
        /// pick for the declared version (<see cref="DeclaredRow"/>); null when neither is known.
        /// </summary>
        public StackMatrixRow? Row(IReadOnlyList<PlatformView> views)
        {
            if (Restored("TorchSharp") is { } restored)
            {
                return StackMatrix.RowOf(restored);
            }

            return views.SelectMany(v => v.References)
                .Where(r => StackReference.Classify(r.Id).Role is StackRole.TorchSharp or StackRole.CpuBundle or StackRole.CudaBundle)
                .Select(r => r.Version is null ? null : DeclaredRow(r.Version))
                .FirstOrDefault(r => r is not null);
        }

        /// <summary>The version part for a reference: restored (exact), else declared; a warning when neither is known.</summary>
        public (string? Spec, string Origin) VersionFor(ActiveReference reference)
        {
            var where = $"{Path.GetFileName(reference.Location.File)}:{reference.Location.Line}";
            if (!fromHistory && Restored(reference.Id) is { } restored)
            {
                return (CondaSpecText.Exact(restored), $"{reference.Id} ({where}), restored {restored.ToNormalizedString()}");
            }

            if (reference.Version is null)
            {
                warnings.Add(ExportMessages.UnknownVersion(reference.Location, reference.Id, "no Version, VersionOverride or central PackageVersion with a known value"));
                return ("", $"{reference.Id} ({where})");
            }

            var spec = fromHistory ? CondaSpecText.FromNuGetRange(reference.Version) : CondaSpecText.PinnedByDeclaration(reference.Version) ?? CondaSpecText.FromNuGetRange(reference.Version);
            if (spec is null)
            {
                warnings.Add(ExportMessages.UnknownVersion(reference.Location, reference.Id, $"'{reference.Version}' is not a NuGet version range"));
                return ("", $"{reference.Id} ({where})");
            }

            return (spec, $"{reference.Id} {reference.Version} ({where})");
        }
    }

    /// <summary>
    /// The row of the TorchSharp release restore picks for declared version text: a plain version is NuGet's "at least",
    /// and restore takes the lowest release that satisfies it, so <c>0.105.1</c> is the 0.105.0–0.105.1 row (CUDA 12.1),
    /// not the newest row the range reaches; a floating version (<c>0.*</c>) takes the highest.
    /// </summary>
    internal static StackMatrixRow? DeclaredRow(string text)
    {
        if (NuGetVersion.TryParse(text.Trim(), out var plain))
        {
            return StackMatrix.RowOf(plain);
        }

        if (!VersionRange.TryParse(text.Trim(), allowFloating: true, out var range))
        {
            return null;
        }

        var reached = StackMatrix.Rows.Where(r => Versioning.VersionRanges.Intersect(range, r.TorchSharp) is not null);
        return range.IsFloating ? reached.FirstOrDefault() : reached.LastOrDefault();
    }

    private static (string TargetFramework, string Framework) ChooseFramework(ProjectFiles files, PlatformView view, List<Diagnostic> warnings)
    {
        var written = new[] { "TargetFrameworks", "TargetFramework" }
            .Select(p => view.Properties.TryGetValue(p, out var v) ? v : null)
            .FirstOrDefault(v => !string.IsNullOrWhiteSpace(v)) ?? "";
        var candidates = written.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => (Text: t, Parsed: NuGetFramework.Parse(t)))
            .Where(t => t.Parsed.Framework == FrameworkConstants.FrameworkIdentifiers.NetCoreApp && t.Parsed.Version.Major >= 5)
            .OrderByDescending(t => t.Parsed.Version)
            .ToList();
        if (candidates.Count == 0)
        {
            throw new TorchEnvException(ExportMessages.UnsupportedFramework(files.Project, written));
        }

        var chosen = candidates[0];
        var framework = new NuGetFramework(chosen.Parsed.Framework, chosen.Parsed.Version).GetShortFolderName();
        if (written.Contains(';', StringComparison.Ordinal))
        {
            warnings.Add(ExportMessages.SeveralFrameworks(written, framework));
        }

        return (chosen.Text, framework);
    }

    /// <summary>The platforms libtorch-cpu (and so TorchSharp-cpu) brings: the row's, without win-arm64 (not in the published meta package).</summary>
    private static IReadOnlyList<string> CpuMetaPlatforms(StackMatrixRow? row) =>
        row is null ? ["linux-x64", "osx-arm64", "win-x64"] : row.Platforms.Where(p => p != "win-arm64").ToList();

    private static List<Group> GroupPlatforms(Context context, IReadOnlyList<PlatformView> views, StackMatrixRow? row)
    {
        var anyRuntime = views.Any(v => v.References.Any(r => StackReference.Classify(r.Id).IsRuntime));
        var anyTorchSharp = views.Any(v => v.References.Any(r => StackReference.Classify(r.Id).Role == StackRole.TorchSharp));
        if (!anyRuntime && !anyTorchSharp)
        {
            throw new TorchEnvException(ExportMessages.NoTorchSharp(context.Files.Project));
        }

        var groups = new List<Group>();
        foreach (var view in views)
        {
            if (!IsTargeted(view))
            {
                continue;
            }

            string? cpu = null;
            (string Id, string? Cuda, Diagnostics.SourceLocation At)? cuda = null;
            foreach (var reference in view.References)
            {
                var stack = StackReference.Classify(reference.Id);
                var covers = stack.Role is StackRole.CpuBundle or StackRole.LibTorchCpu
                    ? CpuMetaPlatforms(row).Contains(view.Platform)
                    : stack.IsRuntime && stack.Platform == view.Platform;
                if (!covers)
                {
                    continue;
                }

                if (stack.IsCuda)
                {
                    cuda ??= (reference.Id, stack.Cuda ?? CudaOfBundle(context, view.Platform, row), reference.Location);
                }
                else
                {
                    cpu ??= reference.Id;
                }

                if (cpu is not null && cuda is not null)
                {
                    throw new TorchEnvException(ExportMessages.TwoRuntimes(reference.Location, view.Platform, cpu, cuda.Value.Id));
                }
            }

            // TorchSharp alone brings no libtorch: the spec's default, the CPU build, on the platforms libtorch-cpu covers.
            if (cpu is null && cuda is null && !anyRuntime && CpuMetaPlatforms(row).Contains(view.Platform))
            {
                cpu = "TorchSharp";
            }

            var device = cuda is null ? cpu is null ? null : "cpu" : "cuda";
            if (device is null)
            {
                continue;
            }

            var key = cuda?.Cuda;
            var group = groups.FirstOrDefault(g => g.Device == device && g.Cuda == key);
            if (group is null)
            {
                groups.Add(group = new Group(device, key, []));
            }

            group.Platforms.Add(view.Platform);
        }

        if (groups.Count == 0)
        {
            throw new TorchEnvException(ExportMessages.NoTorchSharp(context.Files.Project));
        }

        foreach (var group in groups)
        {
            group.Platforms.Sort(StringComparer.Ordinal);
        }

        return groups.OrderBy(g => g.Device == "cpu" ? 0 : 1).ThenBy(g => g.Cuda, StringComparer.Ordinal).ToList();
    }

    /// <summary>False when the project restricts itself to runtime identifiers that exclude the view's platform.</summary>
    private static bool IsTargeted(PlatformView view)
    {
        if (view.Properties.TryGetValue("RuntimeIdentifiers", out var many) && many.Length > 0)
        {
            return many.Split(';', StringSplitOptions.TrimEntries).Contains(view.Platform, StringComparer.OrdinalIgnoreCase);
        }

        return !view.Properties.TryGetValue("RuntimeIdentifier", out var one) || one.Length == 0
            || string.Equals(one, view.Platform, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The CUDA version of a TorchSharp-cuda-* bundle: from the restored libtorch-cuda package, else the matrix row.</summary>
    private static string? CudaOfBundle(Context context, string platform, StackMatrixRow? row)
    {
        var restored = context.FromHistory ? null : StackMatrix.Rows.Select(r => r.Cuda).Distinct()
            .FirstOrDefault(cuda => context.Restored($"libtorch-cuda-{cuda}-{platform}") is not null);
        return restored ?? row?.Cuda;
    }

    private static List<Line> GroupLines(Context context, IReadOnlyList<PlatformView> views, Group group, StackMatrixRow? row)
    {
        var lines = new List<Line>();
        var sdk = SdkLine(context);
        if (sdk is not null)
        {
            lines.Add(sdk);
        }

        var references = views.SelectMany(v => v.References.Select(r => (View: v, Reference: r)))
            .GroupBy(x => x.Reference.Id, StringComparer.OrdinalIgnoreCase)
            .Select(g => (First: g.First().Reference, Platforms: g.Select(x => x.View.Platform).Distinct().ToList()))
            .ToList();

        // torchsharp: the core package's version (restored), else the first TorchSharp / bundle reference's.
        var torchSharp = references.Select(r => r.First).FirstOrDefault(r => StackReference.Classify(r.Id).Role == StackRole.TorchSharp)
            ?? references.Select(r => r.First).FirstOrDefault(r => StackReference.Classify(r.Id).Role is StackRole.CpuBundle or StackRole.CudaBundle);
        if (torchSharp is not null)
        {
            var (spec, origin) = !context.FromHistory && context.Restored("TorchSharp") is { } core
                ? (CondaSpecText.Exact(core), $"TorchSharp, restored {core.ToNormalizedString()} (through {torchSharp.Id})")
                : context.VersionFor(torchSharp);
            lines.Add(new Line("torchsharp", spec ?? "", origin, false));
        }

        var libTorch = references.Select(r => r.First).FirstOrDefault(r => StackReference.Classify(r.Id).IsLibTorch);
        if (libTorch is not null)
        {
            var (spec, origin) = context.VersionFor(libTorch);
            lines.Add(new Line("libtorch", spec ?? "", origin, false));
        }
        else if (row is null && !context.FromHistory && RestoredLibTorch(context, group) is { } restoredLibTorch)
        {
            // A TorchSharp the matrix does not know plans only with libtorch pinned: take the one restore chose.
            lines.Add(new Line("libtorch", CondaSpecText.Exact(restoredLibTorch.Version), $"{restoredLibTorch.Id}, restored {restoredLibTorch.Version.ToNormalizedString()}", false));
        }

        if (group.Device == "cpu")
        {
            lines.Add(new Line("cpu", "", "CPU build of libtorch", false));
        }
        else
        {
            lines.Add(new Line("cuda", group.Cuda is null ? "" : "=" + group.Cuda, $"CUDA build of libtorch on {string.Join(", ", group.Platforms)}", false));
            if (!context.FromHistory && row is { IsKnown: true } known && known.Cuda == group.Cuda)
            {
                lines.Add(new Line("cudnn", "=" + known.CudnnMajor.ToString(System.Globalization.CultureInfo.InvariantCulture), $"cuDNN {known.CudnnMajor} bundled with libtorch {known.LibTorch.ToNormalizedString()} (stack matrix)", false));
            }
        }

        foreach (var (reference, platforms) in references)
        {
            var role = StackReference.Classify(reference.Id).Role;
            if (role == StackRole.TorchVision)
            {
                var (spec, origin) = context.VersionFor(reference);
                lines.Add(new Line("torchvision", spec ?? "", origin, false));
            }
            else if (role == StackRole.None)
            {
                if (platforms.Count < group.Platforms.Count)
                {
                    context.Warnings.Add(ExportMessages.PartialReference(reference.Location, reference.Id, platforms));
                }

                var (spec, origin) = context.VersionFor(reference);
                lines.Add(new Line("nuget:" + reference.Id, spec ?? "", origin, true));
            }
        }

        return lines;
    }

    private static (string Id, NuGetVersion Version)? RestoredLibTorch(Context context, Group group)
    {
        foreach (var platform in group.Platforms)
        {
            var id = group.Cuda is null ? $"libtorch-cpu-{platform}" : $"libtorch-cuda-{group.Cuda}-{platform}";
            if (context.Restored(id) is { } version)
            {
                return (id, version);
            }
        }

        return null;
    }

    /// <summary>
    /// <c>dotnet-sdk</c>: exact from the SDK that restored (assets), else global.json's <c>sdk.version</c> — exact, or with
    /// <c>--from-history</c> the range its <c>rollForward</c> policy allows; null when neither says.
    /// </summary>
    private static Line? SdkLine(Context context)
    {
        if (context.RestoredSdk is { } restored)
        {
            return new Line("dotnet-sdk", "==" + restored, "the .NET SDK that restored (project.assets.json)", false);
        }

        if (context.Files.GlobalJson is not { } globalJson)
        {
            return null;
        }

        var (version, rollForward) = GlobalJsonSdk.Read(globalJson);
        if (version is null)
        {
            return null;
        }

        var where = Path.GetFileName(globalJson);
        return context.FromHistory
            ? new Line("dotnet-sdk", GlobalJsonSdk.ToCondaRange(version, rollForward), $"{where}: sdk {version.ToNormalizedString()}, rollForward {rollForward}", false)
            : new Line("dotnet-sdk", CondaSpecText.Exact(version), $"{where}: sdk {version.ToNormalizedString()}", false);
    }

    private static IReadOnlyList<string> VariantNames(IReadOnlyList<Group> groups)
    {
        var names = groups.Select(g => g.Device).ToList();
        return names.Select((n, i) => names.Count(x => x == n) > 1 ? $"{n}{groups[i].Cuda?.Replace(".", "", StringComparison.Ordinal)}" : n).ToList();
    }

    /// <summary>The enabled NuGet sources of the project's NuGet.config: by name beside the project, by URL or path elsewhere.</summary>
    private static IReadOnlyList<string> Channels(ProjectFiles files, string output)
    {
        var folder = Path.GetDirectoryName(files.Project)!;
        var settings = Settings.LoadDefaultSettings(folder);
        var sources = new PackageSourceProvider(settings).LoadPackageSources().Where(s => s.IsEnabled).ToList();
        var byName = string.Equals(Path.GetDirectoryName(output), folder, StringComparison.Ordinal);
        return sources.Select(s => byName ? s.Name : s.Source).Distinct(StringComparer.Ordinal).ToList();
    }

    private static string Render(
        Context context, string name, IReadOnlyList<string> channels, string framework, IReadOnlyList<string>? platforms,
        IReadOnlyList<(string? Variant, Line Line)> lines, IReadOnlyList<ExportedVariant> variants, bool fromHistory)
    {
        var text = new System.Text.StringBuilder();
        void Append(string line) => text.Append(line).Append('\n');
        var source = Path.GetFileName(context.Files.Project);
        var how = fromHistory ? " (--from-history: the versions the project declares)"
            : context.Restored("TorchSharp") is not null ? ", pinned to the versions restore chose"
            : " (not restored: declared versions pinned)";
        Append($"# Exported by `torchenv export` from {source}{how}.");
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

    private static void WriteDependencies(IReadOnlyList<Line> lines, string indent, Action<string> append)
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
                append($"{indent}    - {Yaml(line.Key["nuget:".Length..] + line.Spec)}  # {line.Origin}");
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
