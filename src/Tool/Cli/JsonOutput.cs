using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using TorchEnv.Core.Diagnostics;

namespace TorchEnv.Tool.Cli;

/// <summary>
/// The <c>--json</c> document: one indented object on standard output, the same envelope for every command, so that a
/// script reads <c>exitCode</c>, <c>result</c> and <c>diagnostics</c> the same way everywhere. Property names are camelCase
/// and stable (golden-file tests pin them); null members are written as <c>null</c>, never left out.
/// </summary>
internal static class JsonOutput
{
    /// <summary>Serializer settings of every document torchenv prints.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        // Paths, ranges like "[1.0, )" and '<' in messages stay readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Writes the envelope of one command run to <paramref name="writer"/>, followed by a newline.</summary>
    public static void Write(TextWriter writer, string command, int exitCode, object? result, IReadOnlyList<Diagnostic> diagnostics)
    {
        var envelope = new JsonEnvelope(command, exitCode, result, diagnostics.Select(JsonDiagnostic.From).ToList());
        writer.WriteLine(JsonSerializer.Serialize(envelope, Options));
        writer.Flush();
    }
}

/// <summary>The top-level object of every <c>--json</c> document.</summary>
/// <param name="Command">The command that ran, e.g. <c>lock</c>.</param>
/// <param name="ExitCode">The process exit code (see <c>docs/exit-codes.md</c>).</param>
/// <param name="Result">The command's result, or null when it failed before having one.</param>
/// <param name="Diagnostics">Every error, warning and finding, in the order reported.</param>
internal sealed record JsonEnvelope(string Command, int ExitCode, object? Result, IReadOnlyList<JsonDiagnostic> Diagnostics);

/// <summary>A <see cref="Diagnostic"/> as JSON: location flattened into file, line and column.</summary>
/// <param name="Code">TENVnnnn.</param>
/// <param name="Severity">error, warning or info.</param>
/// <param name="Message">What is wrong.</param>
/// <param name="File">The user file at fault, or null.</param>
/// <param name="Line">1-based line, or null.</param>
/// <param name="Column">1-based column, or null.</param>
/// <param name="Fix">How to fix it, or null.</param>
internal sealed record JsonDiagnostic(string Code, DiagnosticSeverity Severity, string Message, string? File, int? Line, int? Column, string? Fix)
{
    /// <summary>Flattens a diagnostic.</summary>
    public static JsonDiagnostic From(Diagnostic d) =>
        new(d.Code, d.Severity, d.Message, d.Location?.File, d.Location?.Line, d.Location?.Column, d.Fix);
}
