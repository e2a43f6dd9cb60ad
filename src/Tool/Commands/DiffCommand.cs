using System.CommandLine;
using Spectre.Console;
using TorchEnv.Core.Lock;
using TorchEnv.Tool.Cli;
using TorchEnv.Tool.Locking;
using TorchEnv.Tool.Output;

namespace TorchEnv.Tool.Commands;

/// <summary><c>torchenv diff OLD NEW</c>: added, removed and changed packages per variant × platform between two locks.</summary>
internal static class DiffCommand
{
    private static readonly Argument<string> Old = new("old")
    {
        Description = "The earlier lock file (e.g. 'git show HEAD~1:environment.lock.yml > old.lock.yml').",
    };

    private static readonly Argument<string> New = new("new")
    {
        Description = "The later lock file.",
    };

    /// <summary>Builds the command.</summary>
    public static Command Create(ToolHost host)
    {
        var command = new Command("diff", "Show added, removed and changed packages per variant × platform between two lock files.")
        {
            Old,
            New,
            CommonOptions.Variant,
            CommonOptions.Platform,
        };
        command.SetToolAction(host, (context, _) => Task.FromResult(Run(context)));
        return command;
    }

    private static CommandOutcome Run(CommandContext context)
    {
        var oldPath = context.Host.FullPath(context.Get(Old)!);
        var newPath = context.Host.FullPath(context.Get(New)!);
        var oldLock = LockFileReader.Read(oldPath);
        var newLock = LockFileReader.Read(newPath);
        var platform = context.Get(CommonOptions.Platform);
        var variant = VariantArgument.Resolve(context, newLock, context.Get(CommonOptions.Variant), platform);
        // A filter must name a variant and a platform found in at least one of the two locks.
        var both = newLock with { Environments = [.. newLock.Environments, .. oldLock.Environments] };
        EnvironmentFilter.Validate(both, variant, platform: null);
        EnvironmentFilter.Validate(both, variant: null, platform);

        var changes = EnvironmentChanges.From(LockDiff.Compare(oldLock, newLock)
            .Where(d => (variant is null || string.Equals(d.Variant, variant, StringComparison.OrdinalIgnoreCase))
                && (platform is null || string.Equals(d.Platform, platform, StringComparison.OrdinalIgnoreCase))));
        var result = new DiffResult(oldPath, newPath, changes.Count == 0, changes);
        return new CommandOutcome(ExitCodes.Success, result, console =>
        {
            if (changes.Count == 0)
            {
                console.WriteLine("The locks lock the same packages.");
                return;
            }

            console.Write(LockChangesTable.Create(changes));
        });
    }

    /// <summary>The <c>--json</c> result of <c>diff</c>.</summary>
    /// <param name="Old">The earlier lock.</param>
    /// <param name="New">The later lock.</param>
    /// <param name="Identical">True when no variant × platform differs (the tool version is not compared).</param>
    /// <param name="Environments">The differences per variant × platform.</param>
    internal sealed record DiffResult(string Old, string New, bool Identical, IReadOnlyList<EnvironmentChanges> Environments);
}
