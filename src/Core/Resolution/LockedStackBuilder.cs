using System.Globalization;
using NuGet.Versioning;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Spec;
using TorchEnv.Core.Stack;

namespace TorchEnv.Core.Resolution;

/// <summary>
/// Builds the <see cref="LockedStack"/> of a resolved plan from what was actually resolved and found in the packages,
/// and checks it against the spec: the CUDA of the libtorch-cuda package and of the bundled runtime, the bundled cuDNN
/// major against <c>cudnn=</c>, and the .NET SDK against <c>dotnet-sdk=</c>.
/// </summary>
internal static class LockedStackBuilder
{
    public static LockedStack Build(
        EnvironmentSpec spec,
        StackPlan plan,
        StackCandidate candidate,
        ResolvedGraph graph,
        FoundNativeStack found,
        DotnetInstallation dotnet,
        LockedEnvironment? locked,
        LockUpdate update)
    {
        var variant = spec.FindVariant(plan.Variant);
        SourceLocation? LocationOf(DependencyKind kind) => variant?.Find(kind)?.Location;
        string? VersionOf(string id) =>
            graph.Packages.FirstOrDefault(p => string.Equals(p.Identity.Id, id, StringComparison.OrdinalIgnoreCase))?.Identity.Version.ToNormalizedString();

        var errors = new List<Diagnostic>();
        string? cuda = null;
        if (plan.Device == ComputeDevice.Cuda)
        {
            cuda = found.Cuda;
            if (found.Cuda is null)
            {
                errors.Add(ResolutionMessages.CudaNotFound(plan.Variant, plan.Platform, plan.Cuda, LocationOf(DependencyKind.Cuda)));
            }
            else if (plan.Cuda is not null && !SameCuda(plan.Cuda, found.Cuda))
            {
                errors.Add(ResolutionMessages.CudaMismatch(plan.Variant, plan.Platform, plan.Cuda, found.Cuda, found.CudaPackage!, LocationOf(DependencyKind.Cuda)));
            }

            if (found.Cuda is not null && found.CudartMajor is { } cudart && cudart.ToString(CultureInfo.InvariantCulture) != found.Cuda.Split('.')[0])
            {
                errors.Add(ResolutionMessages.CudartMismatch(plan.Variant, plan.Platform, found.Cuda, found.CudaPackage!, cudart, found.CudartFile!));
            }
        }

        if (plan.Cudnn is not null)
        {
            if (found.CudnnMajor is null)
            {
                errors.Add(ResolutionMessages.CudnnNotFound(plan.Variant, plan.Platform, plan.Cudnn, LocationOf(DependencyKind.Cudnn)));
            }
            else if (!AllowsMajor(plan.Cudnn, found.CudnnMajor.Value))
            {
                errors.Add(ResolutionMessages.CudnnMismatch(plan.Variant, plan.Platform, plan.Cudnn, found.CudnnMajor.Value, found.CudnnFile!, LocationOf(DependencyKind.Cudnn)));
            }
        }

        string? sdk = null;
        if (plan.DotnetSdk is not null)
        {
            try
            {
                var lockedSdk = update.Includes("dotnet-sdk") || locked?.Stack.DotnetSdk is not { } text ? null : NuGetVersion.Parse(text);
                sdk = DotnetSdkSelector.Select(plan.DotnetSdk, dotnet.ListSdks(), lockedSdk, LocationOf(DependencyKind.DotnetSdk)).ToNormalizedString();
            }
            catch (TorchEnvException ex)
            {
                errors.AddRange(ex.Diagnostics);
            }
        }

        var torchSharp = VersionOf(StackPackages.TorchSharp);
        if (torchSharp is null)
        {
            errors.Add(ResolutionMessages.TorchSharpNotResolved(plan.Variant, plan.Platform));
        }

        if (errors.Count > 0)
        {
            throw new TorchEnvException(errors);
        }

        var libTorch = graph.Packages
            .Where(p => StackPackages.IsLibTorch(p.Identity.Id, plan.Platform))
            .Select(p => p.Identity.Version.ToNormalizedString())
            .FirstOrDefault() ?? candidate.Row.LibTorch.ToNormalizedString();

        return new LockedStack
        {
            TorchSharp = torchSharp!,
            LibTorch = libTorch,
            Device = plan.DeviceName,
            Cuda = cuda,
            Cudnn = found.CudnnMajor?.ToString(CultureInfo.InvariantCulture),
            CudaArchitectures = plan.CudaArchitecturesOf(candidate),
            DotnetSdk = sdk,
            TorchVision = VersionOf(StackPackages.TorchVision),
        };
    }

    private static bool SameCuda(string asked, string found) =>
        NuGetVersion.TryParse(asked, out var a) && NuGetVersion.TryParse(found, out var f)
            ? a.Major == f.Major && a.Minor == f.Minor
            : string.Equals(asked, found, StringComparison.OrdinalIgnoreCase);

    /// <summary>True when some version with this major is in the range (only the major is known from file names).</summary>
    internal static bool AllowsMajor(VersionRange range, int major)
    {
        var low = new NuGetVersion(major, 0, 0);
        var high = new NuGetVersion(major + 1, 0, 0);
        var belowHigh = !range.HasLowerBound || range.MinVersion! < high;
        var aboveLow = !range.HasUpperBound || range.MaxVersion! > low || (range.IsMaxInclusive && range.MaxVersion == low);
        return belowHigh && aboveLow;
    }
}
