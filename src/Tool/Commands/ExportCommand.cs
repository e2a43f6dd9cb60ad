using System.CommandLine;
using Spectre.Console;
using TorchEnv.Core.Export;
using TorchEnv.Tool.Cli;

namespace TorchEnv.Tool.Commands;

/// <summary>
/// <c>torchenv export</c>: an environment.yml from an existing TorchSharp project (Core's <see cref="SpecExporter"/>),
/// pinned to what restore chose, or with <c>--from-history</c> only what the project declares.
/// </summary>
internal static class ExportCommand
{
    private static readonly Option<string?> Project = new("--project", "-p")
    {
        Description = "A project, a solution (.sln, .slnx) or a folder of projects, merged into one spec at its root [default: this folder].",
        HelpName = "path",
    };

    private static readonly Option<string?> Output = new("--output", "-o")
    {
        Description = "Where to write the spec [default: environment.yml beside the project].",
        HelpName = "environment.yml",
    };

    private static readonly Option<bool> FromHistory = new("--from-history")
    {
        Description = "Only what the project declares, its version ranges kept (conda's --from-history); otherwise exact pins from obj/project.assets.json.",
    };

    private static readonly Option<bool> Force = new("--force")
    {
        Description = "Overwrite an existing spec.",
    };

    /// <summary>Builds the command.</summary>
    public static Command Create(ToolHost host)
    {
        var command = new Command("export", "Write environment.yml from existing TorchSharp projects: one, a solution or a folder (like conda env export).")
        {
            Project,
            Output,
            FromHistory,
            Force,
        };
        command.SetToolAction(host, (context, _) => Task.FromResult(Run(context)));
        return command;
    }

    private static CommandOutcome Run(CommandContext context)
    {
        var exported = SpecExporter.Export(new ExportOptions
        {
            Project = context.Host.FullPath(context.Get(Project) ?? "."),
            Output = context.Get(Output) is { Length: > 0 } output ? context.Host.FullPath(output) : null,
            FromHistory = context.Get(FromHistory),
        });
        context.Report(exported.Warnings);
        SpecExporter.Write(exported, context.Get(Force));

        var result = new ExportResult(
            exported.ProjectPath, exported.OutputPath, exported.AssetsPath, exported.FromHistory, exported.Name, exported.Framework,
            exported.Variants, exported.Dependencies,
            exported.Projects.Select(p => new ExportedProjectResult(p.Path, p.Use switch
            {
                ProjectUse.Direct => "direct",
                ProjectUse.ThroughProjectReference => "throughProjectReference",
                _ => "none",
            })).ToList());
        return new CommandOutcome(ExitCodes.Success, result, console =>
        {
            var table = new Table().Border(TableBorder.Simple).AddColumn("dependency").AddColumn("variant").AddColumn("from");
            foreach (var dependency in exported.Dependencies)
            {
                table.AddRow(new Text((dependency.IsNuGet ? "nuget: " : "") + dependency.Spec), new Text(dependency.Variant ?? "all"), new Text(dependency.Origin));
            }

            console.Write(table);
            console.WriteLine($"Wrote {exported.OutputPath} (environment '{exported.Name}', {string.Join("; ", exported.Variants.Select(v => $"{v.Name}: {string.Join(", ", v.Platforms)}"))}).");
            console.WriteLine("Next: 'torchenv lock' writes environment.lock.yml; then build the project on TorchEnv.Sdk.");
        });
    }

    /// <summary>The <c>--json</c> result of <c>export</c>.</summary>
    /// <param name="Project">The project exported.</param>
    /// <param name="File">The spec written.</param>
    /// <param name="AssetsFile">The restore output the pins came from, null for declared versions.</param>
    /// <param name="FromHistory">True with <c>--from-history</c>.</param>
    /// <param name="Name">The environment name.</param>
    /// <param name="Framework">The target framework written.</param>
    /// <param name="Variants">Variants with their device and platforms.</param>
    /// <param name="Dependencies">Every dependency line with its origin.</param>
    /// <param name="Projects">Every project read, with how it uses TorchSharp.</param>
    internal sealed record ExportResult(
        string Project, string File, string? AssetsFile, bool FromHistory, string Name, string Framework,
        IReadOnlyList<ExportedVariant> Variants, IReadOnlyList<ExportedDependency> Dependencies, IReadOnlyList<ExportedProjectResult> Projects);

    /// <summary>A project of <see cref="ExportResult"/>.</summary>
    /// <param name="Path">The project file.</param>
    /// <param name="Use"><c>direct</c>, <c>throughProjectReference</c> or <c>none</c>.</param>
    internal sealed record ExportedProjectResult(string Path, string Use);
}
