using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using TorchEnv.Core.Diagnostics;

namespace TorchEnv.Sdk.Tasks.Logging;

/// <summary>
/// Turns Core <see cref="Diagnostic"/>s into MSBuild errors, warnings and messages that carry the code, the file, the
/// line and the column, so that IDEs jump to the fault and <c>NoWarn</c> / <c>MSBuildWarningsAsMessages</c> apply.
/// </summary>
internal sealed class DiagnosticLogger(TaskLoggingHelper log)
{
    /// <summary>Logs every diagnostic, in order.</summary>
    public void Report(IEnumerable<Diagnostic> diagnostics)
    {
        foreach (var diagnostic in diagnostics)
        {
            Report(diagnostic);
        }
    }

    /// <summary>Logs one diagnostic; <see cref="DiagnosticSeverity.Info"/> becomes a high-importance message with its code.</summary>
    public void Report(Diagnostic diagnostic)
    {
        var file = diagnostic.Location?.File;
        var line = diagnostic.Location?.Line ?? 0;
        var column = diagnostic.Location?.Column ?? 0;
        var text = Text(diagnostic);
        switch (diagnostic.Severity)
        {
            case DiagnosticSeverity.Error:
                log.LogError(subcategory: "TorchEnv", errorCode: diagnostic.Code, helpKeyword: diagnostic.Code, file: file,
                    lineNumber: line, columnNumber: column, endLineNumber: 0, endColumnNumber: 0, message: "{0}", text);
                break;
            case DiagnosticSeverity.Warning:
                log.LogWarning(subcategory: "TorchEnv", warningCode: diagnostic.Code, helpKeyword: diagnostic.Code, file: file,
                    lineNumber: line, columnNumber: column, endLineNumber: 0, endColumnNumber: 0, message: "{0}", text);
                break;
            default:
                log.LogMessage(subcategory: "TorchEnv", code: diagnostic.Code, helpKeyword: diagnostic.Code, file: file,
                    lineNumber: line, columnNumber: column, endLineNumber: 0, endColumnNumber: 0,
                    importance: MessageImportance.High, message: "{0}", text);
                break;
        }
    }

    /// <summary>The message as printed: what is wrong, then how to fix it.</summary>
    internal static string Text(Diagnostic diagnostic) =>
        string.IsNullOrEmpty(diagnostic.Fix) ? diagnostic.Message : $"{diagnostic.Message} Fix: {diagnostic.Fix}";
}
