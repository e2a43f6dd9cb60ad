using TorchEnv.Core.Diagnostics;

namespace TorchEnv.Core.Adopt;

/// <summary>
/// The diagnostics of <c>torchenv adopt</c> (TENV0553–TENV0556, in the export range), each documented in
/// <c>docs/diagnostics.md</c>.
/// </summary>
public static class AdoptMessages
{
    /// <summary>TENV0553: a TorchSharp project TorchEnv cannot move onto TorchEnv.Sdk.</summary>
    public static readonly DiagnosticDescriptor CannotAdoptDescriptor = new(
        "TENV0553", DiagnosticSeverity.Error, ExitClass.BadInput,
        "'{0}' {1}",
        "{2} Nothing was written.");

    /// <summary>TENV0554: an environment.yml with other content is already at the root.</summary>
    public static readonly DiagnosticDescriptor SpecExistsDescriptor = new(
        "TENV0554", DiagnosticSeverity.Error, ExitClass.CannotWrite,
        "'{0}' already exists and differs from the spec exported from the projects; adopt does not replace it.",
        "Pass --force to replace it with the exported spec, or remove it. Nothing was written.");

    /// <summary>TENV0555: a file could not be written; the files already written were restored.</summary>
    public static readonly DiagnosticDescriptor WriteFailedDescriptor = new(
        "TENV0555", DiagnosticSeverity.Error, ExitClass.CannotWrite,
        "'{0}' could not be written ({1}); the {2} file(s) already written were put back as they were.",
        "Make the file writable (or remove what is in its way) and run 'torchenv adopt' again.");

    /// <summary>TENV0556 (info): a TorchSharp project outside the adopted folder is referenced and left as it is.</summary>
    public static readonly DiagnosticDescriptor OutsideRootDescriptor = new(
        "TENV0556", DiagnosticSeverity.Info, ExitClass.BadInput,
        "'{0}' uses TorchSharp and is referenced from the adopted projects, but lies outside '{1}'; it is left as it is.",
        "Adopt its repository too, or keep its references as they are (the lock pins the same packages).");

    /// <summary>Why a project cannot be adopted.</summary>
    public enum Reason
    {
        /// <summary>It lists its packages in packages.config.</summary>
        PackagesConfig,

        /// <summary>It is an old-style project without an SDK.</summary>
        NotSdkStyle,

        /// <summary>It names another SDK than Microsoft.NET.Sdk.</summary>
        OtherSdk,

        /// <summary>Its bytes are not UTF-8 or UTF-16 text.</summary>
        Encoding,
    }

    /// <summary>TENV0553.</summary>
    public static Diagnostic CannotAdopt(string project, Reason reason) => CannotAdoptDescriptor.Create(
        new SourceLocation(project, 1, 1),
        project,
        reason switch
        {
            Reason.PackagesConfig => "lists its packages in packages.config; TorchEnv.Sdk restores PackageReferences only.",
            Reason.NotSdkStyle => "is not an SDK-style project (no Sdk attribute); TorchEnv.Sdk wraps Microsoft.NET.Sdk.",
            Reason.OtherSdk => "names an SDK other than Microsoft.NET.Sdk (or names it with an <Sdk> element or an Import); TorchEnv.Sdk wraps Microsoft.NET.Sdk only.",
            _ => "is neither UTF-8 nor UTF-16 text, so it cannot be edited byte for byte.",
        },
        reason switch
        {
            Reason.PackagesConfig or Reason.NotSdkStyle => "Migrate the project to the SDK style with PackageReference ('dotnet migrate' guidance, or upgrade-assistant), then run 'torchenv adopt' again.",
            Reason.OtherSdk => "Move the project onto TorchEnv.Sdk by hand (Sdk=\"TorchEnv.Sdk\" plus the other SDK's imports), or adopt the other projects with 'torchenv adopt <project>'.",
            _ => "Save the project as UTF-8 and run 'torchenv adopt' again.",
        });

    /// <summary>TENV0554.</summary>
    public static Diagnostic SpecExists(string path) => SpecExistsDescriptor.Create(new SourceLocation(path, 1, 1), path);

    /// <summary>TENV0555.</summary>
    public static Diagnostic WriteFailed(string path, string detail, int restored) => WriteFailedDescriptor.Create(null, path, detail, restored);

    /// <summary>TENV0556.</summary>
    public static Diagnostic OutsideRoot(string project, string root) => OutsideRootDescriptor.Create(null, project, root);
}
