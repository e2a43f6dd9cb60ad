namespace TorchEnv.Core.Diagnostics;

/// <summary>How serious a <see cref="Diagnostic"/> is.</summary>
public enum DiagnosticSeverity
{
    /// <summary>Stops the operation.</summary>
    Error,

    /// <summary>Reported, the operation goes on; suppressible by code.</summary>
    Warning,

    /// <summary>For people reading the log.</summary>
    Info,
}

/// <summary>
/// One finding of TorchEnv with a stable code (<c>TENV0001</c>…), a message that says what is wrong,
/// where (when the fault is in a user file) and how to fix it. Every code is listed in <c>docs/diagnostics.md</c>.
/// </summary>
/// <param name="Code">Stable code, <c>TENV</c> followed by four digits.</param>
/// <param name="Severity">Error, warning or info.</param>
/// <param name="Message">What is wrong, in one or two sentences.</param>
/// <param name="Location">Where in a user file, when the fault is there.</param>
/// <param name="Fix">What the user can do about it.</param>
public sealed record Diagnostic(
    string Code,
    DiagnosticSeverity Severity,
    string Message,
    SourceLocation? Location = null,
    string? Fix = null)
{
    /// <summary>The canonical one-line form, <c>file(line,col): error TENV0001: message Fix: …</c>, as compilers print it.</summary>
    public override string ToString()
    {
        var where = Location is null ? "" : Location + ": ";
        var severity = Severity switch
        {
            DiagnosticSeverity.Error => "error",
            DiagnosticSeverity.Warning => "warning",
            _ => "info",
        };
        var fix = string.IsNullOrEmpty(Fix) ? "" : " Fix: " + Fix;
        return $"{where}{severity} {Code}: {Message}{fix}";
    }
}
