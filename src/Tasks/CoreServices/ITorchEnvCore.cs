using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Spec;
using TorchEnv.Core.Stack;

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

    /// <summary>Plans one variant × platform (gives the spec hash a lock entry must carry).</summary>
    StackPlan Plan(EnvironmentSpec spec, VariantSpec variant, string platform);

    /// <summary>Reads and validates <c>environment.lock.yml</c>.</summary>
    EnvironmentLock ReadLock(string lockFile);

    /// <summary>
    /// Holds the cross-process guard under which a build checks the lock and, when needed, locks: a second project of the
    /// same solution waits, then finds the lock fresh instead of resolving again.
    /// </summary>
    IDisposable AcquireLockGuard(string lockFile);

    /// <summary>
    /// Resolves every variant × platform of the spec through NuGet (installing into the global packages folder, keeping
    /// the versions of <paramref name="previous"/> that still fit) and writes the lock atomically. Returns the new lock.
    /// </summary>
    EnvironmentLock LockAndWrite(EnvironmentSpec spec, EnvironmentLock? previous, string lockFile, string? globalPackagesFolder,
        Action<string> progress, CancellationToken cancellationToken);

    /// <summary>
    /// Compares what restore used with the lock entry, offline: the versions in <paramref name="assetsFile"/> and the
    /// SHA-512 NuGet recorded for each package in <paramref name="globalPackagesFolder"/>. One diagnostic per drift,
    /// located at the package's line in the lock.
    /// </summary>
    IReadOnlyList<Diagnostic> CheckInstalledPackages(LockedEnvironment environment, string globalPackagesFolder, string? assetsFile);

    /// <summary>Reads the glibc / libstdc++ version definitions of this host and compares them with the needs of a native file.</summary>
    NativeHostGap FindHostGap(LockedEnvironment environment, string libTorchSharpFile);

    /// <summary>Writes the patched copy of <c>libLibTorchSharp.so</c> (weak GLIBCXX_3.4.32 need, unversioned symbol, DT_NEEDED on the shim).</summary>
    void PatchLibTorchSharp(string sourceFile, string destinationFile, string shimFileName);
}

/// <summary>What the host lacks for the locked natives of one platform.</summary>
/// <param name="MissingVersions">Symbol versions the host does not define, e.g. <c>GLIBCXX_3.4.32</c>; empty when none.</param>
/// <param name="NeededBy">The locked files that need them (package/path), for the message.</param>
/// <param name="OnlyIosBaseLibraryInit">True when the one thing missing is <c>std::ios_base_library_init()</c> of GLIBCXX_3.4.32 in libLibTorchSharp.so.</param>
internal sealed record NativeHostGap(IReadOnlyList<string> MissingVersions, IReadOnlyList<string> NeededBy, bool OnlyIosBaseLibraryInit)
{
    /// <summary>No gap: the host loads everything as shipped.</summary>
    public static readonly NativeHostGap None = new([], [], false);

    /// <summary>True when something is missing.</summary>
    public bool HasGap => MissingVersions.Count > 0;
}
