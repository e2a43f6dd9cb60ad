using System.CommandLine;
using TorchEnv.Tool.Cli;

namespace TorchEnv.Tool.Commands;

/// <summary><c>torchenv diff OLD NEW</c>: added, removed and changed packages per variant × platform between two locks.</summary>
internal static class DiffCommand
{
    private static readonly Argument<string> Old = new("old")
    {
        Description = "The earlier lock file (e.g. from 'git show HEAD~1:environment.lock.yml > old.lock.yml').",
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
        command.SetToolAction(host, RunAsync);
        return command;
    }

    private static Task<CommandOutcome> RunAsync(CommandContext context, CancellationToken cancellationToken) =>
        throw new NotImplementedException("Waits on the Core lock reader and diff (issue 2, lock).");
}
