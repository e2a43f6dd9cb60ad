using System.Diagnostics.CodeAnalysis;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Packages;
using TorchEnv.Core.Spec;
using TorchEnv.Core.Stack;

namespace TorchEnv.Core.Resolution;

/// <summary>What <see cref="LockService.UseAsync"/> or <see cref="LockService.LockAsync"/> did with the lock.</summary>
public enum LockAction
{
    /// <summary>The lock on disk was used as it is (fresh, frozen, or a design-time build's best guess).</summary>
    Read,

    /// <summary>Locked mode found errors in the lock: nothing may be used, nothing was written.</summary>
    Refused,

    /// <summary>There was no lock; it was resolved and written.</summary>
    Created,

    /// <summary>The lock was not fresh (or an update was asked for); it was resolved again and written.</summary>
    Relocked,

    /// <summary>Another process locked while this one waited for the guard: its lock was fresh and is used as it is.</summary>
    LockedByAnother,
}

/// <summary>The outcome of using or locking.</summary>
/// <param name="Lock">The lock to use; null when there is none (refused, or a design-time build without a lock).</param>
/// <param name="Action">What happened.</param>
/// <param name="Findings">The offline check's findings that decided (errors when refused; warnings otherwise).</param>
/// <param name="Previous">The lock before this call (null when there was none or it did not read), for "what changed".</param>
/// <param name="Written">True when the file was written (false when a relock produced exactly the text already there).</param>
public sealed record LockUse(
    EnvironmentLock? Lock, LockAction Action, IReadOnlyList<Diagnostic> Findings, EnvironmentLock? Previous, bool Written);

/// <summary>
/// The one lock workflow, for the build (TorchEnv.Sdk's tasks) and every <c>torchenv</c> command: read the lock, check it
/// offline (<see cref="LockChecker"/>: what <c>torchenv lock --check</c> reports), and lock again under the cross-process
/// <see cref="LockGuard"/>, in the mode asked for (<see cref="LockMode"/>):
/// <list type="bullet">
/// <item><see cref="LockMode.Default"/>: a fresh lock is used; a missing or stale one is locked again and written.</item>
/// <item><see cref="LockMode.Locked"/>: every error <c>lock --check</c> finds offline refuses the lock; never written.</item>
/// <item><see cref="LockMode.Frozen"/>: the file as it is, not compared with the spec; missing is TENV0230; never written.</item>
/// <item><see cref="LockMode.DesignTime"/>: the file as it is, even stale (an IDE's best guess); no network, never written.</item>
/// </list>
/// "Fresh" is one definition: the offline check finds no error in the lock itself (installed packages aside; they are
/// the build's and <c>verify</c>'s business, and locked mode checks them too).
/// </summary>
public sealed class LockService
{
    /// <summary>A service over a spec already planned.</summary>
    /// <param name="spec">The spec.</param>
    /// <param name="plans">Its plans (<see cref="StackPlanner.PlanAll"/>).</param>
    /// <param name="lockPath">The lock file's full path.</param>
    /// <param name="options">How to resolve (global packages folder, progress, logger); the folder is also the one checked.</param>
    public LockService(EnvironmentSpec spec, IReadOnlyList<StackPlan> plans, string lockPath, LockOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(plans);
        Spec = spec;
        Plans = plans;
        LockPath = lockPath;
        Options = options ?? new LockOptions();
    }

    /// <summary>A service over <paramref name="spec"/>, planned here.</summary>
    public static LockService For(EnvironmentSpec spec, string lockPath, LockOptions? options = null) =>
        new(spec, StackPlanner.PlanAll(spec), lockPath, options);

    /// <summary>The spec.</summary>
    public EnvironmentSpec Spec { get; }

    /// <summary>One plan per variant × platform of the spec.</summary>
    public IReadOnlyList<StackPlan> Plans { get; }

    /// <summary>The lock file's full path.</summary>
    public string LockPath { get; }

    /// <summary>How to resolve, and the global packages folder (null: restore's).</summary>
    public LockOptions Options { get; }

    /// <summary>The lock file, or null when it does not exist.</summary>
    /// <exception cref="TorchEnvException">TENV0220–TENV0227 for a file that does not read.</exception>
    public EnvironmentLock? Read() => LockFileReader.ReadIfPresent(LockPath);

    /// <summary>The lock file, which must exist.</summary>
    /// <exception cref="TorchEnvException">TENV0230 without one; TENV0220–TENV0227 for a file that does not read.</exception>
    public EnvironmentLock ReadRequired() => LockFileReader.ReadRequired(LockPath, Spec.FilePath);

    /// <summary>
    /// The offline findings of <c>torchenv lock --check</c> about <paramref name="lockFile"/> (null: missing): spec
    /// hashes, coverage, name, roots, closure, sources, and with <paramref name="checkInstalled"/> the packages in the
    /// global packages folder.
    /// </summary>
    /// <remarks>
    /// The <c>pruned</c> versions are compared with the installed .NET's pruning data (<see cref="LockedFactsCheck.CheckPruned"/>).
    /// With <paramref name="checkInstalled"/>, the fields the lock computes from package contents (<c>host:</c>, the
    /// stack's device, CUDA and cuDNN) are recomputed from the installed packages and compared
    /// (<see cref="LockedFactsCheck"/>, TENV0248) for every entry whose packages are all installed.
    /// </remarks>
    public IReadOnlyList<Diagnostic> Check(EnvironmentLock? lockFile, bool checkInstalled)
    {
        var findings = LockChecker.Check(Spec, Plans, lockFile, LockPath, Options.GlobalPackagesFolder, checkInstalled);
        if (lockFile is null)
        {
            return findings;
        }

        var entries = Plans.Select(plan => lockFile.Find(plan.Variant, plan.Platform)).OfType<LockedEnvironment>().ToList();
        var dotnet = Options.Dotnet ?? DotnetInstallation.Current();
        var pruned = entries.SelectMany(environment => LockedFactsCheck.CheckPruned(environment, dotnet)).ToList();
        if (!checkInstalled)
        {
            return [.. findings, .. pruned];
        }

        var folder = PackageSourceSet.Load(Spec, Options.GlobalPackagesFolder).GlobalPackagesFolder;
        return [.. findings, .. pruned, .. entries.SelectMany(environment => LockedFactsCheck.Check(environment, folder))];
    }

    /// <summary>
    /// The installed packages of one locked entry against the lock, for <c>torchenv verify</c> and the build after restore:
    /// <see cref="LockVerifier"/>'s findings (installed, hashes, with <see cref="VerifyOptions"/> the restored versions
    /// and the bytes), then the content-derived fields recomputed from those packages (<see cref="LockedFactsCheck"/>).
    /// </summary>
    public static IReadOnlyList<Diagnostic> VerifyInstalled(LockedEnvironment environment, string globalPackagesFolder, VerifyOptions? options = null) =>
        [.. LockVerifier.Verify(environment, globalPackagesFolder, options), .. LockedFactsCheck.Check(environment, globalPackagesFolder)];

    /// <summary>True when <paramref name="lockFile"/> exists and the offline check finds no error in it: nothing to resolve.</summary>
    public bool IsFresh([NotNullWhen(true)] EnvironmentLock? lockFile) =>
        lockFile is not null && !Check(lockFile, checkInstalled: false).Any(IsError);

    /// <summary>The lock to use in <paramref name="mode"/> (see the class summary); locks and writes only in the default mode.</summary>
    /// <param name="mode">The lock mode.</param>
    /// <param name="mayLock">
    /// False when the default mode must not lock either (the build's <c>EnableTorchEnvAutoLock=false</c>): a lock that
    /// is not fresh is then refused with the offline check's errors.
    /// </param>
    /// <param name="cancellationToken">Cancels waiting, resolution and downloads.</param>
    /// <exception cref="TorchEnvException">A lock that does not read (TENV0220–TENV0227); frozen without a lock (TENV0230); resolution errors.</exception>
    public async Task<LockUse> UseAsync(LockMode mode, bool mayLock = true, CancellationToken cancellationToken = default)
    {
        switch (mode)
        {
            case LockMode.Frozen:
                return new LockUse(ReadRequired(), LockAction.Read, [], null, Written: false);
            case LockMode.DesignTime:
                var present = Read();
                return new LockUse(present, LockAction.Read, [], present, Written: false);
            case LockMode.Locked:
                var existing = Read();
                var findings = Check(existing, checkInstalled: true);
                return findings.Any(IsError)
                    ? new LockUse(null, LockAction.Refused, findings.Where(IsError).ToList(), existing, Written: false)
                    : new LockUse(existing, LockAction.Read, findings, existing, Written: false);
            default:
                var current = Read();
                var errors = Check(current, checkInstalled: false).Where(IsError).ToList();
                return errors.Count == 0 ? new LockUse(current, LockAction.Read, [], current, Written: false)
                    : !mayLock ? new LockUse(null, LockAction.Refused, errors, current, Written: false)
                    : await LockAsync(LockUpdate.None, startOverIfUnreadable: false, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Locks under the <see cref="LockGuard"/>: reads the lock again once the guard is held and, when nothing is to be
    /// updated and it is fresh by then (another process locked meanwhile), uses it as it is; otherwise resolves (keeping
    /// the locked versions <paramref name="update"/> does not name) and writes it.
    /// </summary>
    /// <param name="update">Which packages to move; <see cref="LockUpdate.None"/> for a plain lock.</param>
    /// <param name="startOverIfUnreadable">
    /// True for <c>torchenv lock</c>: a lock that does not read (a merge conflict) is locked from scratch instead of failing.
    /// </param>
    /// <param name="cancellationToken">Cancels waiting, resolution and downloads.</param>
    public async Task<LockUse> LockAsync(LockUpdate update, bool startOverIfUnreadable, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        using var guard = LockGuard.Acquire(LockPath, waiting: Options.Waiting);
        cancellationToken.ThrowIfCancellationRequested();
        var existed = File.Exists(LockPath);
        var previous = ReadPrevious(startOverIfUnreadable);
        if (update == LockUpdate.None && IsFresh(previous))
        {
            return new LockUse(previous, LockAction.LockedByAnother, [], previous, Written: false);
        }

        var locked = await EnvironmentLocker.LockAsync(Spec, Plans, previous, Options with { Update = update }, cancellationToken)
            .ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        var written = LockFileWriter.Write(LockPath, locked) == LockWriteResult.Written;
        return new LockUse(locked, existed ? LockAction.Relocked : LockAction.Created, [], previous, written);
    }

    private EnvironmentLock? ReadPrevious(bool startOverIfUnreadable)
    {
        try
        {
            return Read();
        }
        catch (TorchEnvException) when (startOverIfUnreadable)
        {
            return null;
        }
    }

    /// <summary>True for error-severity diagnostics.</summary>
    public static bool IsError(Diagnostic diagnostic) => diagnostic.Severity == DiagnosticSeverity.Error;
}
