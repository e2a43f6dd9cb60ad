using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Spec;

namespace TorchEnv.Core.Stack;

/// <summary>
/// Every message about impossible stacks (codes TENV0100–TENV0199), in one place. Each fix lists versions that would
/// work, taken from <see cref="StackMatrix"/>.
/// </summary>
internal static class StackMessages
{
    public static Diagnostic CudaNotOnPlatform(SourceLocation at, string platform, DependencySpec cuda) => Error("TENV0100", at,
        $"There is no CUDA build of TorchSharp for {platform}: libtorch-cuda packages exist for linux-x64 and win-x64 only, so '{cuda.Text}' (line {cuda.Location.Line}) cannot be locked for {platform}.",
        $"Lock {platform} with a CPU variant: variants: {{ cpu: {{ dependencies: [cpu], platforms: [{platform}] }}, cuda: {{ dependencies: [{cuda.Text}], platforms: [linux-x64, win-x64] }} }}.");

    public static Diagnostic CudaMismatch(DependencySpec cuda, DependencySpec? torchSharp, IReadOnlyList<StackMatrixRow> allowed)
    {
        var builtWith = string.Join("; ", allowed.Select(r => $"TorchSharp {StackMatrix.Describe(r.TorchSharp)} uses CUDA {r.Cuda}"));
        var working = StackMatrix.Rows.Where(r => cuda.Range.Satisfies(NuGet.Versioning.NuGetVersion.Parse(r.Cuda))).ToList();
        var none = working.Count == 0 ? $" No TorchSharp release is built with a CUDA matching '{cuda.Text}'." : "";
        var fixForCuda = working.Count == 0
            ? $"TorchSharp releases by CUDA version: {CudaTable()}."
            : $"For CUDA {string.Join(" or ", working.Select(r => r.Cuda).Distinct())} use {string.Join(" or ", working.Select(r => StackMatrix.MatchSpecFor(r)))}.";
        return Error("TENV0101", cuda.Location,
            $"'{cuda.Text}' does not match {Describe(torchSharp)}: {builtWith}.{none}",
            $"Write cuda={allowed[0].Cuda} to keep {Describe(torchSharp)}, or change torchsharp. {fixForCuda}");
    }

    public static Diagnostic CudnnMismatch(DependencySpec cudnn, DependencySpec? torchSharp, IReadOnlyList<StackMatrixRow> allowed)
    {
        var majors = string.Join(" or ", allowed.Select(r => r.CudnnMajor).Distinct());
        var byMajor = StackMatrix.Rows.GroupBy(r => r.CudnnMajor)
            .Select(g => $"cuDNN {g.Key}: {string.Join(", ", g.Select(r => StackMatrix.MatchSpecFor(r)))}");
        return Error("TENV0102", cudnn.Location,
            $"'{cudnn.Text}' matches no CUDA build allowed by {Describe(torchSharp)}: those bundle cuDNN {majors}.",
            $"Write cudnn={allowed[0].CudnnMajor} (or remove the line), or pick a TorchSharp bundling the cuDNN you need: {string.Join("; ", byMajor)}.");
    }

    public static Diagnostic UnknownTorchSharp(DependencySpec torchSharp) => Error("TENV0103", torchSharp.Location,
        $"'{torchSharp.Text}' matches no TorchSharp release in the stack matrix ({KnownReleases()}), so TorchEnv does not know which libtorch it needs.",
        $"Pick a known release, e.g. '{StackMatrix.MatchSpecFor(StackMatrix.Rows[0])}'. For a release newer than the matrix, also pin its libtorch (e.g. 'libtorch==2.10.0'; see docs/stack-matrix.md).");

    public static Diagnostic PlatformNotBuilt(SourceLocation at, string platform, bool cuda, DependencySpec? torchSharp, IReadOnlyList<StackMatrixRow> allowed)
    {
        var device = cuda ? "CUDA" : "CPU";
        var building = StackMatrix.Rows.Where(r => (cuda ? r.CudaPlatforms : r.Platforms).Contains(platform)).ToList();
        var builtFor = string.Join("; ", allowed.Select(r => $"TorchSharp {StackMatrix.Describe(r.TorchSharp)} builds for {string.Join(", ", cuda ? r.CudaPlatforms : r.Platforms)}"));
        var fix = building.Count == 0
            ? $"No TorchSharp release has a {device} build for {platform}: remove it from this variant's platforms."
            : $"Remove {platform} from this variant's platforms, or use a TorchSharp that builds for it: {string.Join(", ", building.Select(r => StackMatrix.MatchSpecFor(r)))}.";
        return Error("TENV0104", at,
            $"{Capitalise(Describe(torchSharp))} has no {device} build for {platform} ({builtFor}).",
            fix);
    }

    public static Diagnostic LibTorchMismatch(DependencySpec libTorch, DependencySpec? torchSharp, IReadOnlyList<StackMatrixRow> allowed) => Error("TENV0105", libTorch.Location,
        $"'{libTorch.Text}' does not match {Describe(torchSharp)}: {string.Join("; ", allowed.Select(r => $"TorchSharp {StackMatrix.Describe(r.TorchSharp)} is built against libtorch {r.LibTorch.ToNormalizedString()}"))}.",
        $"Remove the libtorch line (the stack matrix picks the libtorch a TorchSharp needs) or write 'libtorch=={allowed[0].LibTorch.ToNormalizedString()}'.");

    public static Diagnostic TorchVisionMismatch(DependencySpec torchVision, DependencySpec? torchSharp) => Error("TENV0106", torchVision.Location,
        $"'{torchVision.Text}' does not match {Describe(torchSharp)}: TorchVision's versions follow TorchSharp's (TorchVision 0.107.0 goes with TorchSharp 0.107.0).",
        "Write just 'torchvision' (it then follows torchsharp), or give it the same version as torchsharp.");

    public static Diagnostic UnknownRowNeedsExactPin(DependencySpec torchSharp, DependencySpec loose) => Error("TENV0107", loose.Location,
        $"'{torchSharp.Text}' matches no TorchSharp release in the stack matrix; TorchEnv accepts it with an explicit libtorch, but then '{loose.Text}' must name one version.",
        $"Write '{loose.Name}=={(loose.Kind == DependencyKind.Cuda ? "12.8" : "2.10.0")}' with the version that TorchSharp release is built against (its release notes say which).");

    private static string Describe(DependencySpec? torchSharp) => torchSharp is null ? "any TorchSharp release" : $"'{torchSharp.Text}'";

    private static string KnownReleases() => string.Join(", ", StackMatrix.Rows.Reverse().Select(r => StackMatrix.Describe(r.TorchSharp)));

    private static string CudaTable() => string.Join("; ", StackMatrix.Rows.GroupBy(r => r.Cuda)
        .Select(g => $"CUDA {g.Key}: {string.Join(", ", g.Select(r => StackMatrix.MatchSpecFor(r)))}"));

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static Diagnostic Error(string code, SourceLocation at, string message, string fix) =>
        new(code, DiagnosticSeverity.Error, message, at, fix);
}
