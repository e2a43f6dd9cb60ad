using NuGet.Versioning;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Spec;
using TorchEnv.Core.Versioning;

namespace TorchEnv.Core.Stack;

/// <summary>
/// Finds the stack-matrix rows one variant × platform allows, newest first, narrowing by torchsharp (and torchvision),
/// libtorch, CUDA, cuDNN and platform in that order so that the error names the first constraint that leaves nothing.
/// </summary>
internal static class StackRowSelector
{
    /// <summary>The allowed rows (never empty), or throws <see cref="TorchEnvException"/> with the fix.</summary>
    public static IReadOnlyList<StackMatrixRow> Select(VariantSpec variant, string platform)
    {
        var torchSharp = variant.Find(DependencyKind.TorchSharp);
        var libTorch = variant.Find(DependencyKind.LibTorch);
        var cuda = variant.Find(DependencyKind.Cuda);
        var cudnn = variant.Find(DependencyKind.Cudnn);
        var torchVision = variant.Find(DependencyKind.TorchVision);
        var torchSharpRange = torchSharp?.Range ?? VersionRange.All;
        var platformLocation = variant.PlatformLocations.GetValueOrDefault(platform) ?? variant.Location;

        // CUDA where no release ever had a CUDA build (macOS, arm64) is wrong whatever the versions.
        if (cuda is not null && !StackMatrix.Rows.Any(r => r.CudaPlatforms.Contains(platform)))
        {
            throw new TorchEnvException(StackMessages.CudaNotOnPlatform(platformLocation, platform, cuda));
        }

        var rows = StackMatrix.Rows.Where(r => VersionRanges.Intersect(torchSharpRange, r.TorchSharp) is not null).ToList();
        if (rows.Count == 0)
        {
            if (torchVision is not null && VersionRanges.Intersect(torchVision.Range, torchSharpRange) is null)
            {
                throw new TorchEnvException(StackMessages.TorchVisionMismatch(torchVision, torchSharp));
            }

            return [UnknownRow(torchSharp!, libTorch, cuda, cudnn, platform)];
        }

        if (torchVision is not null)
        {
            rows = Narrow(rows, r => VersionRanges.Intersect(torchVision.Range, VersionRanges.Intersect(torchSharpRange, r.TorchSharp)!) is not null,
                () => StackMessages.TorchVisionMismatch(torchVision, torchSharp));
        }

        if (libTorch is not null)
        {
            rows = Narrow(rows, r => LibTorchMatches(libTorch.Range, r.LibTorch),
                () => StackMessages.LibTorchMismatch(libTorch, torchSharp, rows));
        }

        if (cuda is not null)
        {
            rows = Narrow(rows, r => cuda.Range.Satisfies(NuGetVersion.Parse(r.Cuda)),
                () => StackMessages.CudaMismatch(cuda, torchSharp, rows));
            if (cudnn is not null)
            {
                rows = Narrow(rows, r => VersionRanges.Intersect(cudnn.Range, MajorRange(r.CudnnMajor)) is not null,
                    () => StackMessages.CudnnMismatch(cudnn, torchSharp, rows));
            }
        }

        return Narrow(rows, r => (cuda is null ? r.Platforms : r.CudaPlatforms).Contains(platform),
            () => StackMessages.PlatformNotBuilt(platformLocation, platform, cuda is not null, torchSharp, rows));
    }

    // libtorch=2.2.1 names the library; its NuGet packages are 2.2.1.1. Either form selects the row.
    private static bool LibTorchMatches(VersionRange range, NuGetVersion package) =>
        range.Satisfies(package) || range.Satisfies(new NuGetVersion(package.Major, package.Minor, package.Patch));

    private static VersionRange MajorRange(int major) =>
        new(new NuGetVersion(major, 0, 0), true, new NuGetVersion(major + 1, 0, 0), false);

    private static List<StackMatrixRow> Narrow(List<StackMatrixRow> rows, Func<StackMatrixRow, bool> keep, Func<Diagnostic> error)
    {
        var kept = rows.Where(keep).ToList();
        return kept.Count > 0 ? kept : throw new TorchEnvException(error());
    }

    // A TorchSharp the matrix does not know is allowed only with libtorch (and CUDA) pinned: then the spec itself says
    // what the matrix would have said.
    private static StackMatrixRow UnknownRow(DependencySpec torchSharp, DependencySpec? libTorch, DependencySpec? cuda, DependencySpec? cudnn, string platform)
    {
        if (libTorch is null)
        {
            throw new TorchEnvException(StackMessages.UnknownTorchSharp(torchSharp));
        }

        var loose = new[] { libTorch, cuda }.FirstOrDefault(d => d is not null && !VersionRanges.IsExact(d.Range));
        if (loose is not null)
        {
            throw new TorchEnvException(StackMessages.UnknownRowNeedsExactPin(torchSharp, loose));
        }

        var cudaVersion = cuda?.Range.MinVersion is { } v ? $"{v.Major}.{v.Minor}" : "";
        return new StackMatrixRow(
            torchSharp.Range,
            libTorch.Range.MinVersion!,
            cudaVersion,
            cudnn?.Range.MinVersion?.Major ?? 0,
            [platform],
            cuda is null ? [] : [platform])
        {
            IsKnown = false,
        };
    }
}
