using NuGet.Frameworks;
using NuGet.Versioning;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Spec;
using TorchEnv.Core.Stack;

namespace TorchEnv.Core.Export;

/// <summary>
/// One dependency line of a spec as read from one project.
/// </summary>
/// <param name="Key"><c>dotnet-sdk</c>, <c>torchsharp</c>, <c>libtorch</c>, <c>cpu</c>, <c>cuda</c>, <c>cudnn</c>, <c>torchvision</c> or <c>nuget:&lt;id&gt;</c>.</param>
/// <param name="Spec">The version part (<c>==0.107.0</c>, <c>=12.8</c>, empty).</param>
/// <param name="Origin">Where it came from, for the comment and the table (<c>TorchSharp-cpu 0.107.0 (Mnist.csproj:9)</c>).</param>
/// <param name="IsNuGet">True for a <c>nuget:</c> entry.</param>
internal sealed record ExportLine(string Key, string Spec, string Origin, bool IsNuGet)
{
    /// <summary>True for the lines that say which libtorch runtime a variant uses; they never leave their variant.</summary>
    public bool IsDeviceLine => Key is "cpu" or "cuda" or "cudnn" or "libtorch";

    /// <summary>The package id of a <c>nuget:</c> entry, else the key.</summary>
    public string Name => IsNuGet ? Key["nuget:".Length..] : Key;

    /// <summary>Same package and same version part.</summary>
    public bool SameAs(ExportLine other) => Key.Equals(other.Key, StringComparison.OrdinalIgnoreCase) && Spec == other.Spec;
}

/// <summary>Platforms that share one device in a project (a variant to be).</summary>
/// <param name="Device"><c>cpu</c> or <c>cuda</c>.</param>
/// <param name="Cuda">CUDA major.minor, null for CPU (or unknown).</param>
/// <param name="Platforms">The platforms, sorted.</param>
/// <param name="Implied">True when no runtime was referenced at all and CPU is TorchSharp's default, not the project's choice.</param>
internal sealed record ExportGroup(string Device, string? Cuda, List<string> Platforms, bool Implied)
{
    /// <summary>The device as a key: <c>cpu</c>, <c>cuda=12.8</c>.</summary>
    public string Key => Cuda is null ? Device : Device + "=" + Cuda;
}

/// <summary>What one project contributes to an export: its groups of platforms with their lines, or nothing.</summary>
internal sealed class ProjectAnalysis
{
    private ProjectAnalysis(ProjectFiles files)
    {
        Files = files;
    }

    /// <summary>The project's files.</summary>
    public ProjectFiles Files { get; }

    /// <summary>True when the project references a TorchSharp or libtorch package itself (or through Directory.*.props).</summary>
    public bool UsesTorchSharp { get; private set; }

    /// <summary>The projects it references (<c>ProjectReference</c>), full paths.</summary>
    public IReadOnlyList<string> ProjectReferences { get; private set; } = [];

    /// <summary>The target framework as written (<c>net10.0</c>), null when it has no .NET 5+ one.</summary>
    public string? TargetFramework { get; private set; }

    /// <summary>The target framework as a short folder name for <c>framework:</c>, null with <see cref="TargetFramework"/>.</summary>
    public string? Framework { get; private set; }

    /// <summary>The assets file read, null when not restored or with --from-history.</summary>
    public RestoredAssets? Assets { get; private set; }

    /// <summary>True when the assets file shows the TorchSharp restore chose.</summary>
    public bool RestoredTorchSharp { get; private set; }

    /// <summary>Groups of platforms with their lines (empty unless <see cref="UsesTorchSharp"/>).</summary>
    public IReadOnlyList<(ExportGroup Group, IReadOnlyList<ExportLine> Lines)> Groups { get; private set; } = [];

    /// <summary>Lines for the packages that are not TorchSharp's (<c>nuget:</c>) and the SDK, for a project that reaches TorchSharp through a reference.</summary>
    public IReadOnlyList<ExportLine> OtherLines { get; private set; } = [];

    /// <summary>Every package id the project references on some platform.</summary>
    public IReadOnlySet<string> ReferencedIds { get; private set; } = new HashSet<string>();

    /// <summary>
    /// Reads the project; a project that references no TorchSharp package comes back with <see cref="UsesTorchSharp"/>
    /// false. Warnings go to <paramref name="warnings"/> only for projects that use TorchSharp (and
    /// <see cref="ReadOtherLines"/>). <paramref name="required"/>: the project was named on its own, so a missing .NET 5+
    /// target framework is its error (TENV0547) rather than left to the other projects.
    /// </summary>
    public static ProjectAnalysis Analyze(ProjectFiles files, bool fromHistory, ICollection<Diagnostic> warnings, bool required)
    {
        var analysis = new ProjectAnalysis(files);
        var probe = new ProjectEvaluator(files, new List<Diagnostic>());
        var probeViews = KnownPlatforms.All.Select(p => probe.Evaluate(p, null)).ToList();
        analysis.ProjectReferences = probeViews.SelectMany(v => v.ProjectReferences).Distinct(StringComparer.Ordinal).ToList();
        analysis.ReferencedIds = probeViews.SelectMany(v => v.References.Select(r => r.Id)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        analysis.UsesTorchSharp = probeViews.Any(v => v.References.Any(r => StackReference.Classify(r.Id).Role != StackRole.None));
        if (!analysis.UsesTorchSharp)
        {
            return analysis;
        }

        var context = analysis.Read(fromHistory, warnings, required);
        var row = context.Row(context.Views);
        var groups = GroupPlatforms(context, context.Views, row);
        analysis.Groups = groups.Select(g => (g, (IReadOnlyList<ExportLine>)GroupLines(context, context.Views.Where(v => g.Platforms.Contains(v.Platform)).ToList(), g, row))).ToList();
        return analysis;
    }

    /// <summary>
    /// For a project that reaches TorchSharp only through a project reference: its other packages and SDK, which the
    /// shared lock must supply once the project builds on TorchEnv.Sdk.
    /// </summary>
    public void ReadOtherLines(bool fromHistory, ICollection<Diagnostic> warnings)
    {
        var context = Read(fromHistory, warnings, required: false);
        var lines = new List<ExportLine>();
        if (SdkLine(context) is { } sdk)
        {
            lines.Add(sdk);
        }

        foreach (var reference in context.Views.SelectMany(v => v.References).DistinctBy(r => r.Id, StringComparer.OrdinalIgnoreCase))
        {
            var (spec, origin) = context.VersionFor(reference);
            lines.Add(new ExportLine("nuget:" + reference.Id, spec ?? "", origin, true));
        }

        if (ImplicitFSharpCoreLine(context, context.Views) is { } fsharpCore)
        {
            lines.Add(fsharpCore);
        }

        OtherLines = lines;
    }

    private Context Read(bool fromHistory, ICollection<Diagnostic> warnings, bool required)
    {
        var evaluator = new ProjectEvaluator(Files, warnings);
        (TargetFramework, Framework) = ChooseFramework(Files, evaluator.Evaluate("linux-x64", null), warnings, required);
        Assets = fromHistory ? null : RestoredAssets.TryRead(Files.AssetsFile);
        if (!fromHistory && Assets is null)
        {
            warnings.Add(ExportMessages.NotRestored(Files.AssetsFile));
        }

        var views = KnownPlatforms.All.Select(p => evaluator.Evaluate(p, TargetFramework)).ToList();
        var context = new Context(Files, fromHistory, Assets, TargetFramework ?? "", warnings, views);
        RestoredTorchSharp = context.Restored("TorchSharp") is not null;
        return context;
    }

    /// <summary>State shared by the steps of one project's export.</summary>
    private sealed class Context(
        ProjectFiles files, bool fromHistory, RestoredAssets? assets, string targetFramework, ICollection<Diagnostic> warnings, IReadOnlyList<PlatformView> views)
    {
        public ProjectFiles Files => files;

        public bool FromHistory => fromHistory;

        public ICollection<Diagnostic> Warnings => warnings;

        public IReadOnlyList<PlatformView> Views => views;

        public NuGetVersion? Restored(string id) => assets?.VersionOf(id, targetFramework);

        public string? RestoredSdk => fromHistory ? null : assets?.SdkVersion;

        /// <summary>
        /// The stack-matrix row of the TorchSharp version the project uses: the restored one, else the one restore would
        /// pick for the declared version (<see cref="DeclaredRow"/>); null when neither is known.
        /// </summary>
        public StackMatrixRow? Row(IReadOnlyList<PlatformView> platformViews)
        {
            if (Restored("TorchSharp") is { } restored)
            {
                return StackMatrix.RowOf(restored);
            }

            return platformViews.SelectMany(v => v.References)
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

    private static (string? TargetFramework, string? Framework) ChooseFramework(ProjectFiles files, PlatformView view, ICollection<Diagnostic> warnings, bool required)
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
            // In a solution, a netstandard library may sit beside the programs that give the framework.
            return required ? throw new TorchEnvException(ExportMessages.UnsupportedFramework(files.Project, written)) : (null, null);
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

    private static List<ExportGroup> GroupPlatforms(Context context, IReadOnlyList<PlatformView> views, StackMatrixRow? row)
    {
        var anyRuntime = views.Any(v => v.References.Any(r => StackReference.Classify(r.Id).IsRuntime));
        var anyTorchSharp = views.Any(v => v.References.Any(r => StackReference.Classify(r.Id).Role == StackRole.TorchSharp));
        if (!anyRuntime && !anyTorchSharp)
        {
            throw new TorchEnvException(ExportMessages.NoTorchSharp(context.Files.Project));
        }

        var groups = new List<ExportGroup>();
        foreach (var view in views)
        {
            if (!IsTargeted(view))
            {
                continue;
            }

            string? cpu = null;
            (string Id, string? Cuda, SourceLocation At)? cuda = null;
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
            var implied = cpu is null && cuda is null && !anyRuntime && CpuMetaPlatforms(row).Contains(view.Platform);
            if (implied)
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
                groups.Add(group = new ExportGroup(device, key, [], implied));
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

    private static List<ExportLine> GroupLines(Context context, IReadOnlyList<PlatformView> views, ExportGroup group, StackMatrixRow? row)
    {
        var lines = new List<ExportLine>();
        if (SdkLine(context) is { } sdk)
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
            lines.Add(new ExportLine("torchsharp", spec ?? "", origin, false));
        }

        var libTorch = references.Select(r => r.First).FirstOrDefault(r => StackReference.Classify(r.Id).IsLibTorch);
        if (libTorch is not null)
        {
            var (spec, origin) = context.VersionFor(libTorch);
            lines.Add(new ExportLine("libtorch", spec ?? "", origin, false));
        }
        else if (row is null && !context.FromHistory && RestoredLibTorch(context, group) is { } restoredLibTorch)
        {
            // A TorchSharp the matrix does not know plans only with libtorch pinned: take the one restore chose.
            lines.Add(new ExportLine("libtorch", CondaSpecText.Exact(restoredLibTorch.Version), $"{restoredLibTorch.Id}, restored {restoredLibTorch.Version.ToNormalizedString()}", false));
        }

        if (group.Device == "cpu")
        {
            lines.Add(new ExportLine("cpu", "", "CPU build of libtorch", false));
        }
        else
        {
            lines.Add(new ExportLine("cuda", group.Cuda is null ? "" : "=" + group.Cuda, $"CUDA build of libtorch on {string.Join(", ", group.Platforms)}", false));
            if (!context.FromHistory && row is { IsKnown: true } known && known.Cuda == group.Cuda)
            {
                lines.Add(new ExportLine("cudnn", "=" + known.CudnnMajor.ToString(System.Globalization.CultureInfo.InvariantCulture), $"cuDNN {known.CudnnMajor} bundled with libtorch {known.LibTorch.ToNormalizedString()} (stack matrix)", false));
            }
        }

        foreach (var (reference, platforms) in references)
        {
            var role = StackReference.Classify(reference.Id).Role;
            if (role == StackRole.TorchVision)
            {
                var (spec, origin) = context.VersionFor(reference);
                lines.Add(new ExportLine("torchvision", spec ?? "", origin, false));
            }
            else if (role == StackRole.None)
            {
                if (platforms.Count < group.Platforms.Count)
                {
                    context.Warnings.Add(ExportMessages.PartialReference(reference.Location, reference.Id, platforms));
                }

                var (spec, origin) = context.VersionFor(reference);
                lines.Add(new ExportLine("nuget:" + reference.Id, spec ?? "", origin, true));
            }
        }

        if (ImplicitFSharpCoreLine(context, views) is { } fsharpCore)
        {
            lines.Add(fsharpCore);
        }

        return lines;
    }

    /// <summary>
    /// An F# project restores FSharp.Core without referencing it: the F# SDK adds it at the version it ships. The lock
    /// must supply it too (a project on TorchEnv.Sdk restores exactly the lock; TENV0257 otherwise), so a restored F#
    /// project exports the version restore chose. Not restored, or with --from-history, it is not known (nothing declares
    /// it) and the line is left out; the build then names it (TENV0257). Null when the project references FSharp.Core
    /// itself (an ordinary line) or turns the implicit reference off.
    /// </summary>
    private static ExportLine? ImplicitFSharpCoreLine(Context context, IReadOnlyList<PlatformView> views)
    {
        const string id = "FSharp.Core";
        if (!context.Files.Project.EndsWith(".fsproj", StringComparison.OrdinalIgnoreCase) || context.FromHistory
            || views.Any(v => v.References.Any(r => r.Id.Equals(id, StringComparison.OrdinalIgnoreCase)))
            || views.Any(v => v.Properties.TryGetValue("DisableImplicitFSharpCoreReference", out var off) && off.Trim().Equals("true", StringComparison.OrdinalIgnoreCase))
            || context.Restored(id) is not { } restored)
        {
            return null;
        }

        return new ExportLine("nuget:" + id, CondaSpecText.Exact(restored), $"{id}, the F# SDK's implicit reference of {Path.GetFileName(context.Files.Project)}, restored {restored.ToNormalizedString()}", true);
    }

    private static (string Id, NuGetVersion Version)? RestoredLibTorch(Context context, ExportGroup group)
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
    private static ExportLine? SdkLine(Context context)
    {
        if (context.RestoredSdk is { } restored)
        {
            return new ExportLine("dotnet-sdk", "==" + restored, "the .NET SDK that restored (project.assets.json)", false);
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
            ? new ExportLine("dotnet-sdk", GlobalJsonSdk.ToCondaRange(version, rollForward), $"{where}: sdk {version.ToNormalizedString()}, rollForward {rollForward}", false)
            : new ExportLine("dotnet-sdk", CondaSpecText.Exact(version), $"{where}: sdk {version.ToNormalizedString()}", false);
    }
}
