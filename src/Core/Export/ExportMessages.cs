using System.Xml;
using TorchEnv.Core.Diagnostics;

namespace TorchEnv.Core.Export;

/// <summary>
/// The diagnostics of <c>torchenv export</c> and <c>torchenv adopt</c> (TENV0540–TENV0559; adopt's own are in
/// <c>AdoptMessages</c>), each documented in <c>docs/diagnostics.md</c>.
/// </summary>
public static class ExportMessages
{
    /// <summary>TENV0540: no project file, or several solutions, where one was expected.</summary>
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

    /// <summary>TENV0551: two projects ask for different versions of a stack package (TorchSharp, libtorch, TorchVision).</summary>
    public static readonly DiagnosticDescriptor DifferentStackVersionsDescriptor = new(
        "TENV0551", DiagnosticSeverity.Error, ExitClass.BadInput,
        "{0} and {1} ask for different versions of {2}{3}: {4}; {5}. One environment has one {2}.",
        "Use one version in both projects (a property in Directory.Build.props, or central package management), or export the projects separately.");

    /// <summary>TENV0552 (warning): two projects ask for different versions of another package; the highest is exported.</summary>
    public static readonly DiagnosticDescriptor DifferentVersionsDescriptor = new(
        "TENV0552", DiagnosticSeverity.Warning, ExitClass.BadInput,
        "The projects ask for different versions of {0} ({1}); one environment has one, so '{2}' was exported.",
        "Check that every project works with it, or align the versions in the projects.");

    /// <summary>TENV0540 when nothing was found.</summary>
    public static Diagnostic ProjectNotFound(string path) => ProjectNotFoundDescriptor.Create(
        null,
        $"No project file (*.csproj, *.fsproj, *.vbproj) at or below '{path}'.",
        "Run the command in the repository's or project's folder, or pass --project <a .csproj, .fsproj, .sln, .slnx or folder>.");

    /// <summary>TENV0540 when a folder holds several solutions and no project.</summary>
    public static Diagnostic SeveralSolutions(string folder, IEnumerable<string> solutions) => ProjectNotFoundDescriptor.Create(
        null,
        $"'{folder}' holds several solutions: {string.Join(", ", solutions)}.",
        "Pass --project <one of them>.");

    /// <summary>TENV0540 when a solution lists a project that does not exist.</summary>
    public static Diagnostic ListedProjectMissing(string solution, string project) => ProjectNotFoundDescriptor.Create(
        new SourceLocation(solution, 1, 1),
        $"'{solution}' lists '{project}', which does not exist.",
        "Remove the project from the solution ('dotnet sln remove'), or restore the file.");

    /// <summary>TENV0551.</summary>
    public static Diagnostic DifferentStackVersions(string package, (string Project, string Origin) first, (string Project, string Origin) second, string? where) =>
        DifferentStackVersionsDescriptor.Create(null, first.Project, second.Project, package, where is null ? "" : " " + where, first.Origin, second.Origin);

    /// <summary>TENV0552.</summary>
    public static Diagnostic DifferentVersions(string package, IReadOnlyList<(string Project, string Origin)> askers, string chosen) =>
        DifferentVersionsDescriptor.Create(null, package, string.Join("; ", askers.Select(a => a.Origin)), chosen);

    /// <summary>TENV0541.</summary>
    public static Diagnostic MalformedFile(SourceLocation at, string detail) => MalformedFileDescriptor.Create(at, at.File, detail);

    /// <summary>TENV0541 at the line and column of an XML error (at least 1: XmlReader reports 0 when it has no position).</summary>
    public static Diagnostic MalformedFile(string path, XmlException error) =>
        MalformedFile(new SourceLocation(path, Math.Max(1, error.LineNumber), Math.Max(1, error.LinePosition)), error.Message);

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
