using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Lock;

namespace TorchEnv.Core.Containers;

/// <summary>The diagnostics of <c>torchenv dockerfile</c> (TENV0560–TENV0569), each documented in <c>docs/diagnostics.md</c>.</summary>
public static class ContainerMessages
{
    /// <summary>TENV0560: the variant has no Linux platform in the lock.</summary>
    public static readonly DiagnosticDescriptor NoLinuxPlatformDescriptor = new(
        "TENV0560", DiagnosticSeverity.Error, ExitClass.BadInput,
        "Variant '{0}' is locked for {1} only; a container image needs linux-x64 or linux-arm64.",
        "Add linux-x64 to the variant's platforms in environment.yml, run 'torchenv lock', or choose another --variant.");

    /// <summary>TENV0561: no known base image provides the lock's host requirements.</summary>
    public static readonly DiagnosticDescriptor NoBaseImageDescriptor = new(
        "TENV0561", DiagnosticSeverity.Error, ExitClass.BadInput,
        "No known {0} provides what the locked native libraries need (GLIBC {1}, GLIBCXX {2}, CXXABI {3}): {4}.",
        "Lock a TorchSharp version whose native libraries need less (see the lock's host: section), or write the Dockerfile by hand on a newer base image.");

    /// <summary>TENV0562: no NVIDIA CUDA image is known for the locked CUDA version.</summary>
    public static readonly DiagnosticDescriptor NoCudaImageDescriptor = new(
        "TENV0562", DiagnosticSeverity.Error, ExitClass.BadInput,
        "No NVIDIA CUDA image is known for CUDA {0}; TorchEnv knows nvidia/cuda images for CUDA {1}.",
        "Lock a CUDA version from that list, or update TorchEnv.");

    /// <summary>TENV0563: the entry project cannot be found or is ambiguous (a matter of --project).</summary>
    public static readonly DiagnosticDescriptor EntryProjectDescriptor = new(
        "TENV0563", DiagnosticSeverity.Error, ExitClass.UsageError,
        "{0}",
        "Pass --project {1}.");

    /// <summary>TENV0564 (warning): a local package source of the lock lies outside the build context.</summary>
    public static readonly DiagnosticDescriptor SourceOutsideContextDescriptor = new(
        "TENV0564", DiagnosticSeverity.Warning, ExitClass.BadInput,
        "The lock takes packages from the local folder '{0}', which is outside the build context '{1}'; the image build cannot see it.",
        "Move the folder feed inside the project's folder (and its channel entry), or publish those packages to a feed the build can reach.");

    /// <summary>TENV0565 (warning): the lock pins no .NET SDK, so the SDK image tag floats.</summary>
    public static readonly DiagnosticDescriptor SdkNotPinnedDescriptor = new(
        "TENV0565", DiagnosticSeverity.Warning, ExitClass.BadInput,
        "The lock pins no .NET SDK, so the build stage uses the floating tag '{0}'.",
        "Add 'dotnet-sdk=10.0.*' (or the SDK you use) to environment.yml and run 'torchenv lock' to pin the SDK image too.");

    /// <summary>TENV0566 (warning): the runtime bundled with the locked SDK is unknown here, so the runtime-deps tag floats.</summary>
    public static readonly DiagnosticDescriptor RuntimeVersionUnknownDescriptor = new(
        "TENV0566", DiagnosticSeverity.Warning, ExitClass.BadInput,
        "The .NET SDK {0} is not installed here, so the runtime it bundles is unknown and the runtime image uses the floating tag '{1}'. The program still runs on the runtime the SDK publishes with it (self-contained).",
        "Install the .NET SDK {0} and run 'torchenv dockerfile' again to pin the runtime-deps tag.");

    /// <summary>TENV0567: the lock's .NET version has no Linux container images.</summary>
    public static readonly DiagnosticDescriptor NoDotnetImageDescriptor = new(
        "TENV0567", DiagnosticSeverity.Error, ExitClass.BadInput,
        "There are no supported Linux .NET container images for {0} (TorchEnv knows .NET 8 and newer).",
        "Lock a newer .NET: 'dotnet-sdk=10.0.*' in environment.yml, then 'torchenv lock'.");

    /// <summary>TENV0560.</summary>
    public static Diagnostic NoLinuxPlatform(string variant, IEnumerable<string> platforms, string lockPath) =>
        NoLinuxPlatformDescriptor.Create(new SourceLocation(lockPath, 1, 1), variant, string.Join(", ", platforms));

    /// <summary>TENV0561.</summary>
    public static Diagnostic NoBaseImage(string what, HostRequirements requirements, IReadOnlyList<BaseImageCandidate> candidates) => NoBaseImageDescriptor.Create(
        null,
        what,
        requirements.Glibc ?? "-",
        requirements.Glibcxx ?? "-",
        requirements.Cxxabi ?? "-",
        string.Join("; ", candidates.Select(c => $"{c.Reference} lacks {string.Join(", ", c.Lacks)}")));

    /// <summary>TENV0562.</summary>
    public static Diagnostic NoCudaImage(string cuda, IEnumerable<string> known) => NoCudaImageDescriptor.Create(null, cuda, string.Join(", ", known.Distinct()));

    /// <summary>TENV0563 when no project file was found.</summary>
    public static Diagnostic NoEntryProject(string context) => EntryProjectDescriptor.Create(
        null,
        $"No project file (*.csproj, *.fsproj, *.vbproj) under '{context}' to be the image's entry point.",
        "<path to the program's project file>, inside the folder of environment.lock.yml (the build context)");

    /// <summary>TENV0563 when several executable projects qualify.</summary>
    public static Diagnostic AmbiguousEntryProject(string context, IEnumerable<string> projects) => EntryProjectDescriptor.Create(
        null,
        $"Several projects under '{context}' could be the entry point: {string.Join(", ", projects)}.",
        "<one of them>");

    /// <summary>TENV0563 when the given project is missing or outside the context.</summary>
    public static Diagnostic EntryProjectNotUsable(string project, string context, string why) => EntryProjectDescriptor.Create(
        null,
        $"The project '{project}' cannot be the entry point: {why}.",
        $"with a project file inside the build context '{context}'");

    /// <summary>TENV0564.</summary>
    public static Diagnostic SourceOutsideContext(string source, string context) => SourceOutsideContextDescriptor.Create(null, source, context);

    /// <summary>TENV0565.</summary>
    public static Diagnostic SdkNotPinned(string tag) => SdkNotPinnedDescriptor.Create(null, tag);

    /// <summary>TENV0566.</summary>
    public static Diagnostic RuntimeVersionUnknown(string sdk, string tag) => RuntimeVersionUnknownDescriptor.Create(null, sdk, tag);

    /// <summary>TENV0567.</summary>
    public static Diagnostic NoDotnetImage(string framework) => NoDotnetImageDescriptor.Create(null, framework);
}
