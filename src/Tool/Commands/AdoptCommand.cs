using System.CommandLine;
using Spectre.Console;
using TorchEnv.Core.Adopt;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Resolution;
using TorchEnv.Core.Spec;
using TorchEnv.Tool.Cli;
using TorchEnv.Tool.Locking;

namespace TorchEnv.Tool.Commands;

/// <summary>
/// <c>torchenv adopt [path]</c>: export, move the TorchSharp projects onto TorchEnv.Sdk (Core's <see cref="Adopter"/>),
/// and lock — the lock resolved before anything is written, so that a failure leaves the repository as it was.
/// <c>--dry-run</c> prints the diff and writes nothing.
/// </summary>
internal static class AdoptCommand
{
    private static readonly Argument<string?> PathArgument = new("path")
    {
        Description = "A solution (.sln, .slnx), a project, or a folder of projects [default: this folder].",
        Arity = ArgumentArity.ZeroOrOne,
    };

    private static readonly Option<bool> DryRun = new("--dry-run")
    {
        Description = "Print the changes as a diff; write nothing, lock nothing.",
    };

    private static readonly Option<bool> Force = new("--force")
    {
        Description = "Replace an existing environment.yml that differs from the exported one.",
    };

    private static readonly Option<bool> FromHistory = new("--from-history")
    {
        Description = "Export the versions the projects declare instead of what restore chose.",
    };

    private static readonly Option<bool> NoLock = new("--no-lock")
    {
        Description = "Do not lock after the rewrite (the first build locks).",
    };

    /// <summary>Builds the command.</summary>
    public static Command Create(ToolHost host)
    {
        var command = new Command("adopt", "Move an existing TorchSharp repository onto TorchEnv: environment.yml, TorchEnv.Sdk in every TorchSharp project, global.json, the lock.")
        {
            PathArgument,
            DryRun,
            Force,
            FromHistory,
            NoLock,
        };
        command.SetToolAction(host, RunAsync);
        return command;
    }

    private static async Task<CommandOutcome> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var plan = Adopter.Plan(new AdoptOptions
        {
            Path = context.Host.FullPath(context.Get(PathArgument) ?? "."),
            Force = context.Get(Force),
            FromHistory = context.Get(FromHistory),
        });
        context.Report(plan.Warnings);
        var dryRun = context.Get(DryRun);
        var diff = dryRun ? plan.Diff() : null;
        var lockPath = LockFileWriter.PathFor(plan.SpecPath);
        string? lockWritten = null;
        if (!dryRun)
        {
            // Resolve first, from the spec in memory: a package that cannot be locked (not on the feeds, the network)
            // stops adopt before any file is written, as a project it cannot rewrite does.
            (LockSession Session, EnvironmentLock? Previous, EnvironmentLock Locked)? resolved = null;
            if (!context.Get(NoLock) && plan.Export is not null)
            {
                var session = LockSession.Open(context, EnvironmentSpecReader.Parse(plan.Export.Text, plan.SpecPath), lockPath);
                var previous = session.ReadLock();
                if (!session.IsFresh(previous))
                {
                    resolved = (session, previous, await session.ResolveAsync(previous, LockUpdate.None, cancellationToken).ConfigureAwait(false));
                }
            }

            Adopter.Apply(plan);
            if (resolved is { } lockToWrite)
            {
                lockWritten = lockToWrite.Session.Write(lockToWrite.Previous, lockToWrite.Locked).Written ? lockPath : null;
            }
        }

        var changed = plan.Changes.Select(c => c.Path).Concat(lockWritten is null ? [] : [lockWritten]).ToList();
        var result = new AdoptResult(
            plan.Root, plan.SpecPath, dryRun, plan.IsNoOp,
            plan.Projects.Select(p => new AdoptedProjectResult(p.Path, p.Action switch
            {
                AdoptAction.Adopted => "adopted",
                AdoptAction.AlreadyAdopted => "alreadyAdopted",
                _ => "leftAlone",
            }, p.RemovedPackages)).ToList(),
            changed,
            diff);
        return new CommandOutcome(ExitCodes.Success, result, console =>
        {
            if (dryRun)
            {
                console.Write(new Text(diff!));
            }

            var table = new Table().Border(TableBorder.Simple).AddColumn("project").AddColumn("action").AddColumn("package items removed");
            foreach (var project in plan.Projects)
            {
                table.AddRow(new Text(Path.GetRelativePath(plan.Root, project.Path)), new Text(project.Action.ToString()), new Text(string.Join(", ", project.RemovedPackages)));
            }

            console.Write(table);
            if (plan.IsNoOp)
            {
                console.WriteLine("Nothing to do: every TorchSharp project is on TorchEnv.Sdk already.");
                return;
            }

            var relative = changed.Select(c => Path.GetRelativePath(plan.Root, c)).ToList();
            if (dryRun)
            {
                console.WriteLine($"--dry-run: nothing was written. 'torchenv adopt' would write {string.Join(", ", relative)}.");
                return;
            }

            console.WriteLine($"Wrote {string.Join(", ", relative)}.");
            // The command on a line of its own, so that it can be copied (a narrow terminal still wraps it).
            console.WriteLine("Next: dotnet build, then commit them:");
            console.WriteLine($"  git add {string.Join(" ", relative.Concat(lockWritten is null && File.Exists(lockPath) ? [Path.GetRelativePath(plan.Root, lockPath)] : []).Distinct())}");
        });
    }

    /// <summary>The <c>--json</c> result of <c>adopt</c>.</summary>
    /// <param name="Root">The folder adopted.</param>
    /// <param name="SpecFile">The environment.yml the projects build from.</param>
    /// <param name="DryRun">True with <c>--dry-run</c>.</param>
    /// <param name="UpToDate">True when nothing needed to change.</param>
    /// <param name="Projects">Every project read and what happened to it.</param>
    /// <param name="Written">The files written (or, with --dry-run, that would be; the lock only when written).</param>
    /// <param name="Diff">The unified diff, with --dry-run only.</param>
    internal sealed record AdoptResult(
        string Root, string SpecFile, bool DryRun, bool UpToDate, IReadOnlyList<AdoptedProjectResult> Projects, IReadOnlyList<string> Written, string? Diff);

    /// <summary>One project of <see cref="AdoptResult"/>.</summary>
    /// <param name="Path">The project file.</param>
    /// <param name="Action"><c>adopted</c>, <c>alreadyAdopted</c> or <c>leftAlone</c>.</param>
    /// <param name="RemovedPackages">Package ids whose items the lock now supplies and were removed.</param>
    internal sealed record AdoptedProjectResult(string Path, string Action, IReadOnlyList<string> RemovedPackages);
}
