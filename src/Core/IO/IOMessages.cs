using TorchEnv.Core.Diagnostics;

namespace TorchEnv.Core.IO;

/// <summary>The diagnostics of generated files (TENV0590–TENV0599), each documented in <c>docs/diagnostics.md</c>.</summary>
public static class IOMessages
{
    /// <summary>TENV0590: a generated file already exists and may not be overwritten.</summary>
    public static readonly DiagnosticDescriptor OutputExistsDescriptor = new(
        "TENV0590", DiagnosticSeverity.Error, ExitClass.CannotWrite,
        "'{0}' already exists; it is not overwritten.",
        "Pass --force to replace it, or --output <path> to write elsewhere.");

    /// <summary>The TENV0590 error for an existing output file.</summary>
    public static Diagnostic OutputExists(string path) => OutputExistsDescriptor.Create(null, path);
}
