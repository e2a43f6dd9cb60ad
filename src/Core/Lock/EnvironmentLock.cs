using TorchEnv.Core.Diagnostics;

namespace TorchEnv.Core.Lock;

/// <summary>
/// The content of <c>environment.lock.yml</c>: for every variant × platform of the spec, every package of the
/// transitive closure pinned with its SHA-512, the resolved native stack and the host requirements computed from
/// the locked binaries. Serialised deterministically (stable order, no timestamps) so that locking twice gives
/// byte-identical files.
/// </summary>
public sealed record EnvironmentLock
{
    /// <summary>The lock format this tool writes. Readers reject a newer format with a clear message.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>Format version of this lock.</summary>
    public required int FormatVersion { get; init; }

    /// <summary>Version of the torchenv that wrote it (informational; does not make a lock stale).</summary>
    public required string ToolVersion { get; init; }

    /// <summary>Name of the environment (the spec's <c>name:</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Where <c>name:</c>'s value is in the lock file (set by the reader, null for a lock built in memory).</summary>
    public SourceLocation? NameLocation { get; init; }

    /// <summary>One entry per variant × platform, ordered by variant (spec order) then platform (ordinal).</summary>
    public required IReadOnlyList<LockedEnvironment> Environments { get; init; }

    /// <summary>The entry of a variant × platform, or null.</summary>
    public LockedEnvironment? Find(string variant, string platform) =>
        Environments.FirstOrDefault(e =>
            string.Equals(e.Variant, variant, StringComparison.OrdinalIgnoreCase)
            && string.Equals(e.Platform, platform, StringComparison.OrdinalIgnoreCase));
}

/// <summary>The lock of one variant × platform.</summary>
public sealed record LockedEnvironment
{
    /// <summary>Variant name.</summary>
    public required string Variant { get; init; }

    /// <summary>Runtime identifier.</summary>
    public required string Platform { get; init; }

    /// <summary>The <see cref="Stack.StackPlan.SpecHash"/> this entry was resolved from (staleness check).</summary>
    public required string SpecHash { get; init; }

    /// <summary>Target framework whose dependency groups were resolved, e.g. <c>net10.0</c>.</summary>
    public required string Framework { get; init; }

    /// <summary>The resolved native stack.</summary>
    public required LockedStack Stack { get; init; }

    /// <summary>What the host must provide for the locked native binaries to load.</summary>
    public required HostRequirements Host { get; init; }

    /// <summary>Every package of the closure, ordered by id (ordinal, case-insensitive).</summary>
    public required IReadOnlyList<LockedPackage> Packages { get; init; }

    /// <summary>
    /// The root requirements this entry was resolved from, in the plan's order, each with the spec line that asked for
    /// it, so that <c>torchenv why</c> can show "spec line → root → … → package".
    /// </summary>
    public IReadOnlyList<LockedRoot> Roots { get; init; } = [];

    /// <summary>
    /// Dependencies that <c>dotnet restore</c> prunes because the target framework already provides them
    /// (e.g. <c>System.Memory</c> on net10.0), ordered by id. They appear in packages' dependency lists but are not locked.
    /// </summary>
    public IReadOnlyList<PrunedPackage> Pruned { get; init; } = [];

    /// <summary>Where this entry starts in the lock file (set by the reader, null for a lock built in memory).</summary>
    public SourceLocation? Location { get; init; }

    /// <summary>Where the <c>stack:</c> section's content starts in the lock file (set by the reader).</summary>
    public SourceLocation? StackLocation { get; init; }

    /// <summary>Where the <c>host:</c> section's content starts in the lock file (set by the reader).</summary>
    public SourceLocation? HostLocation { get; init; }

    /// <summary>The package with this id (case-insensitive), or null.</summary>
    public LockedPackage? Find(string id) =>
        Packages.FirstOrDefault(p => string.Equals(p.Id, id, StringComparison.OrdinalIgnoreCase));

    /// <summary>The variant × platform key, e.g. <c>cpu/linux-x64</c>, for messages.</summary>
    public string Key => Variant + "/" + Platform;
}

/// <summary>A root requirement of a locked environment: a package the stack plan asked for directly.</summary>
/// <param name="Id">Package id.</param>
/// <param name="Range">The allowed versions in NuGet's normalised form, e.g. <c>[0.107.0, 0.107.0]</c>.</param>
/// <param name="Reason">Why it is a root: the spec line and the stack-matrix step (the planner's <see cref="Stack.PackageRequirement.Reason"/>).</param>
public sealed record LockedRoot(string Id, string Range, string Reason);

/// <summary>A dependency left out of the lock because the target framework provides it (restore's package pruning).</summary>
/// <param name="Id">Package id.</param>
/// <param name="ProvidedVersion">The highest version the framework provides; dependencies asking for at most this version are pruned.</param>
public sealed record PrunedPackage(string Id, string ProvidedVersion);

/// <summary>
/// The stack as resolved and as found in the packages: CUDA and cuDNN versions are read from the package files
/// (e.g. <c>libcudnn*.so.9</c>), not copied from the spec.
/// </summary>
public sealed record LockedStack
{
    /// <summary>TorchSharp version, e.g. <c>0.107.0</c>.</summary>
    public required string TorchSharp { get; init; }

    /// <summary>libtorch package version, e.g. <c>2.10.0</c>.</summary>
    public required string LibTorch { get; init; }

    /// <summary><c>cpu</c> or <c>cuda</c>.</summary>
    public required string Device { get; init; }

    /// <summary>CUDA version found (e.g. <c>12.8</c>), null for CPU.</summary>
    public string? Cuda { get; init; }

    /// <summary>cuDNN version found in the packages (at least the major, e.g. <c>9</c>), null when none is bundled.</summary>
    public string? Cudnn { get; init; }

    /// <summary>
    /// For CUDA: the GPU architectures the locked libtorch has kernels for (<c>sm_80</c>; PTX as <c>compute_120</c>),
    /// ascending, from the stack matrix row of the locked TorchSharp. Empty for CPU, for a row the matrix does not know,
    /// and in locks written before the field existed (readers then fall back to the matrix, see
    /// <see cref="Stack.StackMatrix.CudaArchitecturesOf"/>).
    /// </summary>
    public IReadOnlyList<string> CudaArchitectures { get; init; } = [];

    /// <summary>The .NET SDK version the lock pins, null when the spec does not constrain it.</summary>
    public string? DotnetSdk { get; init; }

    /// <summary>TorchVision version, null when not in the spec.</summary>
    public string? TorchVision { get; init; }
}

/// <summary>
/// Minimum host versions computed from the ELF version needs of the locked native binaries (Linux platforms),
/// and the NVIDIA driver minimum for the locked CUDA. Null members mean "no requirement".
/// </summary>
public sealed record HostRequirements
{
    /// <summary>No requirement at all (non-Linux CPU platforms).</summary>
    public static readonly HostRequirements None = new();

    /// <summary>Highest <c>GLIBC_x.y</c> needed, e.g. <c>2.34</c>.</summary>
    public string? Glibc { get; init; }

    /// <summary>Highest <c>GLIBCXX_x.y.z</c> needed, e.g. <c>3.4.32</c>.</summary>
    public string? Glibcxx { get; init; }

    /// <summary>Highest <c>CXXABI_x.y.z</c> needed, e.g. <c>1.3.13</c>.</summary>
    public string? Cxxabi { get; init; }

    /// <summary>Minimum NVIDIA driver for the locked CUDA (e.g. <c>525.60.13</c> for CUDA 12.x on Linux).</summary>
    public string? NvidiaDriver { get; init; }

    /// <summary>
    /// For each needed version, the locked file that needs it (package id and path inside the package), so that a
    /// gap can be explained: e.g. <c>GLIBCXX_3.4.32</c> → <c>TorchSharp/runtimes/linux-x64/native/libLibTorchSharp.so</c>.
    /// Ordered by version name.
    /// </summary>
    public IReadOnlyList<NativeNeed> Needs { get; init; } = [];
}

/// <summary>One symbol version a locked native file needs.</summary>
/// <param name="Version">Version name, e.g. <c>GLIBCXX_3.4.32</c>.</param>
/// <param name="Library">The library that must define it, e.g. <c>libstdc++.so.6</c>.</param>
/// <param name="Package">The package that carries the file.</param>
/// <param name="File">Path of the file inside the package.</param>
public sealed record NativeNeed(string Version, string Library, string Package, string File);

/// <summary>One locked package.</summary>
public sealed record LockedPackage
{
    /// <summary>Package id with NuGet's casing.</summary>
    public required string Id { get; init; }

    /// <summary>Exact normalised version.</summary>
    public required string Version { get; init; }

    /// <summary>The source it was resolved from (URL or local folder path, as in NuGet.config).</summary>
    public required string Source { get; init; }

    /// <summary>SHA-512 of the .nupkg, base64, exactly as NuGet records <c>contentHash</c> in <c>.nupkg.metadata</c>.</summary>
    public required string Sha512 { get; init; }

    /// <summary>The package's dependencies for the locked framework, ordered by id, with the ranges its nuspec declares.</summary>
    public required IReadOnlyList<LockedDependency> Dependencies { get; init; }

    /// <summary>Where this package's entry is in the lock file (set by the reader).</summary>
    public SourceLocation? Location { get; init; }
}

/// <summary>A dependency as the package's nuspec declares it.</summary>
/// <param name="Id">Dependency id.</param>
/// <param name="Range">NuGet range in normalised form, e.g. <c>[3.21.9, )</c>.</param>
public sealed record LockedDependency(string Id, string Range);
