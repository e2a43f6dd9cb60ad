using NuGet.Packaging.Core;
using NuGet.Versioning;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Packages;
using TorchEnv.Core.Spec;

namespace TorchEnv.Core.Resolution;

/// <summary>Every diagnostic of resolution (TENV0200–TENV0219), in one place. Each code is described in docs/diagnostics.md.</summary>
internal static class ResolutionMessages
{
    public static readonly DiagnosticDescriptor SourceFailedDescriptor = new(
        "TENV0203", DiagnosticSeverity.Error, ExitClass.SourceUnavailable,
        "The package source '{0}' could not be read: {1}",
        "Check the URL, your network and proxy, and the credentials in NuGet.config (packageSourceCredentials) for this source.");

    public static readonly DiagnosticDescriptor PackageNotFoundDescriptor = new(
        "TENV0204", DiagnosticSeverity.Error, ExitClass.BadInput,
        "Package '{0}' is not on any of the sources (wanted: {1}).",
        "Check the package id, or add a channel that serves it (the spec's `channels:`, or NuGet.config when channels are empty).");

    public static readonly DiagnosticDescriptor NoVersionSatisfiesDescriptor = new(
        "TENV0205", DiagnosticSeverity.Error, ExitClass.BadInput,
        "No version of '{0}' satisfies every constraint on it: {1}. Available: {2}.",
        "Loosen the version in environment.yml that asks for it, or add a source that has a matching version.");

    public static readonly DiagnosticDescriptor NoCandidateAvailableDescriptor = new(
        "TENV0206", DiagnosticSeverity.Error, ExitClass.BadInput,
        "No stack allowed by the spec for {0}/{1} is available on the sources ({2}): {3}.",
        "Allow a TorchSharp version the sources have (e.g. `torchsharp=0.107.*`), or add a channel that serves the missing packages (CUDA packages are not on every mirror).");

    public static readonly DiagnosticDescriptor NoFixedPointDescriptor = new(
        "TENV0207", DiagnosticSeverity.Error, ExitClass.BadInput,
        "Resolution of {0} did not settle after {1} rounds (dependency versions keep changing each other).",
        "Pin the packages involved exactly in the spec's `nuget:` list to break the cycle.");

    public static readonly DiagnosticDescriptor DownloadFailedDescriptor = new(
        "TENV0208", DiagnosticSeverity.Error, ExitClass.SourceUnavailable,
        "Package {0} {1} could not be downloaded from '{2}' into the global packages folder: {3}",
        "Retry; if it persists, delete the package's folder in the global packages folder (`dotnet nuget locals global-packages --list`) and check the source.");

    public static readonly DiagnosticDescriptor CudnnDescriptor = new(
        "TENV0209", DiagnosticSeverity.Error, ExitClass.BadInput,
        "The spec asks for cuDNN {0} in {1}/{2}, but {3}.",
        "{4}");

    public static readonly DiagnosticDescriptor CudaDescriptor = new(
        "TENV0210", DiagnosticSeverity.Error, ExitClass.BadInput,
        "{0}",
        "{1}");

    public static readonly DiagnosticDescriptor NoMatchingSdkDescriptor = new(
        "TENV0211", DiagnosticSeverity.Error, ExitClass.BadInput,
        "No installed .NET SDK satisfies dotnet-sdk {0}. Installed: {1}.",
        "Install a matching SDK (https://dot.net/download, or dotnet-install.sh --version <v>), or widen `dotnet-sdk=` in environment.yml.");

    public static readonly DiagnosticDescriptor RestitchMismatchDescriptor = new(
        "TENV0212", DiagnosticSeverity.Error, ExitClass.BadInput,
        "The pieces of {0} ({1} and its -fragmentN packages) do not join into the file its .sha names (expected SHA-256 {2}, got {3}).",
        "Delete these packages from the global packages folder and lock again so NuGet downloads them afresh.");

    public static readonly DiagnosticDescriptor TorchSharpNotResolvedDescriptor = new(
        "TENV0213", DiagnosticSeverity.Error, ExitClass.BadInput,
        "The packages resolved for {0}/{1} contain no TorchSharp package.",
        "Make sure the spec has a `torchsharp=` line; if it has, this is a bug in torchenv's stack matrix — please report it.");

    public static Diagnostic SourceFailed(string source, Exception exception) => SourceFailedDescriptor.Create(null, source, Innermost(exception).Message);

    public static Diagnostic PackageNotFound(string id, IReadOnlyList<string> wanted) => PackageNotFoundDescriptor.Create(null, id, string.Join("; ", wanted));

    public static Diagnostic NoVersionSatisfies(string id, IReadOnlyList<string> constraints, IReadOnlyList<NuGetVersion> available) =>
        NoVersionSatisfiesDescriptor.Create(
            null, id, string.Join("; ", constraints), string.Join(", ", available.TakeLast(12).Select(v => v.ToNormalizedString())));

    public static Diagnostic NoCandidateAvailable(string variant, string platform, IReadOnlyList<string> missing, PackageSourceSet sources) =>
        NoCandidateAvailableDescriptor.Create(
            null, variant, platform, string.Join(", ", sources.Sources.Select(sources.Describe)), string.Join("; ", missing));

    public static Diagnostic NoFixedPoint(IReadOnlyList<string> roots, int rounds) => NoFixedPointDescriptor.Create(null, string.Join(", ", roots), rounds);

    public static Diagnostic DownloadFailed(PackageIdentity identity, string source, string reason) =>
        DownloadFailedDescriptor.Create(null, identity.Id, identity.Version.ToNormalizedString(), source, reason);

    public static Diagnostic CudnnNotFound(string variant, string platform, VersionRange asked, SourceLocation? location) => CudnnDescriptor.Create(
        location,
        asked.PrettyPrint(),
        variant,
        platform,
        "no locked package bundles cuDNN (no libcudnn*.so.N or cudnn*64_N.dll)",
        "Remove `cudnn=` from a CPU variant, or use a CUDA variant (`cuda=12.8`).");

    public static Diagnostic CudnnMismatch(string variant, string platform, VersionRange asked, int found, string file, SourceLocation? location) => CudnnDescriptor.Create(
        location,
        asked.PrettyPrint(),
        variant,
        platform,
        $"the locked packages bundle cuDNN {found} ({file})",
        $"Change the spec to `cudnn={found}`, or choose a TorchSharp whose libtorch bundles the cuDNN you need (see docs/stack-matrix.md).");

    public static Diagnostic CudaNotFound(string variant, string platform, string? asked, SourceLocation? location) => CudaDescriptor.Create(
        location,
        $"{variant}/{platform} asks for CUDA {asked}, but no libtorch-cuda-<version>-{platform} package was resolved.",
        "Check that the CUDA packages are on the sources (they are not on every mirror); add the channel that serves them.");

    public static Diagnostic CudaMismatch(string variant, string platform, string asked, string found, string package, SourceLocation? location) => CudaDescriptor.Create(
        location,
        $"The spec asks for CUDA {asked} in {variant}/{platform}, but the locked libtorch is built for CUDA {found} ({package}).",
        $"Change the spec to `cuda={found}`, or choose a TorchSharp whose libtorch uses CUDA {asked} (see docs/stack-matrix.md).");

    public static Diagnostic CudartMismatch(string variant, string platform, string cuda, string package, int cudart, string file) => CudaDescriptor.Create(
        null,
        $"{package} says CUDA {cuda}, but the CUDA runtime it bundles is major {cudart} ({file}) in {variant}/{platform}; the packages are inconsistent.",
        "Use the CUDA packages as published (a mirror may have mixed versions), then lock again.");

    public static Diagnostic NoMatchingSdk(VersionRange range, IReadOnlyList<NuGetVersion> installed, SourceLocation? location) => NoMatchingSdkDescriptor.Create(
        location,
        range.PrettyPrint(),
        installed.Count == 0 ? "none found" : string.Join(", ", installed.Select(v => v.ToNormalizedString())));

    public static Diagnostic RestitchMismatch(string package, string path, string expected, string actual) =>
        RestitchMismatchDescriptor.Create(null, path, package, expected, actual);

    public static Diagnostic TorchSharpNotResolved(string variant, string platform) => TorchSharpNotResolvedDescriptor.Create(null, variant, platform);

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is not null)
        {
            exception = exception.InnerException;
        }

        return exception;
    }
}
