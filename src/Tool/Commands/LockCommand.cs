using System.CommandLine;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Tool.Cli;

namespace TorchEnv.Tool.Commands;

/// <summary>
/// <c>torchenv lock</c>: resolves environment.yml into environment.lock.yml. <c>--check</c> (= <c>--locked</c>) writes
/// nothing and exits 2 when the lock is missing, stale or would change; <c>--update ID…</c> moves only those packages.
/// </summary>
internal static class LockCommand
{
    private static readonly Option<bool> Check = new("--check")
    {
        Description = "Check that the lock exists and is up to date with the spec, offline; write nothing; exit 2 if not (same as --locked).",
    };

    private static readonly Option<string[]> Update = new("--update")
    {
        Description = "Move these packages to the newest versions the spec allows, keeping every other locked version; with no id, all packages.",
        HelpName = "id",
        Arity = ArgumentArity.ZeroOrMore,
        AllowMultipleArgumentsPerToken = true,
    };

    /// <summary>Builds the command.</summary>
    public static Command Create(ToolHost host)
    {
        var command = new Command("lock", "Resolve environment.yml into environment.lock.yml (every package of every variant × platform, with SHA-512).")
        {
            Check,
            Update,
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
        var check = context.Get(Check);
        var updateGiven = context.ParseResult.GetResult(Update) is not null;
        if (check && context.Get(CommonOptions.Frozen))
        {
            throw new TorchEnvException(ToolMessages.ConflictingOptions("--check", "--frozen"));
        }

        var mode = check ? LockMode.Locked : context.LockMode();
        if (updateGiven && mode != LockMode.Default)
        {
            throw new TorchEnvException(ToolMessages.ConflictingOptions("--update", check ? "--check" : ModeSource(context, mode)));
        }

        throw new NotImplementedException("Waits on the Core locker and offline checker (issue 2, lock).");
    }

    // Names what turned a mode on, so that a conflict with an environment variable set by CI is not a puzzle.
    private static string ModeSource(CommandContext context, LockMode mode) => mode == LockMode.Locked
        ? context.Get(CommonOptions.Locked) ? "--locked" : LockModeResolver.LockedVariable + "=1"
        : context.Get(CommonOptions.Frozen) ? "--frozen" : LockModeResolver.FrozenVariable + "=1";
}
