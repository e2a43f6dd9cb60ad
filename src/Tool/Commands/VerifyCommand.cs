using System.CommandLine;
using TorchEnv.Tool.Cli;

namespace TorchEnv.Tool.Commands;

/// <summary>
/// <c>torchenv verify</c>: the lock against the spec (spec hash per variant × platform) and the installed packages against
/// the lock (missing, different version, different hash); <c>--deep</c> rehashes the package files.
/// </summary>
internal static class VerifyCommand
{
    private static readonly Option<bool> Deep = new("--deep")
    {
        Description = "Rehash every installed .nupkg instead of trusting the hashes NuGet recorded in .nupkg.metadata.",
    };

    /// <summary>Builds the command.</summary>
    public static Command Create(ToolHost host)
    {
        var command = new Command("verify", "Check the lock against the spec and the installed packages against the lock; exit 2 on any difference.")
        {
            Deep,
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
        throw new NotImplementedException("Waits on the Core verifier (issue 2, lock).");
    }
}
