using TorchEnv.Core.Diagnostics;

namespace TorchEnv.Core.Export;

/// <summary>
/// The diagnostics of <c>torchenv export</c> and <c>torchenv adopt</c> (TENV0540–TENV0559), each documented in
/// <c>docs/diagnostics.md</c>. Exit class (ExitCodeMapper, docs/exit-codes.md): bad input (65, the range's default)
/// unless noted beside the code.
/// </summary>
public static class ExportMessages
{
    /// <summary>TENV0540: no project file, or several solutions, where one was expected. Exit class: missing input (66).</summary>
    public const string ProjectNotFoundCode = "TENV0540";

    /// <summary>TENV0541: a project, props or assets file is not well-formed.</summary>
    public const string MalformedFileCode = "TENV0541";

    /// <summary>TENV0542: the project references no TorchSharp or libtorch package.</summary>
    public const string NoTorchSharpCode = "TENV0542";

    /// <summary>TENV0543 (warning): a condition TorchEnv cannot evaluate; the element is taken as unconditional.</summary>
    public const string UnknownConditionCode = "TENV0543";

    /// <summary>TENV0544 (warning): a version that cannot be determined (unknown property, not restored).</summary>
    public const string UnknownVersionCode = "TENV0544";

    /// <summary>TENV0545 (warning): the project was never restored, so exact pins come from the declared versions.</summary>
    public const string NotRestoredCode = "TENV0545";

    /// <summary>TENV0546: one platform references both a CPU and a CUDA libtorch.</summary>
    public const string TwoRuntimesCode = "TENV0546";

    /// <summary>TENV0547: the project targets no .NET 5+ framework.</summary>
    public const string UnsupportedFrameworkCode = "TENV0547";

    /// <summary>TENV0548 (warning): several target frameworks; the newest was exported.</summary>
    public const string SeveralFrameworksCode = "TENV0548";

    /// <summary>TENV0549 (warning): a conditional package reference applies on some platforms only; exported for all.</summary>
    public const string PartialReferenceCode = "TENV0549";

    /// <summary>TENV0550: the exported spec did not pass the spec reader or stack planner.</summary>
    public const string InvalidResultCode = "TENV0550";

    /// <summary>TENV0551: two projects ask for different versions of a stack package (TorchSharp, libtorch, TorchVision).</summary>
    public const string DifferentStackVersionsCode = "TENV0551";

    /// <summary>TENV0552 (warning): two projects ask for different versions of another package; the highest is exported.</summary>
    public const string DifferentVersionsCode = "TENV0552";

    /// <summary>TENV0540 when nothing was found.</summary>
    public static Diagnostic ProjectNotFound(string path) => new(
        ProjectNotFoundCode, DiagnosticSeverity.Error,
        $"No project file (*.csproj, *.fsproj, *.vbproj) at or below '{path}'.",
        Fix: "Run the command in the repository's or project's folder, or pass --project <a .csproj, .fsproj, .sln, .slnx or folder>.");

    /// <summary>TENV0540 when a folder holds several solutions and no project.</summary>
    public static Diagnostic SeveralSolutions(string folder, IEnumerable<string> solutions) => new(
        ProjectNotFoundCode, DiagnosticSeverity.Error,
        $"'{folder}' holds several solutions: {string.Join(", ", solutions)}.",
        Fix: "Pass --project <one of them>.");

    /// <summary>TENV0540 when a solution lists a project that does not exist.</summary>
    public static Diagnostic ListedProjectMissing(string solution, string project) => new(
        ProjectNotFoundCode, DiagnosticSeverity.Error,
        $"'{solution}' lists '{project}', which does not exist.",
        new SourceLocation(solution, 1, 1),
        "Remove the project from the solution ('dotnet sln remove'), or restore the file.");

    /// <summary>TENV0551.</summary>
    public static Diagnostic DifferentStackVersions(string package, (string Project, string Origin) first, (string Project, string Origin) second, string? where) => new(
        DifferentStackVersionsCode, DiagnosticSeverity.Error,
        $"{first.Project} and {second.Project} ask for different versions of {package}{(where is null ? "" : " " + where)}: {first.Origin}; {second.Origin}. One environment has one {package}.",
        Fix: "Use one version in both projects (a property in Directory.Build.props, or central package management), or export the projects separately.");

    /// <summary>TENV0552.</summary>
    public static Diagnostic DifferentVersions(string package, IReadOnlyList<(string Project, string Origin)> askers, string chosen) => new(
        DifferentVersionsCode, DiagnosticSeverity.Warning,
        $"The projects ask for different versions of {package} ({string.Join("; ", askers.Select(a => a.Origin))}); one environment has one, so '{chosen}' was exported.",
        Fix: "Check that every project works with it, or align the versions in the projects.");

    /// <summary>TENV0541.</summary>
    public static Diagnostic MalformedFile(SourceLocation at, string detail) => new(
        MalformedFileCode, DiagnosticSeverity.Error,
        $"'{at.File}' cannot be read: {detail}.", at,
        "Fix the file (it must be well-formed XML, or JSON for project.assets.json; 'dotnet restore' rewrites the assets file).");

    /// <summary>TENV0542.</summary>
    public static Diagnostic NoTorchSharp(string project) => new(
        NoTorchSharpCode, DiagnosticSeverity.Error,
        $"'{project}' references no TorchSharp package (TorchSharp, TorchSharp-cpu, TorchSharp-cuda-linux, TorchSharp-cuda-windows) and no libtorch package, directly or through Directory.Build.props / Directory.Packages.props.",
        Fix: "Export the project that uses TorchSharp, or start a new spec with 'torchenv init'.");

    /// <summary>TENV0543.</summary>
    public static Diagnostic UnknownCondition(SourceLocation at, string condition) => new(
        UnknownConditionCode, DiagnosticSeverity.Warning,
        $"The condition \"{condition}\" depends on something other than the operating system, runtime identifier or target framework; the element is exported as if it always applied.",
        at,
        "Check the exported spec; conditions on $([MSBuild]::IsOSPlatform(...)), '$(OS)', '$(RuntimeIdentifier)' and '$(TargetFramework)' become platforms and variants.");

    /// <summary>TENV0544.</summary>
    public static Diagnostic UnknownVersion(SourceLocation at, string id, string why) => new(
        UnknownVersionCode, DiagnosticSeverity.Warning,
        $"The version of '{id}' could not be determined ({why}); it is exported without a version.",
        at,
        "Add the version to the exported environment.yml, or define the property in the project or Directory.Build.props.");

    /// <summary>TENV0545.</summary>
    public static Diagnostic NotRestored(string assets) => new(
        NotRestoredCode, DiagnosticSeverity.Warning,
        $"'{assets}' does not exist (the project was not restored), so the versions are the declared ones, not what restore chose.",
        Fix: "Run 'dotnet restore' first for exact pins, or pass --from-history to export the declared versions on purpose.");

    /// <summary>TENV0546.</summary>
    public static Diagnostic TwoRuntimes(SourceLocation at, string platform, string first, string second) => new(
        TwoRuntimesCode, DiagnosticSeverity.Error,
        $"On {platform} the project references both '{first}' and '{second}'; a build has exactly one libtorch runtime (TorchSharp's own targets fail such a build).",
        at,
        "Make the references conditional by operating system or runtime identifier (each becomes a variant), or remove one.");

    /// <summary>TENV0547.</summary>
    public static Diagnostic UnsupportedFramework(string project, string frameworks) => new(
        UnsupportedFrameworkCode, DiagnosticSeverity.Error,
        $"'{project}' targets {(frameworks.Length == 0 ? "no framework TorchEnv can read" : frameworks)}; TorchEnv needs a .NET 5 or newer target framework (net8.0, net10.0).",
        Fix: "Set <TargetFramework>net10.0</TargetFramework> (or another netX.Y) with a literal value in the project or Directory.Build.props.");

    /// <summary>TENV0548.</summary>
    public static Diagnostic SeveralFrameworks(string frameworks, string chosen) => new(
        SeveralFrameworksCode, DiagnosticSeverity.Warning,
        $"The project targets {frameworks}; a spec resolves one framework, so '{chosen}' was exported.",
        Fix: "Change 'framework:' in the exported environment.yml if another target framework matters more.");

    /// <summary>TENV0549.</summary>
    public static Diagnostic PartialReference(SourceLocation at, string id, IEnumerable<string> platforms) => new(
        PartialReferenceCode, DiagnosticSeverity.Warning,
        $"'{id}' is referenced on {string.Join(", ", platforms)} only, which is no variant's set of platforms; it is exported for every platform.",
        at,
        "Move it into a variant of the exported spec by hand if it must stay platform-specific.");

    /// <summary>TENV0550.</summary>
    public static Diagnostic InvalidResult(string project, IEnumerable<Diagnostic> errors) => new(
        InvalidResultCode, DiagnosticSeverity.Error,
        $"The spec exported from '{project}' would not be valid: {string.Join(" ", errors.Select(e => e.Code + ": " + e.Message))}",
        Fix: "Nothing was written. Adjust the project's references (see the message), or write environment.yml by hand with 'torchenv init'.");
}
