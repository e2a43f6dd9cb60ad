using TorchEnv.Core.Diagnostics;

namespace TorchEnv.Core.Export;

/// <summary>What <see cref="SpecExporter.Export"/> reads and where the spec goes.</summary>
public sealed record ExportOptions
{
    /// <summary>A project file, a <c>.sln</c> / <c>.slnx</c>, or a folder (its one project, its one solution, else every project below it).</summary>
    public required string Project { get; init; }

    /// <summary>Where to write the spec; null for <c>environment.yml</c> beside the project.</summary>
    public string? Output { get; init; }

    /// <summary>
    /// Only what the project itself declares, with its version ranges mapped to conda specs (conda's
    /// <c>--from-history</c>); otherwise exact pins from what restore chose (<c>obj/project.assets.json</c>).
    /// </summary>
    public bool FromHistory { get; init; }
}

/// <summary>A variant of the exported spec.</summary>
/// <param name="Name">Variant name (<c>cpu</c>, <c>cuda</c>).</param>
/// <param name="Device"><c>cpu</c> or <c>cuda=12.8</c>.</param>
/// <param name="Platforms">Its platforms.</param>
public sealed record ExportedVariant(string Name, string Device, IReadOnlyList<string> Platforms);

/// <summary>One dependency line of the exported spec and where it came from.</summary>
/// <param name="Spec">The match spec, e.g. <c>torchsharp==0.107.0</c> or <c>Spectre.Console==0.57.2</c> (under <c>nuget:</c>).</param>
/// <param name="Origin">The project element it was read from, e.g. <c>TorchSharp-cpu (Mnist.csproj:9), restored 0.107.0</c>.</param>
/// <param name="Variant">The variant it belongs to, null for the top level.</param>
/// <param name="IsNuGet">True for an entry of the <c>nuget:</c> sub-list.</param>
public sealed record ExportedDependency(string Spec, string Origin, string? Variant, bool IsNuGet);

/// <summary>How a project of the exported set uses TorchSharp.</summary>
public enum ProjectUse
{
    /// <summary>Not at all: left alone.</summary>
    None,

    /// <summary>It references a TorchSharp or libtorch package (itself or through Directory.*.props).</summary>
    Direct,

    /// <summary>Only through a project reference to a project that does.</summary>
    ThroughProjectReference,
}

/// <summary>A project read by an export.</summary>
/// <param name="Path">The project file.</param>
/// <param name="Use">How it uses TorchSharp.</param>
public sealed record ExportedProject(string Path, ProjectUse Use);

/// <summary>The result of an export: the spec text (already checked with the spec reader and the stack planner) and what it holds.</summary>
public sealed record ExportResult
{
    /// <summary>The project, solution or folder exported.</summary>
    public required string ProjectPath { get; init; }

    /// <summary>Every project read, with how it uses TorchSharp.</summary>
    public required IReadOnlyList<ExportedProject> Projects { get; init; }

    /// <summary>Where the spec is (to be) written.</summary>
    public required string OutputPath { get; init; }

    /// <summary>The assets file the exact versions came from (one project only); null with <see cref="ExportOptions.FromHistory"/>, when not restored, or for several projects.</summary>
    public string? AssetsPath { get; init; }

    /// <summary>True when only declared versions were used.</summary>
    public required bool FromHistory { get; init; }

    /// <summary>The environment name written (conventional: <c>&lt;project&gt;_torchsharp_&lt;device&gt;</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The target framework written to <c>framework:</c>.</summary>
    public required string Framework { get; init; }

    /// <summary>The variants (one when every platform uses the same device).</summary>
    public required IReadOnlyList<ExportedVariant> Variants { get; init; }

    /// <summary>Every dependency line, top level first.</summary>
    public required IReadOnlyList<ExportedDependency> Dependencies { get; init; }

    /// <summary>The <c>environment.yml</c> text.</summary>
    public required string Text { get; init; }

    /// <summary>Warnings (conditions not understood, versions not determined, not restored).</summary>
    public required IReadOnlyList<Diagnostic> Warnings { get; init; }
}
