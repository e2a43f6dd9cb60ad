using System.CommandLine;
using TorchEnv.Tool.Cli;

namespace TorchEnv.Tool.Commands;

/// <summary><c>torchenv why ID</c>: the chain from a spec line to a locked package and the constraint that chose its version.</summary>
internal static class WhyCommand
{
    private static readonly Argument<string> PackageId = new("id")
    {
        Description = "The locked package to explain, e.g. libtorch-cpu-linux-x64.",
    };

    /// <summary>Builds the command.</summary>
    public static Command Create(ToolHost host)
    {
        var command = new Command("why", "Show why a package is in the lock: the spec line, the chain of dependencies, and the constraint that chose its version.")
        {
            PackageId,
            CommonOptions.Variant,
            CommonOptions.Platform,
            CommonOptions.Locked,
            CommonOptions.Frozen,
            CommonOptions.File,
            CommonOptions.LockFile,
        };
        command.SetToolAction(host, RunAsync);
        return command;
    }

    private static Task<CommandOutcome> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        _ = context.LockMode();
        throw new NotImplementedException("Waits on the Core explainer (issue 2, lock).");
    }
}
