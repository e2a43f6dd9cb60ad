using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Native;
using TorchEnv.Core.Resolution;
using TorchEnv.Core.Spec;

namespace TorchEnv.Sdk.Tasks.CoreServices;

/// <summary>
/// Everything the tasks ask of TorchEnv.Core, in one narrow interface: the tasks decide (what the build does with a
/// missing or stale lock, which items to replace, what to log), Core knows (spec, plans, lock format, resolution,
/// installed packages, ELF). <see cref="TorchEnvCore"/> forwards to Core; unit tests substitute a fake.
/// Every member throws <see cref="TorchEnvException"/> for user-facing failures.
/// </summary>
internal interface ITorchEnvCore
{
    /// <summary>Reads and validates <c>environment.yml</c>.</summary>
    EnvironmentSpec ReadSpec(string specFile);

    /// <summary>Reads and validates <c>environment.lock.yml</c>.</summary>
    EnvironmentLock ReadLock(string lockFile);

    /// <summary>
    /// The lock to build with, as Core's one lock workflow (<see cref="LockService"/>) decides in <paramref name="mode"/>:
    /// used as it is when fresh (or frozen, or design-time), refused with every error <c>torchenv lock --check</c> finds
    /// offline in locked mode, else resolved through NuGet and written under the cross-process guard (installing into
    /// the global packages folder, keeping the versions of the lock that still fit). With <paramref name="mayLock"/>
    /// false a lock that is not fresh is refused instead of locked.
    /// </summary>
    LockUse UseLock(EnvironmentSpec spec, string lockFile, LockMode mode, bool mayLock, string? globalPackagesFolder,
        Action<string> progress, CancellationToken cancellationToken);

    /// <summary>
    /// <c>TorchEnvVariant=auto</c>: the variant of <paramref name="lockFile"/> to build for <paramref name="platform"/> on
    /// this machine and why (Core's <see cref="Core.Gpu.AutoVariant"/> on this machine's driver and GPUs, or the report of
    /// the <c>TORCHENV_GPU_REPORT</c> test hook); null when the lock has no entry for the platform.
    /// </summary>
    Core.Gpu.VariantChoice? ChooseAutoVariant(EnvironmentLock lockFile, string platform);

    /// <summary>
    /// Remembers the lock in the per-user registry of known locks, so <c>torchenv cache prune</c> never removes what a
    /// project built with it needs. Returns a problem to report as a message, or null; never throws.
    /// </summary>
    string? RecordKnownLock(string lockFile);

    /// <summary>
    /// Where NuGet restore must look for the packages of a lock entry: the sources their lock records (URLs as written,
    /// local folders relative to the spec) as NuGet locations (URL or full folder path), distinct, in first-use order.
    /// </summary>
    IReadOnlyList<string> RestoreSources(EnvironmentSpec spec, LockedEnvironment environment);

    /// <summary>
    /// Compares what restore used with the lock entry, offline: the versions in <paramref name="assetsFile"/> and the
    /// SHA-512 NuGet recorded for each package in <paramref name="globalPackagesFolder"/>. One diagnostic per drift,
    /// located at the package's line in the lock.
    /// </summary>
    IReadOnlyList<Diagnostic> CheckInstalledPackages(LockedEnvironment environment, string globalPackagesFolder, string? assetsFile);

    /// <summary>
    /// Makes the split CUDA files of the environment's "-primary" packages whole before anything reads them (joined under
    /// Core's cross-process guard, checked against their <c>.sha</c>); TENV0330–TENV0332 name a file that is not.
    /// </summary>
    RestitchOutcome RestitchSplitFiles(LockedEnvironment environment, string globalPackagesFolder, Action<string> waiting);

    /// <summary>
    /// Reads this host's glibc / libstdc++ version definitions and compares them with the version needs of the locked
    /// native files (ELF headers and version sections only). The diagnostics are Core's: the missing versions with their
    /// fixes, or the patchable case while the compatibility step is off.
    /// </summary>
    NativeHostCheck CheckHost(IReadOnlyList<NativeFile> files, bool compatibilityEnabled);

    /// <summary>
    /// Writes the patched copy of a native file (weak GLIBCXX_3.4.32 need, unversioned <c>std::ios_base_library_init</c>,
    /// DT_NEEDED on the shim) and returns the warning that says so.
    /// </summary>
    Diagnostic PatchForCompatibility(string sourceFile, string destinationFile, string shimFileName);
}

/// <summary>Whether the locked natives load on this host as shipped.</summary>
internal enum NativeHostStatus
{
    /// <summary>Everything the files need is there (or the check does not apply to this host).</summary>
    Loads,

    /// <summary>Only <c>std::ios_base_library_init()</c> of GLIBCXX_3.4.32 is missing: the compatibility step can fix it.</summary>
    Patchable,

    /// <summary>Anything else is missing: the files cannot load here.</summary>
    CannotLoad,
}

/// <summary>The result of <see cref="ITorchEnvCore.CheckHost"/>.</summary>
/// <param name="Status">Loads, patchable, or not.</param>
/// <param name="Diagnostics">What to report (errors for a gap that stays, warnings such as "libc not found").</param>
/// <param name="FilesToPatch">For <see cref="NativeHostStatus.Patchable"/>: full paths of the files the step must patch.</param>
internal sealed record NativeHostCheck(NativeHostStatus Status, IReadOnlyList<Diagnostic> Diagnostics, IReadOnlyList<string> FilesToPatch)
{
    /// <summary>Nothing to do.</summary>
    public static readonly NativeHostCheck Loads = new(NativeHostStatus.Loads, [], []);
}
