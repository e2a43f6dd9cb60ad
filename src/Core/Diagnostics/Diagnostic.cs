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
/// One finding of TorchEnv with a stable code (<c>TENV0001</c>…), a message that says what is wrong, where (when the
/// fault is in a user file) and how to fix it. Made by <see cref="DiagnosticDescriptor.Create"/>; every code is listed
/// in <c>docs/diagnostics.md</c>.
/// </summary>
public sealed record Diagnostic
{
    internal Diagnostic(DiagnosticDescriptor descriptor, string message, SourceLocation? location, string? fix, DiagnosticSeverity severity)
    {
        Descriptor = descriptor;
        Message = message;
        Location = location;
        Fix = fix;
        Severity = severity;
    }

    /// <summary>The declaration of this diagnostic's code.</summary>
    public DiagnosticDescriptor Descriptor { get; }

    /// <summary>Stable code, <c>TENV</c> followed by four digits.</summary>
    public string Code => Descriptor.Code;

    /// <summary>Error, warning or info (the descriptor's, unless the factory chose another).</summary>
    public DiagnosticSeverity Severity { get; init; }

    /// <summary>What the failure is when it stops a command.</summary>
    public ExitClass ExitClass => Descriptor.ExitClass;

    /// <summary>What is wrong, in one or two sentences.</summary>
    public string Message { get; }

    /// <summary>Where in a user file, when the fault is there.</summary>
    public SourceLocation? Location { get; }

    /// <summary>What the user can do about it.</summary>
    public string? Fix { get; }

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
