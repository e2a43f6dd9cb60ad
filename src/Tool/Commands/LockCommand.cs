using System.CommandLine;
using Spectre.Console;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Naming;
using TorchEnv.Core.Resolution;
using TorchEnv.Tool.Cli;
using TorchEnv.Tool.Locking;
using TorchEnv.Tool.Output;

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

    private static async Task<CommandOutcome> RunAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var check = context.Get(Check);
        var updateIds = context.ParseResult.GetResult(Update) is null ? null : context.Get(Update) ?? [];
        if (check && context.Get(CommonOptions.Frozen))
        {
            throw new TorchEnvException(ToolMessages.ConflictingOptions("--check", "--frozen"));
        }

        var mode = check ? LockMode.Locked : context.LockMode();
        if (updateIds is not null && mode != LockMode.Default)
        {
            throw new TorchEnvException(ToolMessages.ConflictingOptions("--update", check ? "--check" : ModeSource(context, mode)));
        }

        if (mode == LockMode.Frozen)
        {
            return Frozen(context);
        }

        var session = LockSession.Open(context);
        context.Report(EnvironmentNaming.Check(session.Spec));
        if (mode == LockMode.Locked)
        {
            return CheckOnly(context, session);
        }

        var previous = ReadOrStartOver(context, session);
        if (updateIds is null && session.IsFresh(previous))
        {
            // Up to date: nothing to resolve, nothing downloaded, nothing written (uv and pixi do the same).
            KnownLocks.Record(context, session.LockPath);
            var environments = EnvironmentSummary.From(previous);
            return new CommandOutcome(
                ExitCodes.Success,
                new LockResult(session.Spec.FilePath, session.LockPath, UpToDate: true, Written: false, environments, Changes: []),
                console => console.WriteLine($"{session.LockPath} is up to date with {session.Spec.FilePath}."));
        }

        var update = updateIds is null ? LockUpdate.None : updateIds.Length == 0 ? LockUpdate.All : LockUpdate.Packages(KnownIds(updateIds, previous, session.LockPath));
        var updated = await session.LockAsync(previous, update, cancellationToken).ConfigureAwait(false);
        var result = new LockResult(
            session.Spec.FilePath, session.LockPath, UpToDate: false, updated.Written, EnvironmentSummary.From(updated.Lock), EnvironmentChanges.From(updated.Changes));
        return new CommandOutcome(ExitCodes.Success, result, console =>
        {
            console.Write(EnvironmentSummary.Table(result.Environments));
            if (previous is not null && result.Changes.Count > 0)
            {
                console.Write(LockChangesTable.Create(result.Changes));
            }

            console.WriteLine(updated.Written ? $"Wrote {session.LockPath}." : $"{session.LockPath} did not change.");
        });
    }

    /// <summary>
    /// The previous lock, or null. A lock that does not read (a merge conflict, a hand edit) is not an error for plain
    /// <c>lock</c>: the fix every reader error gives is "run torchenv lock", so it is locked again from scratch.
    /// </summary>
    private static EnvironmentLock? ReadOrStartOver(CommandContext context, LockSession session)
    {
        try
        {
            return session.ReadLock();
        }
        catch (TorchEnvException ex)
        {
            context.Log($"{session.LockPath} does not read ({ex.Diagnostic}); locking from scratch, without its versions as preferences.");
            return null;
        }
    }

    /// <summary>
    /// <c>--check</c> / <c>--locked</c>: every offline finding, exit 2 on any error; nothing written. A lock that does not
    /// read is bad input (exit 65), as everywhere else.
    /// </summary>
    private static CommandOutcome CheckOnly(CommandContext context, LockSession session)
    {
        var existing = session.ReadLock();
        context.Trace($"lock read: {session.LockPath}");
        var findings = session.Check(existing, checkInstalled: true);
        context.Trace($"checked: {findings.Count} finding(s)");
        context.Report(findings);
        var exitCode = ExitCodeMapper.ForFindings(findings);
        var upToDate = exitCode == ExitCodes.Success;
        var result = new LockResult(session.Spec.FilePath, session.LockPath, upToDate, Written: false, EnvironmentSummary.From(existing), Changes: []);
        return new CommandOutcome(exitCode, result, console => console.WriteLine(upToDate
            ? $"{session.LockPath} is up to date with {session.Spec.FilePath}."
            : $"{session.LockPath} is not up to date with {session.Spec.FilePath} ({findings.Count(LockSession.IsError)} problem(s) above). Run 'torchenv lock' and commit the result."));
    }

    /// <summary><c>--frozen</c>: the lock is used as it is; succeeds when it exists and reads (uv's <c>lock --check-exists</c>).</summary>
    private static CommandOutcome Frozen(CommandContext context)
    {
        var lockPath = context.LockPath();
        var specPath = context.SpecPath();
        if (LockFileReader.ReadIfPresent(lockPath) is not { } lockFile)
        {
            // A check (uv's lock --check-exists): no lock is its finding, exit 2.
            context.Report(LockMessages.Missing(lockPath, specPath));
            return new CommandOutcome(ExitCodes.CheckFailed, new LockResult(specPath, lockPath, UpToDate: null, Written: false, [], []));
        }

        var environments = EnvironmentSummary.From(lockFile);
        return new CommandOutcome(
            ExitCodes.Success,
            new LockResult(specPath, lockPath, UpToDate: null, Written: false, environments, []),
            console => console.WriteLine($"{lockPath} exists and reads ({environments.Count} environment(s)); used as it is, not checked against {specPath} (--frozen)."));
    }

    /// <summary>The ids of <c>--update</c>, each checked against the previous lock so that a typo is not silently ignored.</summary>
    private static IReadOnlyList<string> KnownIds(string[] ids, EnvironmentLock? previous, string lockPath)
    {
        if (previous is null)
        {
            return ids;
        }

        var known = previous.Environments.SelectMany(e => e.Packages.Select(p => p.Id)).Append("dotnet-sdk")
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var unknown = ids.Where(id => !known.Contains(id, StringComparer.OrdinalIgnoreCase)).ToList();
        if (unknown.Count > 0)
        {
            throw new TorchEnvException(unknown.Select(id => ToolMessages.PackageNotLocked(id, lockPath, known)).ToList());
        }

        return ids;
    }

    // Names what turned a mode on, so that a conflict with an environment variable set by CI is not a puzzle.
    private static string ModeSource(CommandContext context, LockMode mode) => mode == LockMode.Locked
        ? context.Get(CommonOptions.Locked) ? "--locked" : LockModeVariables.Locked + "=1"
        : context.Get(CommonOptions.Frozen) ? "--frozen" : LockModeVariables.Frozen + "=1";

    /// <summary>The <c>--json</c> result of <c>lock</c>.</summary>
    /// <param name="SpecFile">The spec.</param>
    /// <param name="LockFile">The lock.</param>
    /// <param name="UpToDate">True when the lock was already up to date with the spec; null when not checked (<c>--frozen</c>).</param>
    /// <param name="Written">True when the lock file was written.</param>
    /// <param name="Environments">The environments of the lock (after writing), empty when there is none.</param>
    /// <param name="Changes">What changed in the lock file, per variant × platform.</param>
    internal sealed record LockResult(
        string SpecFile, string LockFile, bool? UpToDate, bool Written, IReadOnlyList<EnvironmentSummary> Environments, IReadOnlyList<EnvironmentChanges> Changes);
}
