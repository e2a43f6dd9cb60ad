using NuGet.Versioning;

namespace TorchEnv.Core.Stack;

/// <summary>
/// The stack matrix: which libtorch, CUDA and cuDNN each TorchSharp release is built against, and for which platforms
/// it ships native binaries. Sources (TorchSharp's repository at the 0.107.0 release, c20b6a1c): RELEASENOTES.md,
/// the history of <c>LibTorchPackageVersion</c> in Directory.Build.props and <c>CudaVersionDot</c> in
/// build/Dependencies.props, and the pkg/ folder per release. Details and commits: <c>docs/stack-matrix.md</c>.
/// </summary>
public static class StackMatrix
{
    private static readonly string[] CudaPlatforms = ["linux-x64", "win-x64"];

    // The GPU architectures of PyTorch's own CUDA builds (TORCH_CUDA_ARCH_LIST in pytorch/pytorch
    // .ci/manywheel/build_cuda.sh, formerly pytorch/builder manywheel/build_cuda.sh; libtorch is built by the same
    // script), which TorchSharp repackages unchanged. Sources per row: docs/stack-matrix.md#gpu-architectures.
    private const string Cu128Torch210 = "sm_70 sm_75 sm_80 sm_86 sm_90 sm_100 sm_120";
    private const string Cu121 = "sm_50 sm_60 sm_70 sm_75 sm_80 sm_86 sm_90";
    private const string Cu117 = "sm_37 sm_50 sm_60 sm_70 sm_75 sm_80 sm_86";

    /// <summary>The rows, newest TorchSharp first. TorchSharp ranges list released versions only (inclusive).</summary>
    public static IReadOnlyList<StackMatrixRow> Rows { get; } =
    [
        // 0.107.0: same libtorch packages as 0.106.0; adds win-arm64 (#1549).
        Row("[0.107.0]", "2.10.0", "12.8", 9, Cu128Torch210, "linux-x64", "win-x64", "win-arm64", "osx-arm64"),
        Row("[0.106.0]", "2.10.0", "12.8", 9, Cu128Torch210, "linux-x64", "win-x64", "osx-arm64"),
        // 0.105.2: libtorch 2.7.1 and the move to CUDA 12.8 (#1486).
        Row("[0.105.2]", "2.7.1", "12.8", 9, "sm_75 sm_80 sm_86 sm_90 sm_100 sm_120 compute_120", "linux-x64", "win-x64", "osx-arm64"),
        Row("[0.105.0, 0.105.1]", "2.5.1", "12.1", 9, Cu121, "linux-x64", "win-x64", "osx-arm64"),
        // 0.103.0: libtorch 2.4.0, cuDNN 9, and no more macOS x64 (removed with the 2.4.0 upgrade, 7a203581).
        Row("[0.103.0, 0.104.0]", "2.4.0", "12.1", 9, Cu121, "linux-x64", "win-x64", "osx-arm64"),
        // 0.102.0: Apple Silicon added (2c321846).
        Row("[0.102.0, 0.102.8]", "2.2.1.1", "12.1", 8, Cu121, "linux-x64", "win-x64", "osx-x64", "osx-arm64"),
        // 0.101.0: CUDA 12.1, libtorch-cuda-* packages renamed.
        Row("[0.101.0, 0.101.6]", "2.1.0.1", "12.1", 8, Cu121, "linux-x64", "win-x64", "osx-x64"),
        Row("[0.100.0, 0.100.7]", "2.0.1.1", "11.7", 8, Cu117, "linux-x64", "win-x64", "osx-x64"),
        Row("[0.99.0, 0.99.6]", "1.13.0.1", "11.7", 8, Cu117, "linux-x64", "win-x64", "osx-x64"),
    ];

    /// <summary>The row of one TorchSharp release, or null when the matrix does not know it.</summary>
    public static StackMatrixRow? RowOf(NuGetVersion torchSharp) => Rows.FirstOrDefault(r => r.TorchSharp.Satisfies(torchSharp));

    /// <summary>
    /// The GPU architectures of a locked CUDA stack: what the lock records, else (a lock written before it recorded
    /// them) the matrix row of its TorchSharp version; empty when neither knows.
    /// </summary>
    public static IReadOnlyList<string> CudaArchitecturesOf(IReadOnlyList<string> recorded, string torchSharp) =>
        recorded.Count > 0 ? recorded
            : NuGetVersion.TryParse(torchSharp, out var version) && RowOf(version) is { } row ? row.CudaArchitectures : [];

    /// <summary>A row's TorchSharp versions for people: <c>0.107.0</c> or <c>0.103.0–0.104.0</c>.</summary>
    public static string Describe(VersionRange torchSharp) =>
        torchSharp is { HasLowerAndUpperBounds: true, IsMinInclusive: true, IsMaxInclusive: true }
            ? torchSharp.MinVersion == torchSharp.MaxVersion
                ? torchSharp.MinVersion!.ToNormalizedString()
                : $"{torchSharp.MinVersion!.ToNormalizedString()}–{torchSharp.MaxVersion!.ToNormalizedString()}"
            : torchSharp.ToNormalizedString();

    /// <summary>
    /// The match spec a user writes to select a row: <c>torchsharp=0.100.*</c> for a whole minor series,
    /// <c>torchsharp==0.105.2</c> for one release, <c>torchsharp&gt;=0.103.0,&lt;=0.104.0</c> otherwise.
    /// </summary>
    internal static string MatchSpecFor(StackMatrixRow row, string name = "torchsharp")
    {
        var (min, max) = (row.TorchSharp.MinVersion!, row.TorchSharp.MaxVersion!);
        if (min == max)
        {
            return $"{name}=={min.ToNormalizedString()}";
        }

        return min.Major == max.Major && min.Minor == max.Minor && min.Patch == 0
            ? $"{name}={min.Major}.{min.Minor}.*"
            : $"{name}>={min.ToNormalizedString()},<={max.ToNormalizedString()}";
    }

    private static StackMatrixRow Row(string torchSharp, string libTorch, string cuda, int cudnnMajor, string cudaArchitectures, params string[] platforms) =>
        new(VersionRange.Parse(torchSharp), NuGetVersion.Parse(libTorch), cuda, cudnnMajor, platforms, CudaPlatforms)
        {
            CudaArchitectures = CudaArchitectures.Parse(cudaArchitectures)!,
        };
}
