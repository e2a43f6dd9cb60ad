using NuGet.Versioning;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Spec;
using TorchEnv.Core.Versioning;

namespace TorchEnv.Core.Stack;

/// <summary>
/// Turns a spec into <see cref="StackPlan"/>s through the stack matrix (<c>docs/stack-matrix.md</c>): for each variant ×
/// platform the root NuGet packages of every allowed matrix row, newest first, each with the reason it is needed.
/// </summary>
public static class StackPlanner
{
    /// <summary>
    /// Plans every variant × platform of the spec, in spec order (variants) and platform order as written.
    /// Throws <see cref="TorchEnvException"/> for a spec that breaks <c>policy: production</c> (TENV0050–TENV0052) and for impossible combinations (e.g. CUDA on osx-arm64,
    /// <c>cuda=11.8</c> with <c>torchsharp=0.107.*</c>), saying which versions would work; every impossible pair of
    /// the spec is reported at once.
    /// </summary>
    /// <param name="spec">A spec from <see cref="EnvironmentSpecReader"/>.</param>
    public static IReadOnlyList<StackPlan> PlanAll(EnvironmentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ProductionPolicy.ThrowIfViolated(spec);
        var diagnostics = new DiagnosticBag();
        var plans = new List<StackPlan>();
        foreach (var variant in spec.Variants)
        {
            foreach (var platform in variant.Platforms)
            {
                try
                {
                    plans.Add(PlanPair(spec, variant, platform));
                }
                catch (TorchEnvException ex)
                {
                    diagnostics.AddRange(ex.Diagnostics);
                }
            }
        }

        diagnostics.ThrowIfErrors();
        return plans;
    }

    /// <summary>Plans one variant × platform.</summary>
    /// <param name="spec">A spec from <see cref="EnvironmentSpecReader"/>.</param>
    /// <param name="variant">One of <paramref name="spec"/>'s variants.</param>
    /// <param name="platform">One of <paramref name="variant"/>'s platforms.</param>
    /// <exception cref="TorchEnvException">The spec breaks <c>policy: production</c>, or the combination is impossible; the diagnostic says which versions work.</exception>
    /// <exception cref="ArgumentException"><paramref name="platform"/> is not a platform of <paramref name="variant"/>.</exception>
    public static StackPlan Plan(EnvironmentSpec spec, VariantSpec variant, string platform)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(variant);
        if (!variant.Platforms.Contains(platform, StringComparer.Ordinal))
        {
            throw new ArgumentException($"'{platform}' is not a platform of variant '{variant.Name}' ({string.Join(", ", variant.Platforms)}).", nameof(platform));
        }

        ProductionPolicy.ThrowIfViolated(spec);
        return PlanPair(spec, variant, platform);
    }

    private static StackPlan PlanPair(EnvironmentSpec spec, VariantSpec variant, string platform)
    {
        var rows = StackRowSelector.Select(variant, platform);
        var candidates = rows.Select(row => BuildCandidate(variant, platform, row)).ToList();
        var cuda = variant.Find(DependencyKind.Cuda);
        return new StackPlan
        {
            Variant = variant.Name,
            Platform = platform,
            Device = cuda is null ? ComputeDevice.Cpu : ComputeDevice.Cuda,
            Framework = variant.Framework,
            Candidates = candidates,
            TorchSharp = variant.Find(DependencyKind.TorchSharp)?.Range ?? VersionRange.All,
            Cuda = cuda is null ? null
                : VersionRanges.IsExact(cuda.Range) ? $"{cuda.Range.MinVersion!.Major}.{cuda.Range.MinVersion.Minor}"
                : rows[0].Cuda,
            Cudnn = cuda is null ? null : variant.Find(DependencyKind.Cudnn)?.Range,
            DotnetSdk = variant.Find(DependencyKind.DotnetSdk)?.Range,
            SpecHash = SpecHash.Compute(spec, variant, platform),
        };
    }

    private static StackCandidate BuildCandidate(VariantSpec variant, string platform, StackMatrixRow row)
    {
        var torchSharp = variant.Find(DependencyKind.TorchSharp);
        var cuda = variant.Find(DependencyKind.Cuda);
        var torchVision = variant.Find(DependencyKind.TorchVision);
        var torchSharpRange = VersionRanges.Intersect(torchSharp?.Range ?? VersionRange.All, row.TorchSharp)!;
        var libTorch = VersionRanges.Exact(row.LibTorch);
        var fromMatrix = $"stack matrix {row.Label}";
        var torchSharpCause = torchSharp is null ? "torchsharp (not given: any release)" : Cite(torchSharp);

        var roots = new List<PackageRequirement>
        {
            new(StackPackages.TorchSharp, torchSharpRange, $"{torchSharpCause} → {fromMatrix}"),
        };

        if (cuda is null)
        {
            var device = variant.Find(DependencyKind.Cpu) is { } cpu ? Cite(cpu) : "no cuda= (CPU build)";
            roots.Add(new(StackPackages.LibTorchCpu(platform), libTorch, $"{device} + {torchSharpCause} → {fromMatrix}, CPU build for {platform}"));
        }
        else
        {
            // The bundle pulls TorchSharp and the CUDA libtorch with ">=" dependencies; the explicit roots make both exact.
            roots.Add(new(StackPackages.TorchSharpCuda(platform)!, torchSharpRange, $"{Cite(cuda)} on {platform} → TorchSharp's CUDA bundle; {fromMatrix}"));
            roots.Add(new(StackPackages.LibTorchCuda(row.Cuda, platform), libTorch, $"{Cite(cuda)} + {torchSharpCause} → {fromMatrix}, CUDA build for {platform}"));
        }

        if (torchVision is not null)
        {
            var range = VersionRanges.Intersect(torchVision.Range, torchSharpRange)!;
            roots.Add(new(StackPackages.TorchVision, range, $"{Cite(torchVision)} → TorchVision follows TorchSharp {StackMatrix.Describe(torchSharpRange)}"));
        }

        foreach (var package in variant.Dependencies.Where(d => d.Kind == DependencyKind.NuGet))
        {
            roots.Add(new(package.Name, package.Range, $"nuget: {Cite(package)}"));
        }

        return new StackCandidate(row, torchSharpRange, roots);
    }

    // "torchsharp=0.107.* (environment.yml:6)": the file name only, so reasons are the same on every machine.
    private static string Cite(DependencySpec dependency) =>
        $"{dependency.Text} ({Path.GetFileName(dependency.Location.File)}:{dependency.Location.Line})";
}
