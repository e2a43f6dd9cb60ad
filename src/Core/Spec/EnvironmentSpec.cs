using TorchEnv.Core.Diagnostics;

namespace TorchEnv.Core.Spec;

/// <summary>
/// A parsed and validated <c>environment.yml</c>: conda's shape (name, channels, dependencies, platforms)
/// plus TorchEnv's <c>policy</c> and named variants. Produced only by the spec parser, so every value
/// here has already been checked and carries the location it came from.
/// </summary>
public sealed record EnvironmentSpec
{
    /// <summary>Full path of the spec file.</summary>
    public required string FilePath { get; init; }

    /// <summary>The environment's name, by convention <c>&lt;project&gt;_&lt;framework&gt;_&lt;device&gt;</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Where the name's value is written (for the naming-convention warning); null for a spec built in memory.</summary>
    public SourceLocation? NameLocation { get; init; }

    /// <summary>NuGet sources in the order written; empty means "the sources of NuGet.config".</summary>
    public required IReadOnlyList<ChannelSpec> Channels { get; init; }

    /// <summary>Research (ranges allowed) or production (key components pinned exactly, HTTPS only).</summary>
    public required EnvironmentPolicy Policy { get; init; }

    /// <summary>
    /// The variants with their effective dependencies and platforms (top-level entries merged in).
    /// Never empty: a spec without <c>variants:</c> has one variant named after its device (<c>cpu</c> or <c>cuda</c>).
    /// The first one is the default variant.
    /// </summary>
    public required IReadOnlyList<VariantSpec> Variants { get; init; }

    /// <summary>
    /// Every dependency as written, the top-level ones first, then each variant's own: for checks of what the user
    /// wrote (<c>policy: production</c>), where <see cref="Variants"/> hold the merged lists.
    /// </summary>
    public IReadOnlyList<DependencySpec> WrittenDependencies { get; init; } = [];

    /// <summary>The default variant (the first).</summary>
    public VariantSpec DefaultVariant => Variants[0];

    /// <summary>Finds a variant by name (ordinal, case-insensitive), or null.</summary>
    public VariantSpec? FindVariant(string name) =>
        Variants.FirstOrDefault(v => string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>How strictly versions must be pinned.</summary>
public enum EnvironmentPolicy
{
    /// <summary>Ranges allowed (<c>torchsharp=0.107.*</c>), like a research project that accepts minor updates.</summary>
    Research,

    /// <summary>torchsharp, cuda, cudnn and dotnet-sdk must be pinned exactly; every source must be HTTPS or a local folder.</summary>
    Production,
}

/// <summary>One entry of <c>channels:</c>: a source name from NuGet.config, an URL or a local folder.</summary>
/// <param name="Value">As written.</param>
/// <param name="Location">Where it was written.</param>
public sealed record ChannelSpec(string Value, SourceLocation Location)
{
    /// <summary>What <see cref="Value"/> is: an http(s) URL, a local folder path, or else a source name from NuGet.config.</summary>
    public ChannelKind Kind => ChannelClassifier.Classify(Value);

    /// <summary>
    /// For a <see cref="ChannelKind.LocalFolder"/>: the full path, relative paths taken from the spec's folder
    /// (and <c>~</c> from the user's home), so the same spec works from any working directory.
    /// </summary>
    public string ResolveFolder() => ChannelClassifier.ResolveFolder(Value, Location.File);
}

/// <summary>What a <see cref="ChannelSpec"/> names.</summary>
public enum ChannelKind
{
    /// <summary>The key of a <c>packageSources</c> entry in NuGet.config, e.g. <c>nuget.org</c>; the resolver maps it.</summary>
    SourceName,

    /// <summary>An <c>http://</c> or <c>https://</c> URL (a V3 <c>index.json</c> or a V2 feed).</summary>
    Url,

    /// <summary>A local folder feed: a path with a slash, or starting with <c>.</c>, <c>~</c> or a drive letter.</summary>
    LocalFolder,
}

/// <summary>A named variant (pixi's "environment"): e.g. <c>cpu</c> for CI and <c>cuda</c> for training machines.</summary>
public sealed record VariantSpec
{
    /// <summary>Variant name, e.g. <c>cpu</c>, <c>cuda</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Runtime identifiers (<c>linux-x64</c>, <c>win-x64</c>, <c>osx-arm64</c>, <c>win-arm64</c>) this variant is locked for.</summary>
    public required IReadOnlyList<string> Platforms { get; init; }

    /// <summary>Effective dependencies: the top-level ones with this variant's entries added or overriding by name.</summary>
    public required IReadOnlyList<DependencySpec> Dependencies { get; init; }

    /// <summary>Where the variant is declared (the spec's <c>dependencies:</c> key for the implicit variant).</summary>
    public required SourceLocation Location { get; init; }

    /// <summary>
    /// Target framework whose NuGet dependency groups are resolved: the spec's <c>framework:</c>, else
    /// <c>net&lt;major&gt;.0</c> from this variant's <c>dotnet-sdk</c>, else <c>net10.0</c>.
    /// </summary>
    public NuGet.Frameworks.NuGetFramework Framework { get; init; } = DefaultFramework;

    /// <summary>Where each platform of <see cref="Platforms"/> is written (for errors about one platform); may be empty.</summary>
    public IReadOnlyDictionary<string, SourceLocation> PlatformLocations { get; init; } = new Dictionary<string, SourceLocation>();

    /// <summary>The framework of a spec that says nothing about .NET: <c>net10.0</c>.</summary>
    public static NuGet.Frameworks.NuGetFramework DefaultFramework { get; } = NuGet.Frameworks.NuGetFramework.Parse("net10.0");

    /// <summary>The dependency of a kind, or null (for kinds that occur at most once: everything but NuGet).</summary>
    public DependencySpec? Find(DependencyKind kind) => Dependencies.FirstOrDefault(d => d.Kind == kind);

    /// <summary>True when the variant asks for CUDA (<c>cuda=…</c>); false for <c>cpu</c>.</summary>
    public bool IsCuda => Find(DependencyKind.Cuda) is not null;
}

/// <summary>What a dependency line names.</summary>
public enum DependencyKind
{
    /// <summary><c>dotnet-sdk=10.0.*</c>: the .NET SDK (not a NuGet package).</summary>
    DotnetSdk,

    /// <summary><c>torchsharp=0.107.*</c>.</summary>
    TorchSharp,

    /// <summary><c>libtorch=2.10.0</c>: optional, normally derived from TorchSharp through the stack matrix.</summary>
    LibTorch,

    /// <summary><c>cuda=12.8</c>: the CUDA build of libtorch.</summary>
    Cuda,

    /// <summary><c>cpu</c>: the CPU build of libtorch (the default when neither cpu nor cuda is given).</summary>
    Cpu,

    /// <summary><c>cudnn=9</c>: a constraint on the cuDNN bundled in the CUDA libtorch packages.</summary>
    Cudnn,

    /// <summary><c>torchvision=0.107.0</c>: the TorchVision package.</summary>
    TorchVision,

    /// <summary>An entry of the <c>nuget:</c> sub-list: any other NuGet package.</summary>
    NuGet,
}

/// <summary>One dependency line, with its conda match spec mapped onto a NuGet version range.</summary>
public sealed record DependencySpec
{
    /// <summary>What the line names.</summary>
    public required DependencyKind Kind { get; init; }

    /// <summary>
    /// The name: the well-known key in lower case (<c>torchsharp</c>, <c>cuda</c>, …) or, for <see cref="DependencyKind.NuGet"/>,
    /// the package id as written.
    /// </summary>
    public required string Name { get; init; }

    /// <summary>The version part exactly as written (<c>0.107.*</c>, <c>&gt;=1.2,&lt;2</c>), or null when none was given.</summary>
    public string? VersionText { get; init; }

    /// <summary>The NuGet range the conda spec maps to (<see cref="NuGet.Versioning.VersionRange.All"/> when none was given).</summary>
    public required NuGet.Versioning.VersionRange Range { get; init; }

    /// <summary>True when the spec pins one exact version (<c>==1.2.3</c>, or <c>=1.2.3</c> with every part given).</summary>
    public bool IsExactPin => Range.IsFloating is false && Range.HasLowerAndUpperBounds
        && Range.IsMinInclusive && Range.IsMaxInclusive && Range.MinVersion == Range.MaxVersion;

    /// <summary>Where the line is.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary>The match spec exactly as written (<c>torchsharp=0.107.*</c>, <c>Spectre.Console=0.57.2</c>), for messages.</summary>
    public required string Text { get; init; }

    /// <inheritdoc />
    public override string ToString() => Text;
}
