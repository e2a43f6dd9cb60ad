using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Lock;

namespace TorchEnv.Core.Containers;

/// <summary>The diagnostics of <c>torchenv dockerfile</c> (TENV0560–TENV0569), each documented in <c>docs/diagnostics.md</c>.</summary>
public static class ContainerMessages
{
    /// <summary>TENV0560: the variant has no Linux platform in the lock.</summary>
    public const string NoLinuxPlatformCode = "TENV0560";

    /// <summary>TENV0561: no known base image provides the lock's host requirements.</summary>
    public const string NoBaseImageCode = "TENV0561";

    /// <summary>TENV0562: no NVIDIA CUDA image is known for the locked CUDA version.</summary>
    public const string NoCudaImageCode = "TENV0562";

    /// <summary>TENV0563: the entry project cannot be found or is ambiguous.</summary>
    public const string EntryProjectCode = "TENV0563";

    /// <summary>TENV0564 (warning): a local package source of the lock lies outside the build context.</summary>
    public const string SourceOutsideContextCode = "TENV0564";

    /// <summary>TENV0565 (warning): the lock pins no .NET SDK, so the SDK image tag floats.</summary>
    public const string SdkNotPinnedCode = "TENV0565";

    /// <summary>TENV0566 (warning): the runtime bundled with the locked SDK is unknown here, so the runtime-deps tag floats.</summary>
    public const string RuntimeVersionUnknownCode = "TENV0566";

    /// <summary>TENV0567: the lock's .NET version has no Linux container images.</summary>
    public const string NoDotnetImageCode = "TENV0567";

    /// <summary>TENV0560.</summary>
    public static Diagnostic NoLinuxPlatform(string variant, IEnumerable<string> platforms, string lockPath) => new(
        NoLinuxPlatformCode,
        DiagnosticSeverity.Error,
        $"Variant '{variant}' is locked for {string.Join(", ", platforms)} only; a container image needs linux-x64 or linux-arm64.",
        new SourceLocation(lockPath, 1, 1),
        "Add linux-x64 to the variant's platforms in environment.yml, run 'torchenv lock', or choose another --variant.");

    /// <summary>TENV0561.</summary>
    public static Diagnostic NoBaseImage(string what, HostRequirements requirements, IReadOnlyList<BaseImageCandidate> candidates) => new(
        NoBaseImageCode,
        DiagnosticSeverity.Error,
        $"No known {what} provides what the locked native libraries need (GLIBC {requirements.Glibc ?? "-"}, GLIBCXX {requirements.Glibcxx ?? "-"}, CXXABI {requirements.Cxxabi ?? "-"}): "
        + string.Join("; ", candidates.Select(c => $"{c.Reference} lacks {string.Join(", ", c.Lacks)}")) + ".",
        Fix: "Lock a TorchSharp version whose native libraries need less (see the lock's host: section), or write the Dockerfile by hand on a newer base image.");

    /// <summary>TENV0562.</summary>
    public static Diagnostic NoCudaImage(string cuda, IEnumerable<string> known) => new(
        NoCudaImageCode,
        DiagnosticSeverity.Error,
        $"No NVIDIA CUDA image is known for CUDA {cuda}; TorchEnv knows nvidia/cuda images for CUDA {string.Join(", ", known.Distinct())}.",
        Fix: "Lock a CUDA version from that list, or update TorchEnv.");

    /// <summary>TENV0563 when no project file was found.</summary>
    public static Diagnostic NoEntryProject(string context) => new(
        EntryProjectCode,
        DiagnosticSeverity.Error,
        $"No project file (*.csproj, *.fsproj, *.vbproj) under '{context}' to be the image's entry point.",
        Fix: "Pass --project <path to the program's project file>, inside the folder of environment.lock.yml (the build context).");

    /// <summary>TENV0563 when several executable projects qualify.</summary>
    public static Diagnostic AmbiguousEntryProject(string context, IEnumerable<string> projects) => new(
        EntryProjectCode,
        DiagnosticSeverity.Error,
        $"Several projects under '{context}' could be the entry point: {string.Join(", ", projects)}.",
        Fix: "Pass --project <one of them>.");

    /// <summary>TENV0563 when the given project is missing or outside the context.</summary>
    public static Diagnostic EntryProjectNotUsable(string project, string context, string why) => new(
        EntryProjectCode,
        DiagnosticSeverity.Error,
        $"The project '{project}' cannot be the entry point: {why}.",
        Fix: $"Pass --project with a project file inside the build context '{context}'.");

    /// <summary>TENV0564.</summary>
    public static Diagnostic SourceOutsideContext(string source, string context) => new(
        SourceOutsideContextCode,
        DiagnosticSeverity.Warning,
        $"The lock takes packages from the local folder '{source}', which is outside the build context '{context}'; the image build cannot see it.",
        Fix: "Move the folder feed inside the project's folder (and its channel entry), or publish those packages to a feed the build can reach.");

    /// <summary>TENV0565.</summary>
    public static Diagnostic SdkNotPinned(string tag) => new(
        SdkNotPinnedCode,
        DiagnosticSeverity.Warning,
        $"The lock pins no .NET SDK, so the build stage uses the floating tag '{tag}'.",
        Fix: "Add 'dotnet-sdk=10.0.*' (or the SDK you use) to environment.yml and run 'torchenv lock' to pin the SDK image too.");

    /// <summary>TENV0566.</summary>
    public static Diagnostic RuntimeVersionUnknown(string sdk, string tag) => new(
        RuntimeVersionUnknownCode,
        DiagnosticSeverity.Warning,
        $"The .NET SDK {sdk} is not installed here, so the runtime it bundles is unknown and the runtime image uses the floating tag '{tag}'. The program still runs on the runtime the SDK publishes with it (self-contained).",
        Fix: $"Install the .NET SDK {sdk} and run 'torchenv dockerfile' again to pin the runtime-deps tag.");

    /// <summary>TENV0567.</summary>
    public static Diagnostic NoDotnetImage(string framework) => new(
        NoDotnetImageCode,
        DiagnosticSeverity.Error,
        $"There are no supported Linux .NET container images for {framework} (TorchEnv knows .NET 8 and newer).",
        Fix: "Lock a newer .NET: 'dotnet-sdk=10.0.*' in environment.yml, then 'torchenv lock'.");
}
