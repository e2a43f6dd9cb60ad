using System.Diagnostics.CodeAnalysis;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Resolution;
using TorchEnv.Core.Spec;
using TorchEnv.Core.Stack;
using TorchEnv.Tool.Cli;
using TorchEnv.Tool.Commands;

namespace TorchEnv.Tool.Locking;

/// <summary>What <see cref="LockSession.LockAsync"/> did.</summary>
/// <param name="Lock">The lock now on disk.</param>
/// <param name="Written">False when the file already held exactly this lock.</param>
/// <param name="Changes">Differences from the previous lock (everything is "added" when there was none).</param>
internal sealed record LockUpdateResult(EnvironmentLock Lock, bool Written, IReadOnlyList<EnvironmentDiff> Changes);

/// <summary>
/// One command run's view of Core's one lock workflow (<see cref="LockService"/>): the spec, its plans and the lock path,
/// and the calls every lock-reading command makes in the same way — read, check, lock under the cross-process guard with
/// progress — and <see cref="ReadForUseAsync"/>, which honours <c>--locked</c> / <c>--frozen</c> for commands that only
/// need the lock (why, export, dockerfile). What is fresh, and what each mode allows, is the service's to decide.
/// </summary>
internal sealed class LockSession
{
    private readonly CommandContext context;

    private LockSession(CommandContext context, EnvironmentSpec spec, IReadOnlyList<StackPlan> plans, string lockPath)
    {
        this.context = context;
        Spec = spec;
        Plans = plans;
        LockPath = lockPath;
    }

    /// <summary>The parsed spec.</summary>
    public EnvironmentSpec Spec { get; }

    /// <summary>One plan per variant × platform of the spec.</summary>
    public IReadOnlyList<StackPlan> Plans { get; }

    /// <summary>The lock file's full path.</summary>
    public string LockPath { get; }

    /// <summary>The global packages folder packages are read from and installed into (<c>NUGET_PACKAGES</c> as the host sees it).</summary>
    public string GlobalPackagesFolder => context.GlobalPackagesFolder(Path.GetDirectoryName(Spec.FilePath)!);

    /// <summary>Reads and plans the spec of <c>--file</c> (errors: TENV0001–TENV0199, exit 65; no file: TENV0008, exit 66).</summary>
    public static LockSession Open(CommandContext context)
    {
        context.Trace("reading the spec");
        var spec = EnvironmentSpecReader.Read(context.SpecPath());
        context.Trace("spec read");
        return Open(context, spec, context.LockPath());
    }

    /// <summary>Plans a spec already read (one not written yet: <c>adopt</c> locks before it writes anything).</summary>
    public static LockSession Open(CommandContext context, EnvironmentSpec spec, string lockPath)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var plans = StackPlanner.PlanAll(spec);
        context.Trace($"spec {spec.FilePath}: {plans.Count} variant × platform pair(s): {string.Join(", ", plans.Select(p => p.Variant + "/" + p.Platform))}");
        return new LockSession(context, spec, plans, lockPath);
    }

    /// <summary>The lock for a command that reads it, as the lock mode says (see <c>docs/cli.md</c>, "Locked and frozen").</summary>
    /// <returns>
    /// <see cref="LockMode.Frozen"/>: the file as it is (no spec read). <see cref="LockMode.Locked"/>: the file if the offline
    /// check of <c>lock --check</c> finds no error, else <see cref="CheckFailedException"/> (exit 2). Default: the file if
    /// fresh, else the spec is locked again and the new lock written first, as <c>uv tree</c> does.
    /// </returns>
    public static async Task<EnvironmentLock> ReadForUseAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var mode = context.LockMode();
        if (mode == LockMode.Frozen)
        {
            return LockFileReader.ReadRequired(context.LockPath(), context.SpecPath());
        }

        var session = Open(context);
        var use = await session.Service().UseAsync(mode, mayLock: false, cancellationToken).ConfigureAwait(false);
        if (use.Action != LockAction.Refused)
        {
            return use.Lock!;
        }

        if (mode == LockMode.Locked)
        {
            throw new CheckFailedException(use.Findings);
        }

        context.Log(use.Previous is null
            ? $"No lock at {session.LockPath}; locking {session.Spec.FilePath}."
            : $"{session.LockPath} is out of date with {session.Spec.FilePath}; locking again.");
        var updated = await session.LockAsync(use.Previous, LockUpdate.None, cancellationToken).ConfigureAwait(false);
        return updated.Lock;
    }

    /// <summary>The lock file, or null when it does not exist (a malformed file throws TENV0220–TENV0227).</summary>
    public EnvironmentLock? ReadLock() => Service().Read();

    /// <summary>
    /// Offline findings about <paramref name="lockFile"/> (null: missing): name, spec hashes, coverage, roots, closure,
    /// sources, and with <paramref name="checkInstalled"/> the packages in the global packages folder.
    /// </summary>
    public IReadOnlyList<Diagnostic> Check(EnvironmentLock? lockFile, bool checkInstalled) => Service().Check(lockFile, checkInstalled);

    /// <summary>True when <paramref name="lockFile"/> exists and the offline check finds no error in it: nothing to resolve.</summary>
    public bool IsFresh([NotNullWhen(true)] EnvironmentLock? lockFile) => Service().IsFresh(lockFile);

    /// <summary>
    /// Locks under the cross-process guard (another <c>torchenv lock</c> or build that locked meanwhile leaves a fresh lock,
    /// used as it is), keeping locked versions except those <paramref name="update"/> names; says what changed since
    /// <paramref name="previous"/>. A lock that does not read is locked from scratch.
    /// </summary>
    public async Task<LockUpdateResult> LockAsync(EnvironmentLock? previous, LockUpdate update, CancellationToken cancellationToken)
    {
        var statistics = new LockStatistics();
        var use = await DownloadProgressDisplay.RunAsync(context, progress => Service(progress, statistics).LockAsync(update, startOverIfUnreadable: true, cancellationToken))
            .ConfigureAwait(false);
        context.Trace(statistics.ToString());
        cancellationToken.ThrowIfCancellationRequested();
        if (use.Action == LockAction.LockedByAnother)
        {
            context.Log($"{LockPath} was locked by another process meanwhile; it is up to date.");
        }

        KnownLocks.Record(context, LockPath);
        return new LockUpdateResult(use.Lock!, use.Written, LockDiff.Compare(previous, use.Lock!));
    }

    /// <summary>Resolves the spec (keeping locked versions except those <paramref name="update"/> names) with progress; writes nothing.</summary>
    public async Task<EnvironmentLock> ResolveAsync(EnvironmentLock? previous, LockUpdate update, CancellationToken cancellationToken)
    {
        var statistics = new LockStatistics();
        var locked = await DownloadProgressDisplay.RunAsync(context, progress => EnvironmentLocker.LockAsync(
                Spec, Plans, previous, Options(progress, statistics) with { Update = update }, cancellationToken))
            .ConfigureAwait(false);
        context.Trace(statistics.ToString());
        cancellationToken.ThrowIfCancellationRequested();
        return locked;
    }

    /// <summary>Writes a lock <see cref="ResolveAsync"/> made, records it, and says what changed since <paramref name="previous"/>.</summary>
    public LockUpdateResult Write(EnvironmentLock? previous, EnvironmentLock locked)
    {
        ArgumentNullException.ThrowIfNull(locked);
        var written = LockFileWriter.Write(LockPath, locked) == LockWriteResult.Written;
        KnownLocks.Record(context, LockPath);
        return new LockUpdateResult(locked, written, LockDiff.Compare(previous, locked));
    }

    /// <summary>True for error-severity diagnostics.</summary>
    public static bool IsError(Diagnostic diagnostic) => LockService.IsError(diagnostic);

    private LockService Service(IProgress<PackageDownloadProgress>? progress = null, LockStatistics? statistics = null) =>
        new(Spec, Plans, LockPath, Options(progress, statistics));

    /// <summary>The options of every lock this session makes; <paramref name="statistics"/> counts what it reads (printed with --verbose).</summary>
    private LockOptions Options(IProgress<PackageDownloadProgress>? progress, LockStatistics? statistics = null) =>
        new()
        {
            GlobalPackagesFolder = GlobalPackagesFolder,
            Progress = progress,
            Statistics = statistics,
            Logger = NuGetLog.For(context),
            FactCachePath = PackageFactCache.DefaultPath(context.Host.GetEnvironmentVariable),
            Waiting = context.Log,
        };
}
