using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Spec;

namespace TorchEnv.Core.Stack;

/// <summary>
/// Every message about impossible stacks (codes TENV0100–TENV0199), in one place. Each fix lists versions that would
/// work, taken from <see cref="StackMatrix"/>.
/// </summary>
internal static class StackMessages
{
    public static readonly DiagnosticDescriptor CudaNotOnPlatformDescriptor = new(
        "TENV0100", DiagnosticSeverity.Error, ExitClass.BadInput,
        "There is no CUDA build of TorchSharp for {0}: libtorch-cuda packages exist for linux-x64 and win-x64 only, so '{1}' (line {2}) cannot be locked for {0}.",
        "Lock {0} with a CPU variant: variants: {{ cpu: {{ dependencies: [cpu], platforms: [{0}] }}, cuda: {{ dependencies: [{1}], platforms: [linux-x64, win-x64] }} }}.");

    public static readonly DiagnosticDescriptor CudaMismatchDescriptor = new(
        "TENV0101", DiagnosticSeverity.Error, ExitClass.BadInput,
        "'{0}' does not match {1}: {2}.{3}",
        "Write cuda={4} to keep {1}, or change torchsharp. {5}");

    public static readonly DiagnosticDescriptor CudnnMismatchDescriptor = new(
        "TENV0102", DiagnosticSeverity.Error, ExitClass.BadInput,
        "'{0}' matches no CUDA build allowed by {1}: those bundle cuDNN {2}.",
        "Write cudnn={3} (or remove the line), or pick a TorchSharp bundling the cuDNN you need: {4}.");

    public static readonly DiagnosticDescriptor UnknownTorchSharpDescriptor = new(
        "TENV0103", DiagnosticSeverity.Error, ExitClass.BadInput,
        "'{0}' matches no TorchSharp release in the stack matrix ({1}), so TorchEnv does not know which libtorch it needs.",
        "Pick a known release, e.g. '{2}'. For a release newer than the matrix, also pin its libtorch (e.g. 'libtorch==2.10.0'; see docs/stack-matrix.md).");

    public static readonly DiagnosticDescriptor PlatformNotBuiltDescriptor = new(
        "TENV0104", DiagnosticSeverity.Error, ExitClass.BadInput,
        "{0} has no {1} build for {2} ({3}).",
        "{4}");

    public static readonly DiagnosticDescriptor LibTorchMismatchDescriptor = new(
        "TENV0105", DiagnosticSeverity.Error, ExitClass.BadInput,
        "'{0}' does not match {1}: {2}.",
        "Remove the libtorch line (the stack matrix picks the libtorch a TorchSharp needs) or write 'libtorch=={3}'.");

    public static readonly DiagnosticDescriptor TorchVisionMismatchDescriptor = new(
        "TENV0106", DiagnosticSeverity.Error, ExitClass.BadInput,
        "'{0}' does not match {1}: TorchVision's versions follow TorchSharp's (TorchVision 0.107.0 goes with TorchSharp 0.107.0).",
        "Write just 'torchvision' (it then follows torchsharp), or give it the same version as torchsharp.");

    public static readonly DiagnosticDescriptor UnknownRowNeedsExactPinDescriptor = new(
        "TENV0107", DiagnosticSeverity.Error, ExitClass.BadInput,
        "'{0}' matches no TorchSharp release in the stack matrix; TorchEnv accepts it with an explicit libtorch, but then '{1}' must name one version.",
        "Write '{2}=={3}' with the version that TorchSharp release is built against (its release notes say which).");

    public static Diagnostic CudaNotOnPlatform(SourceLocation at, string platform, DependencySpec cuda) =>
        CudaNotOnPlatformDescriptor.Create(at, platform, cuda.Text, cuda.Location.Line);

    public static Diagnostic CudaMismatch(DependencySpec cuda, DependencySpec? torchSharp, IReadOnlyList<StackMatrixRow> allowed)
    {
        var builtWith = string.Join("; ", allowed.Select(r => $"TorchSharp {StackMatrix.Describe(r.TorchSharp)} uses CUDA {r.Cuda}"));
        var working = StackMatrix.Rows.Where(r => cuda.Range.Satisfies(NuGet.Versioning.NuGetVersion.Parse(r.Cuda))).ToList();
        var none = working.Count == 0 ? $" No TorchSharp release is built with a CUDA matching '{cuda.Text}'." : "";
        var fixForCuda = working.Count == 0
            ? $"TorchSharp releases by CUDA version: {CudaTable()}."
            : $"For CUDA {string.Join(" or ", working.Select(r => r.Cuda).Distinct())} use {string.Join(" or ", working.Select(r => StackMatrix.MatchSpecFor(r)))}.";
        return CudaMismatchDescriptor.Create(cuda.Location, cuda.Text, Describe(torchSharp), builtWith, none, allowed[0].Cuda, fixForCuda);
    }

    public static Diagnostic CudnnMismatch(DependencySpec cudnn, DependencySpec? torchSharp, IReadOnlyList<StackMatrixRow> allowed)
    {
        var majors = string.Join(" or ", allowed.Select(r => r.CudnnMajor).Distinct());
        var byMajor = StackMatrix.Rows.GroupBy(r => r.CudnnMajor)
            .Select(g => $"cuDNN {g.Key}: {string.Join(", ", g.Select(r => StackMatrix.MatchSpecFor(r)))}");
        return CudnnMismatchDescriptor.Create(cudnn.Location, cudnn.Text, Describe(torchSharp), majors, allowed[0].CudnnMajor, string.Join("; ", byMajor));
    }

    public static Diagnostic UnknownTorchSharp(DependencySpec torchSharp) =>
        UnknownTorchSharpDescriptor.Create(torchSharp.Location, torchSharp.Text, KnownReleases(), StackMatrix.MatchSpecFor(StackMatrix.Rows[0]));

    public static Diagnostic PlatformNotBuilt(SourceLocation at, string platform, bool cuda, DependencySpec? torchSharp, IReadOnlyList<StackMatrixRow> allowed)
    {
        var device = cuda ? "CUDA" : "CPU";
        var building = StackMatrix.Rows.Where(r => (cuda ? r.CudaPlatforms : r.Platforms).Contains(platform)).ToList();
        var builtFor = string.Join("; ", allowed.Select(r => $"TorchSharp {StackMatrix.Describe(r.TorchSharp)} builds for {string.Join(", ", cuda ? r.CudaPlatforms : r.Platforms)}"));
        var fix = building.Count == 0
            ? $"No TorchSharp release has a {device} build for {platform}: remove it from this variant's platforms."
            : $"Remove {platform} from this variant's platforms, or use a TorchSharp that builds for it: {string.Join(", ", building.Select(r => StackMatrix.MatchSpecFor(r)))}.";
        return PlatformNotBuiltDescriptor.Create(at, Capitalise(Describe(torchSharp)), device, platform, builtFor, fix);
    }

    public static Diagnostic LibTorchMismatch(DependencySpec libTorch, DependencySpec? torchSharp, IReadOnlyList<StackMatrixRow> allowed) =>
        LibTorchMismatchDescriptor.Create(
            libTorch.Location,
            libTorch.Text,
            Describe(torchSharp),
            string.Join("; ", allowed.Select(r => $"TorchSharp {StackMatrix.Describe(r.TorchSharp)} is built against libtorch {r.LibTorch.ToNormalizedString()}")),
            allowed[0].LibTorch.ToNormalizedString());

    public static Diagnostic TorchVisionMismatch(DependencySpec torchVision, DependencySpec? torchSharp) =>
        TorchVisionMismatchDescriptor.Create(torchVision.Location, torchVision.Text, Describe(torchSharp));

    public static Diagnostic UnknownRowNeedsExactPin(DependencySpec torchSharp, DependencySpec loose) =>
        UnknownRowNeedsExactPinDescriptor.Create(loose.Location, torchSharp.Text, loose.Text, loose.Name, loose.Kind == DependencyKind.Cuda ? "12.8" : "2.10.0");

    private static string Describe(DependencySpec? torchSharp) => torchSharp is null ? "any TorchSharp release" : $"'{torchSharp.Text}'";

    private static string KnownReleases() => string.Join(", ", StackMatrix.Rows.Reverse().Select(r => StackMatrix.Describe(r.TorchSharp)));

    private static string CudaTable() => string.Join("; ", StackMatrix.Rows.GroupBy(r => r.Cuda)
        .Select(g => $"CUDA {g.Key}: {string.Join(", ", g.Select(r => StackMatrix.MatchSpecFor(r)))}"));

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
