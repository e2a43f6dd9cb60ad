using TorchEnv.Core.Diagnostics;

namespace TorchEnv.Core.Export;

/// <summary>The diagnostics of <c>torchenv export</c> (TENV0540–TENV0559), each documented in <c>docs/diagnostics.md</c>.</summary>
public static class ExportMessages
{
    /// <summary>TENV0540: no project file, or several, where one was expected.</summary>
    public static readonly DiagnosticDescriptor ProjectNotFoundDescriptor = new(
        "TENV0540", DiagnosticSeverity.Error, ExitClass.MissingInput,
        "{0}",
        "{1}");

    /// <summary>TENV0541: a project, props or assets file is not well-formed.</summary>
    public static readonly DiagnosticDescriptor MalformedFileDescriptor = new(
        "TENV0541", DiagnosticSeverity.Error, ExitClass.BadInput,
        "'{0}' cannot be read: {1}.",
        "Fix the file (it must be well-formed XML, or JSON for project.assets.json; 'dotnet restore' rewrites the assets file).");

    /// <summary>TENV0542: the project references no TorchSharp or libtorch package.</summary>
    public static readonly DiagnosticDescriptor NoTorchSharpDescriptor = new(
        "TENV0542", DiagnosticSeverity.Error, ExitClass.BadInput,
        "'{0}' references no TorchSharp package (TorchSharp, TorchSharp-cpu, TorchSharp-cuda-linux, TorchSharp-cuda-windows) and no libtorch package, directly or through Directory.Build.props / Directory.Packages.props.",
        "Export the project that uses TorchSharp, or start a new spec with 'torchenv init'.");

    /// <summary>TENV0543 (warning): a condition TorchEnv cannot evaluate; the element is taken as unconditional.</summary>
    public static readonly DiagnosticDescriptor UnknownConditionDescriptor = new(
        "TENV0543", DiagnosticSeverity.Warning, ExitClass.BadInput,
        "The condition \"{0}\" depends on something other than the operating system, runtime identifier or target framework; the element is exported as if it always applied.",
        "Check the exported spec; conditions on $([MSBuild]::IsOSPlatform(...)), '$(OS)', '$(RuntimeIdentifier)' and '$(TargetFramework)' become platforms and variants.");

    /// <summary>TENV0544 (warning): a version that cannot be determined (unknown property, not restored).</summary>
    public static readonly DiagnosticDescriptor UnknownVersionDescriptor = new(
        "TENV0544", DiagnosticSeverity.Warning, ExitClass.BadInput,
        "The version of '{0}' could not be determined ({1}); it is exported without a version.",
        "Add the version to the exported environment.yml, or define the property in the project or Directory.Build.props.");

    /// <summary>TENV0545 (warning): the project was never restored, so exact pins come from the declared versions.</summary>
    public static readonly DiagnosticDescriptor NotRestoredDescriptor = new(
        "TENV0545", DiagnosticSeverity.Warning, ExitClass.MissingInput,
        "'{0}' does not exist (the project was not restored), so the versions are the declared ones, not what restore chose.",
        "Run 'dotnet restore' first for exact pins, or pass --from-history to export the declared versions on purpose.");

    /// <summary>TENV0546: one platform references both a CPU and a CUDA libtorch.</summary>
    public static readonly DiagnosticDescriptor TwoRuntimesDescriptor = new(
        "TENV0546", DiagnosticSeverity.Error, ExitClass.BadInput,
        "On {0} the project references both '{1}' and '{2}'; a build has exactly one libtorch runtime (TorchSharp's own targets fail such a build).",
        "Make the references conditional by operating system or runtime identifier (each becomes a variant), or remove one.");

    /// <summary>TENV0547: the project targets no .NET 5+ framework.</summary>
    public static readonly DiagnosticDescriptor UnsupportedFrameworkDescriptor = new(
        "TENV0547", DiagnosticSeverity.Error, ExitClass.BadInput,
        "'{0}' targets {1}; TorchEnv needs a .NET 5 or newer target framework (net8.0, net10.0).",
        "Set <TargetFramework>net10.0</TargetFramework> (or another netX.Y) with a literal value in the project or Directory.Build.props.");

    /// <summary>TENV0548 (warning): several target frameworks; the newest was exported.</summary>
    public static readonly DiagnosticDescriptor SeveralFrameworksDescriptor = new(
        "TENV0548", DiagnosticSeverity.Warning, ExitClass.BadInput,
        "The project targets {0}; a spec resolves one framework, so '{1}' was exported.",
        "Change 'framework:' in the exported environment.yml if another target framework matters more.");

    /// <summary>TENV0549 (warning): a conditional package reference applies on some platforms only; exported for all.</summary>
    public static readonly DiagnosticDescriptor PartialReferenceDescriptor = new(
        "TENV0549", DiagnosticSeverity.Warning, ExitClass.BadInput,
        "'{0}' is referenced on {1} only, which is no variant's set of platforms; it is exported for every platform.",
        "Move it into a variant of the exported spec by hand if it must stay platform-specific.");

    /// <summary>TENV0550: the exported spec did not pass the spec reader or stack planner.</summary>
    public static readonly DiagnosticDescriptor InvalidResultDescriptor = new(
        "TENV0550", DiagnosticSeverity.Error, ExitClass.BadInput,
        "The spec exported from '{0}' would not be valid: {1}",
        "Nothing was written. Adjust the project's references (see the message), or write environment.yml by hand with 'torchenv init'.");

    /// <summary>TENV0540 when nothing was found.</summary>
    public static Diagnostic ProjectNotFound(string path) => ProjectNotFoundDescriptor.Create(
        null,
        $"No project file (*.csproj, *.fsproj, *.vbproj) at '{path}'.",
        "Run 'torchenv export' in the project's folder, or pass --project <path to the .csproj>.");

    /// <summary>TENV0540 when a folder holds several projects.</summary>
    public static Diagnostic SeveralProjects(string folder, IEnumerable<string> projects) => ProjectNotFoundDescriptor.Create(
        null,
        $"'{folder}' holds several project files: {string.Join(", ", projects)}.",
        "Pass --project <one of them>.");

    /// <summary>TENV0541.</summary>
    public static Diagnostic MalformedFile(SourceLocation at, string detail) => MalformedFileDescriptor.Create(at, at.File, detail);

    /// <summary>TENV0542.</summary>
    public static Diagnostic NoTorchSharp(string project) => NoTorchSharpDescriptor.Create(null, project);

    /// <summary>TENV0543.</summary>
    public static Diagnostic UnknownCondition(SourceLocation at, string condition) => UnknownConditionDescriptor.Create(at, condition);

    /// <summary>TENV0544.</summary>
    public static Diagnostic UnknownVersion(SourceLocation at, string id, string why) => UnknownVersionDescriptor.Create(at, id, why);

    /// <summary>TENV0545.</summary>
    public static Diagnostic NotRestored(string assets) => NotRestoredDescriptor.Create(null, assets);

    /// <summary>TENV0546.</summary>
    public static Diagnostic TwoRuntimes(SourceLocation at, string platform, string first, string second) => TwoRuntimesDescriptor.Create(at, platform, first, second);

    /// <summary>TENV0547.</summary>
    public static Diagnostic UnsupportedFramework(string project, string frameworks) =>
        UnsupportedFrameworkDescriptor.Create(null, project, frameworks.Length == 0 ? "no framework TorchEnv can read" : frameworks);

    /// <summary>TENV0548.</summary>
    public static Diagnostic SeveralFrameworks(string frameworks, string chosen) => SeveralFrameworksDescriptor.Create(null, frameworks, chosen);

    /// <summary>TENV0549.</summary>
    public static Diagnostic PartialReference(SourceLocation at, string id, IEnumerable<string> platforms) =>
        PartialReferenceDescriptor.Create(at, id, string.Join(", ", platforms));

    /// <summary>TENV0550.</summary>
    public static Diagnostic InvalidResult(string project, IEnumerable<Diagnostic> errors) =>
        InvalidResultDescriptor.Create(null, project, string.Join(" ", errors.Select(e => e.Code + ": " + e.Message)));
}
