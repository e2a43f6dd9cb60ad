using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Native;
using TorchEnv.Core.Spec;
using TorchEnv.Core.Stack;

namespace TorchEnv.Sdk.Tasks.CoreServices;

/// <summary>The real <see cref="ITorchEnvCore"/>: thin forwards to TorchEnv.Core, nothing decided here.</summary>
internal sealed class TorchEnvCore : ITorchEnvCore
{
    /// <summary>The one instance (stateless).</summary>
    public static readonly TorchEnvCore Instance = new();

    private TorchEnvCore()
    {
    }

    public EnvironmentSpec ReadSpec(string specFile) => EnvironmentSpecReader.Read(specFile);

    public StackPlan Plan(EnvironmentSpec spec, VariantSpec variant, string platform) => StackPlanner.Plan(spec, variant, platform);

    public EnvironmentLock ReadLock(string lockFile) => throw Pending("lock file reader (branch lock)");

    public IDisposable AcquireLockGuard(string lockFile) => throw Pending("cross-process file lock (branch lock)");

    public EnvironmentLock LockAndWrite(EnvironmentSpec spec, EnvironmentLock? previous, string lockFile, string? globalPackagesFolder,
        Action<string> progress, CancellationToken cancellationToken) => throw Pending("locker and lock writer (branch lock)");

    public IReadOnlyList<Diagnostic> CheckInstalledPackages(LockedEnvironment environment, string globalPackagesFolder, string? assetsFile) =>
        throw Pending("offline installed-package check (branch lock)");

    public NativeHostCheck CheckHost(IReadOnlyList<NativeFile> files, bool compatibilityEnabled)
    {
        var report = NativeGapAnalyzer.Analyze(files, HostAbi.Detect());
        var status = report.Kind switch
        {
            NativeGapKind.OnlyIosBaseLibraryInit => NativeHostStatus.Patchable,
            NativeGapKind.Other => NativeHostStatus.CannotLoad,
            _ => NativeHostStatus.Loads,
        };
        return new NativeHostCheck(status, report.ToDiagnostics(compatibilityEnabled), report.FilesToPatch.Select(f => f.FullPath).ToList());
    }

    public Diagnostic PatchForCompatibility(string sourceFile, string destinationFile, string shimFileName) =>
        NativeMessages.CompatibilityApplied(LibStdCxxCompatPatcher.Patch(sourceFile, destinationFile, shimFileName), HostAbi.Detect());

    private static NotImplementedException Pending(string what) => new($"TorchEnv.Core does not provide the {what} yet.");
}
