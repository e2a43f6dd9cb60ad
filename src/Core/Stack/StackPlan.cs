using NuGet.Frameworks;
using NuGet.Versioning;

namespace TorchEnv.Core.Stack;

/// <summary>Which libtorch build a variant uses.</summary>
public enum ComputeDevice
{
    /// <summary>libtorch-cpu-&lt;rid&gt;.</summary>
    Cpu,

    /// <summary>libtorch-cuda-&lt;cuda&gt;-&lt;rid&gt; (and its part packages).</summary>
    Cuda,
}

/// <summary>
/// What one variant × platform of a spec needs before resolution: the root NuGet packages with their ranges
/// (chosen through the stack matrix), the expected native stack, and the hash of the normalised spec for this pair.
/// Produced by the stack planner from an <see cref="Spec.EnvironmentSpec"/>; consumed by the resolver and the lock.
/// </summary>
public sealed record StackPlan
{
    /// <summary>Variant name.</summary>
    public required string Variant { get; init; }

    /// <summary>Runtime identifier, e.g. <c>linux-x64</c>.</summary>
    public required string Platform { get; init; }

    /// <summary>CPU or CUDA.</summary>
    public required ComputeDevice Device { get; init; }

    /// <summary>The lock's <c>stack.device</c> for this plan: <c>cuda</c> or <c>cpu</c>.</summary>
    public string DeviceName => Device == ComputeDevice.Cuda ? "cuda" : "cpu";

    /// <summary>Target framework whose dependency groups are resolved (e.g. <c>net10.0</c>, from the dotnet-sdk major).</summary>
    public required NuGetFramework Framework { get; init; }

    /// <summary>
    /// The stack-matrix rows the spec allows, newest first. The resolver takes the first candidate whose TorchSharp
    /// range has a version on the sources and resolves that candidate's roots; never empty (an impossible spec is an
    /// error of the planner, saying which versions would work).
    /// </summary>
    public required IReadOnlyList<StackCandidate> Candidates { get; init; }

    /// <summary>The TorchSharp versions the spec allows.</summary>
    public required VersionRange TorchSharp { get; init; }

    /// <summary>
    /// CUDA version asked for: as pinned (<c>cuda=12.8</c> → <c>12.8</c>), else the newest candidate's (a range such as
    /// <c>cuda=12</c> may span candidates with different CUDA versions; the lock records the chosen candidate's
    /// <see cref="StackMatrixRow.Cuda"/>); null for CPU.
    /// </summary>
    public string? Cuda { get; init; }

    /// <summary>cuDNN versions the spec allows (e.g. major 9 as <c>[9, 10)</c>), null when not constrained.</summary>
    public VersionRange? Cudnn { get; init; }

    /// <summary>.NET SDK versions the spec allows, null when not constrained.</summary>
    public VersionRange? DotnetSdk { get; init; }

    /// <summary>
    /// SHA-256 (lower-case hex, prefixed <c>sha256:</c>) of the normalised spec as it applies to this variant × platform:
    /// channels, policy, framework and the effective dependencies, in a canonical order. Comments, key order and
    /// other variants/platforms do not change it. A lock whose recorded hash differs is stale.
    /// </summary>
    public required string SpecHash { get; init; }

    /// <summary>The lock's <c>stack.cuda-architectures</c> when <paramref name="candidate"/> is locked: its row's for a CUDA plan, none for CPU.</summary>
    public IReadOnlyList<string> CudaArchitecturesOf(StackCandidate candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        return Device == ComputeDevice.Cuda ? candidate.Row.CudaArchitectures : [];
    }
}

/// <summary>
/// One way to satisfy a plan: a row of the stack matrix (TorchSharp ↔ libtorch ↔ CUDA ↔ cuDNN) and the complete list of
/// root packages that row needs on the platform, in a stable order (stack packages first, then torchvision, then the
/// <c>nuget:</c> entries as written).
/// </summary>
/// <param name="Row">The matrix row.</param>
/// <param name="TorchSharp">The spec's TorchSharp range intersected with the row's TorchSharp versions.</param>
/// <param name="Roots">Root packages with ranges (libtorch exact, from the row).</param>
public sealed record StackCandidate(StackMatrixRow Row, VersionRange TorchSharp, IReadOnlyList<PackageRequirement> Roots);

/// <summary>
/// One row of the stack matrix: the TorchSharp releases built against one libtorch, with its CUDA version and
/// bundled cuDNN major (TorchSharp's build files and release notes; see <c>docs/stack-matrix.md</c>).
/// </summary>
/// <param name="TorchSharp">TorchSharp versions of the row, e.g. <c>[0.106.0, 0.107.0]</c>.</param>
/// <param name="LibTorch">libtorch package version, e.g. <c>2.10.0</c>.</param>
/// <param name="Cuda">CUDA version of the libtorch-cuda packages, e.g. <c>12.8</c>.</param>
/// <param name="CudnnMajor">cuDNN major bundled in the CUDA packages, e.g. 9.</param>
/// <param name="Platforms">Runtime identifiers with a CPU build in this row.</param>
/// <param name="CudaPlatforms">Runtime identifiers with a CUDA build in this row (linux-x64, win-x64).</param>
public sealed record StackMatrixRow(
    VersionRange TorchSharp,
    NuGetVersion LibTorch,
    string Cuda,
    int CudnnMajor,
    IReadOnlyList<string> Platforms,
    IReadOnlyList<string> CudaPlatforms)
{
    /// <summary>
    /// False for a row the planner built from the spec itself: a TorchSharp version the matrix does not know, accepted
    /// because the spec pins <c>libtorch==…</c> (and <c>cuda=…</c>) exactly. Its <see cref="Cuda"/> is the spec's CUDA
    /// (empty for CPU), its <see cref="CudnnMajor"/> the spec's cuDNN major (0 when not given), and its platforms only
    /// the one planned; nothing of it was checked against TorchSharp's releases.
    /// </summary>
    public bool IsKnown { get; init; } = true;

    /// <summary>
    /// The GPU architectures the row's CUDA libtorch carries kernels for (<c>sm_80</c>, PTX as <c>compute_120</c>), as
    /// PyTorch built it; empty for a row not in the matrix (nothing known). See <see cref="Stack.CudaArchitectures"/>.
    /// </summary>
    public IReadOnlyList<string> CudaArchitectures { get; init; } = [];

    /// <summary>The row for people, e.g. <c>TorchSharp 0.107.0 ↔ libtorch 2.10.0 ↔ CUDA 12.8 ↔ cuDNN 9</c>.</summary>
    public string Label => IsKnown
        ? $"TorchSharp {StackMatrix.Describe(TorchSharp)} ↔ libtorch {LibTorch.ToNormalizedString()} ↔ CUDA {Cuda} ↔ cuDNN {CudnnMajor}"
        : $"TorchSharp {TorchSharp.ToNormalizedString()} ↔ libtorch {LibTorch.ToNormalizedString()} (not in the stack matrix: libtorch as pinned by the spec)";
}

/// <summary>A root NuGet package the plan needs, with the range it must satisfy and why.</summary>
/// <param name="Id">Package id with NuGet's casing, e.g. <c>libtorch-cpu-linux-x64</c>.</param>
/// <param name="Range">Allowed versions.</param>
/// <param name="Reason">Why it is needed, for <c>torchenv why</c>, e.g. <c>torchsharp=0.107.* (environment.yml:6) → stack matrix 0.107.x ↔ libtorch 2.10.0</c>.</param>
public sealed record PackageRequirement(string Id, VersionRange Range, string Reason);
