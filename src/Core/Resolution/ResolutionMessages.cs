using NuGet.Packaging.Core;
using NuGet.Versioning;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Spec;

namespace TorchEnv.Core.Resolution;

/// <summary>Every diagnostic of resolution (TENV0200–TENV0219), in one place. Each code is described in docs/diagnostics.md.</summary>
internal static class ResolutionMessages
{
    private static Diagnostic Error(string code, string message, string fix, SourceLocation? location = null) =>
        new(code, DiagnosticSeverity.Error, message, location, fix);

    public static Diagnostic UnknownChannel(ChannelSpec channel, IReadOnlyList<string> configured) => Error(
        "TENV0200",
        $"Channel '{channel.Value}' is not a source in NuGet.config, an http(s) URL or an existing folder."
            + NameSuggestions.DidYouMean(channel.Value, configured)
            + (configured.Count == 0 ? " NuGet.config defines no sources." : $" Configured sources: {string.Join(", ", configured)}."),
        "Use the name of a source from NuGet.config (`dotnet nuget list source`), a full https:// URL, or a folder path relative to environment.yml.",
        channel.Location);

    public static Diagnostic MissingFolder(ChannelSpec channel, string fullPath) => Error(
        "TENV0201",
        $"Channel '{channel.Value}' is a local folder feed, but '{fullPath}' does not exist.",
        "Create the folder (and put the .nupkg files in it), or correct the path; it is relative to environment.yml.",
        channel.Location);

    public static Diagnostic NoSources(string specPath) => Error(
        "TENV0202",
        "The spec has no channels and NuGet.config enables no package source, so there is nowhere to resolve packages from.",
        "Add `channels: [nuget.org]` to environment.yml, or add a source with `dotnet nuget add source <url> --name <name>`.",
        new SourceLocation(specPath, 1, 1));

    public static Diagnostic DisabledSource(ChannelSpec channel, string name) => Error(
        "TENV0214",
        $"Channel '{channel.Value}' names the NuGet.config source '{name}', which is disabled there.",
        $"Enable it (`dotnet nuget enable source {name}`) or remove it from channels.",
        channel.Location);

    public static Diagnostic SourceFailed(string source, Exception exception) => Error(
        "TENV0203",
        $"The package source '{source}' could not be read: {Innermost(exception).Message}",
        "Check the URL, your network and proxy, and the credentials in NuGet.config (packageSourceCredentials) for this source.");

    public static Diagnostic PackageNotFound(string id, IReadOnlyList<string> wanted) => Error(
        "TENV0204",
        $"Package '{id}' is not on any of the sources (wanted: {string.Join("; ", wanted)}).",
        "Check the package id, or add a channel that serves it (the spec's `channels:`, or NuGet.config when channels are empty).");

    public static Diagnostic NoVersionSatisfies(string id, IReadOnlyList<string> constraints, IReadOnlyList<NuGetVersion> available) => Error(
        "TENV0205",
        $"No version of '{id}' satisfies every constraint on it: {string.Join("; ", constraints)}. "
            + $"Available: {string.Join(", ", available.TakeLast(12).Select(v => v.ToNormalizedString()))}.",
        "Loosen the version in environment.yml that asks for it, or add a source that has a matching version.");

    public static Diagnostic NoCandidateAvailable(string variant, string platform, IReadOnlyList<string> missing, PackageSourceSet sources) => Error(
        "TENV0206",
        $"No stack allowed by the spec for {variant}/{platform} is available on the sources "
            + $"({string.Join(", ", sources.Sources.Select(sources.Describe))}): {string.Join("; ", missing)}.",
        "Allow a TorchSharp version the sources have (e.g. `torchsharp=0.107.*`), or add a channel that serves the missing packages "
            + "(CUDA packages are not on every mirror).");

    public static Diagnostic NoFixedPoint(IReadOnlyList<string> roots, int rounds) => Error(
        "TENV0207",
        $"Resolution of {string.Join(", ", roots)} did not settle after {rounds} rounds (dependency versions keep changing each other).",
        "Pin the packages involved exactly in the spec's `nuget:` list to break the cycle.");

    public static Diagnostic DownloadFailed(PackageIdentity identity, string source, string reason) => Error(
        "TENV0208",
        $"Package {identity.Id} {identity.Version.ToNormalizedString()} could not be downloaded from '{source}' into the global packages folder: {reason}",
        "Retry; if it persists, delete the package's folder in the global packages folder (`dotnet nuget locals global-packages --list`) and check the source.");

    public static Diagnostic CudnnNotFound(string variant, string platform, VersionRange asked, SourceLocation? location) => Error(
        "TENV0209",
        $"The spec asks for cuDNN {asked.PrettyPrint()} in {variant}/{platform}, but no locked package bundles cuDNN (no libcudnn*.so.N or cudnn*64_N.dll).",
        "Remove `cudnn=` from a CPU variant, or use a CUDA variant (`cuda=12.8`).",
        location);

    public static Diagnostic CudnnMismatch(string variant, string platform, VersionRange asked, int found, string file, SourceLocation? location) => Error(
        "TENV0209",
        $"The spec asks for cuDNN {asked.PrettyPrint()} in {variant}/{platform}, but the locked packages bundle cuDNN {found} ({file}).",
        $"Change the spec to `cudnn={found}`, or choose a TorchSharp whose libtorch bundles the cuDNN you need (see docs/stack-matrix.md).",
        location);

    public static Diagnostic CudaNotFound(string variant, string platform, string? asked, SourceLocation? location) => Error(
        "TENV0210",
        $"{variant}/{platform} asks for CUDA {asked}, but no libtorch-cuda-<version>-{platform} package was resolved.",
        "Check that the CUDA packages are on the sources (they are not on every mirror); add the channel that serves them.",
        location);

    public static Diagnostic CudaMismatch(string variant, string platform, string asked, string found, string package, SourceLocation? location) => Error(
        "TENV0210",
        $"The spec asks for CUDA {asked} in {variant}/{platform}, but the locked libtorch is built for CUDA {found} ({package}).",
        $"Change the spec to `cuda={found}`, or choose a TorchSharp whose libtorch uses CUDA {asked} (see docs/stack-matrix.md).",
        location);

    public static Diagnostic CudartMismatch(string variant, string platform, string cuda, string package, int cudart, string file) => Error(
        "TENV0210",
        $"{package} says CUDA {cuda}, but the CUDA runtime it bundles is major {cudart} ({file}) in {variant}/{platform}; the packages are inconsistent.",
        "Use the CUDA packages as published (a mirror may have mixed versions), then lock again.");

    public static Diagnostic NoMatchingSdk(VersionRange range, IReadOnlyList<NuGetVersion> installed, SourceLocation? location) => Error(
        "TENV0211",
        $"No installed .NET SDK satisfies dotnet-sdk {range.PrettyPrint()}. Installed: "
            + (installed.Count == 0 ? "none found" : string.Join(", ", installed.Select(v => v.ToNormalizedString()))) + ".",
        "Install a matching SDK (https://dot.net/download, or dotnet-install.sh --version <v>), or widen `dotnet-sdk=` in environment.yml.",
        location);

    public static Diagnostic RestitchMismatch(string package, string path, string expected, string actual) => Error(
        "TENV0212",
        $"The pieces of {path} ({package} and its -fragmentN packages) do not join into the file its .sha names (expected SHA-256 {expected}, got {actual}).",
        "Delete these packages from the global packages folder and lock again so NuGet downloads them afresh.");

    public static Diagnostic TorchSharpNotResolved(string variant, string platform) => Error(
        "TENV0213",
        $"The packages resolved for {variant}/{platform} contain no TorchSharp package.",
        "Make sure the spec has a `torchsharp=` line; if it has, this is a bug in torchenv's stack matrix — please report it.");

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is not null)
        {
            exception = exception.InnerException;
        }

        return exception;
    }
}
