using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Export;
using TorchEnv.Core.IO;

namespace TorchEnv.Core.Adopt;

/// <summary>What <see cref="Adopter.Plan"/> reads.</summary>
public sealed record AdoptOptions
{
    /// <summary>A project, a <c>.sln</c> / <c>.slnx</c>, or a folder (as for export).</summary>
    public required string Path { get; init; }

    /// <summary>The TorchEnv.Sdk version to pin in <c>global.json</c>: by default this TorchEnv's own (the packages ship together).</summary>
    public string SdkVersion { get; init; } = Resolution.EnvironmentLocker.CurrentToolVersion;

    /// <summary>Replace an existing <c>environment.yml</c> that differs from the exported one.</summary>
    public bool Force { get; init; }

    /// <summary>Export the declared versions (conda's <c>--from-history</c>) instead of what restore chose.</summary>
    public bool FromHistory { get; init; }
}

/// <summary>What happens to one project.</summary>
public enum AdoptAction
{
    /// <summary>Moved onto TorchEnv.Sdk (its stack references removed).</summary>
    Adopted,

    /// <summary>On TorchEnv.Sdk already; nothing to do.</summary>
    AlreadyAdopted,

    /// <summary>Uses no TorchSharp: left as it is.</summary>
    LeftAlone,
}

/// <summary>One project of the adopted set.</summary>
/// <param name="Path">The project file.</param>
/// <param name="Action">What adopt does to it.</param>
/// <param name="RemovedPackages">The package ids whose items were removed from it or from the Directory.* files it reads.</param>
public sealed record AdoptedProject(string Path, AdoptAction Action, IReadOnlyList<string> RemovedPackages);

/// <summary>
/// Everything <c>adopt</c> would write, computed and checked before anything is written: the new bytes of each file
/// (projects, Directory.* files, <c>global.json</c>, <c>environment.yml</c>) with the old ones to diff against.
/// </summary>
public sealed class AdoptPlan
{
    internal AdoptPlan(string root, string specPath, ExportResult? export, IReadOnlyList<AdoptedProject> projects, IReadOnlyList<FileChange> changes, IReadOnlyList<Diagnostic> warnings)
    {
        Root = root;
        SpecPath = specPath;
        Export = export;
        Projects = projects;
        Changes = changes;
        Warnings = warnings;
    }

    /// <summary>The folder of the solution or folder adopted.</summary>
    public string Root { get; }

    /// <summary>The environment.yml the projects build from.</summary>
    public string SpecPath { get; }

    /// <summary>The export behind the plan; null when every TorchSharp project was adopted already.</summary>
    public ExportResult? Export { get; }

    /// <summary>Every project read, with what happens to it.</summary>
    public IReadOnlyList<AdoptedProject> Projects { get; }

    /// <summary>The files to write (only those whose bytes change).</summary>
    public IReadOnlyList<FileChange> Changes { get; }

    /// <summary>Export warnings and notes.</summary>
    public IReadOnlyList<Diagnostic> Warnings { get; }

    /// <summary>True when nothing would change (adopted already).</summary>
    public bool IsNoOp => Changes.Count == 0;

    /// <summary>A unified diff of every change, paths relative to <see cref="Root"/>.</summary>
    public string Diff()
    {
        var text = new System.Text.StringBuilder();
        foreach (var change in Changes)
        {
            var relative = System.IO.Path.GetRelativePath(Root, change.Path).Replace('\\', '/');
            var before = change.Before is null ? null : TextFileContent.Decode(change.Before)?.Text;
            text.Append(UnifiedDiff.Of(relative, before, TextFileContent.Decode(change.After)?.Text ?? ""));
        }

        return text.ToString();
    }
}
