using System.Collections;
using Microsoft.Build.Framework;

namespace TorchEnv.Sdk.Tests.Support;

/// <summary>A build engine that records what a task logs, for asserting codes, files, lines and texts.</summary>
internal sealed class MockBuildEngine : IBuildEngine
{
    public List<BuildErrorEventArgs> Errors { get; } = [];

    public List<BuildWarningEventArgs> Warnings { get; } = [];

    public List<BuildMessageEventArgs> Messages { get; } = [];

    public bool ContinueOnError => false;

    public int LineNumberOfTaskNode => 0;

    public int ColumnNumberOfTaskNode => 0;

    public string ProjectFileOfTaskNode => "test.csproj";

    public void LogErrorEvent(BuildErrorEventArgs e) => Errors.Add(e);

    public void LogWarningEvent(BuildWarningEventArgs e) => Warnings.Add(e);

    public void LogMessageEvent(BuildMessageEventArgs e) => Messages.Add(e);

    public void LogCustomEvent(CustomBuildEventArgs e)
    {
    }

    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) =>
        throw new NotSupportedException();

    /// <summary>Everything logged, one line each, for assertion messages.</summary>
    public string Log =>
        string.Join('\n', Errors.Select(e => $"error {e.Code} {e.File}({e.LineNumber},{e.ColumnNumber}): {e.Message}")
            .Concat(Warnings.Select(w => $"warning {w.Code} {w.File}({w.LineNumber},{w.ColumnNumber}): {w.Message}"))
            .Concat(Messages.Select(m => $"message {m.Code}: {m.Message}")));

    /// <summary>The codes of every error, warning and coded message.</summary>
    public IEnumerable<string> Codes =>
        Errors.Select(e => e.Code).Concat(Warnings.Select(w => w.Code)).Concat(Messages.Select(m => m.Code)).Where(c => !string.IsNullOrEmpty(c));
}
