using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Native;
using TorchEnv.Core.Resolution;
using TorchEnv.Core.Spec;
using TorchEnv.Sdk.Tasks.CoreServices;

namespace TorchEnv.Sdk.Tests.Support;

/// <summary>
/// Core as the tasks see it, scripted by the test: a spec, a spec hash per variant/platform, the lock on disk (null when
/// absent), what locking produces, drift and host gaps. Records what the tasks asked for.
/// </summary>
internal sealed class FakeCore : ITorchEnvCore
{
    public EnvironmentSpec? Spec { get; set; }

    public Func<VariantSpec, string, string> SpecHash { get; set; } = (v, p) => $"sha256:{v.Name}-{p}";

    /// <summary>The lock each ReadLock returns, in order (the last repeats); empty throws (no lock on disk).</summary>
    public Queue<EnvironmentLock> Locks { get; } = new();

    public Func<EnvironmentSpec, EnvironmentLock?, EnvironmentLock>? Locker { get; set; }

    public List<string> LockCalls { get; } = [];

    public int GuardsAcquired { get; private set; }

    public IReadOnlyList<Diagnostic> Drift { get; set; } = [];

    public NativeHostCheck Host { get; set; } = NativeHostCheck.Loads;

    public List<(IReadOnlyList<NativeFile> Files, bool CompatibilityEnabled)> HostChecks { get; } = [];

    public List<(string Source, string Destination, string Shim)> Patches { get; } = [];

    public List<string> RecordedLocks { get; } = [];

    /// <summary>The machine <c>TorchEnvVariant=auto</c> sees (Core's real choice over it).</summary>
    public Core.Gpu.IGpuDetector Gpus { get; set; } = new Core.Gpu.FixedGpuDetector(Core.Gpu.GpuReport.Nothing("test"));

    private EnvironmentLock? _last;

    public Core.Gpu.VariantChoice? ChooseAutoVariant(EnvironmentLock lockFile, string platform) =>
        Core.Gpu.AutoVariant.Choose(lockFile, platform, HostPlatform.Current, Gpus);

    public string? RecordKnownLock(string lockFile)
    {
        RecordedLocks.Add(lockFile);
        return null;
    }

    public EnvironmentSpec ReadSpec(string specFile) => Spec ?? throw new InvalidOperationException("No spec scripted.");

    public EnvironmentLock ReadLock(string lockFile)
    {
        if (Locks.Count > 1)
        {
            _last = Locks.Dequeue();
        }
        else if (Locks.Count == 1)
        {
            _last = Locks.Peek();
        }

        return _last ?? throw new InvalidOperationException("No lock scripted.");
    }

    /// <summary>The modes the task asked Core to use the lock in.</summary>
    public List<LockMode> Modes { get; } = [];

    /// <summary>
    /// Core's lock workflow in miniature (the real one is LockService, tested in Core): an entry is fresh when its spec
    /// hash is <see cref="SpecHash"/>'s, and the lock when every variant × platform of the spec has a fresh entry.
    /// </summary>
    public LockUse UseLock(EnvironmentSpec spec, string lockFile, LockMode mode, bool mayLock, string? globalPackagesFolder,
        Action<string> progress, CancellationToken cancellationToken)
    {
        Modes.Add(mode);
        var current = File.Exists(lockFile) ? ReadLock(lockFile) : null;
        switch (mode)
        {
            case LockMode.Frozen:
                return new LockUse(current ?? throw new TorchEnvException(LockMessages.Missing(lockFile, spec.FilePath)), LockAction.Read, [], current, false);
            case LockMode.DesignTime:
                return new LockUse(current, LockAction.Read, [], current, false);
        }

        var findings = Findings(spec, current, lockFile);
        if (findings.Count == 0)
        {
            return new LockUse(current, LockAction.Read, [], current, false);
        }

        if (mode == LockMode.Locked || !mayLock)
        {
            return new LockUse(null, LockAction.Refused, findings, current, false);
        }

        GuardsAcquired++;
        var previous = File.Exists(lockFile) ? ReadLock(lockFile) : null;
        if (Findings(spec, previous, lockFile).Count == 0)
        {
            return new LockUse(previous, LockAction.LockedByAnother, [], previous, false);
        }

        LockCalls.Add(lockFile);
        var written = (Locker ?? throw new InvalidOperationException("Locking was not expected."))(spec, previous);
        var existed = File.Exists(lockFile);
        File.WriteAllText(lockFile, "# locked by FakeCore\n");
        Locks.Clear();
        Locks.Enqueue(written);
        return new LockUse(written, existed ? LockAction.Relocked : LockAction.Created, [], previous, true);
    }

    private List<Diagnostic> Findings(EnvironmentSpec spec, EnvironmentLock? environmentLock, string lockFile)
    {
        if (environmentLock is null)
        {
            return [LockMessages.Missing(lockFile, spec.FilePath)];
        }

        var findings = new List<Diagnostic>();
        foreach (var variant in spec.Variants)
        {
            foreach (var platform in variant.Platforms)
            {
                var entry = environmentLock.Find(variant.Name, platform);
                if (entry is null)
                {
                    findings.Add(LockMessages.EnvironmentMissing(variant.Name, platform, lockFile));
                }
                else if (entry.SpecHash != SpecHash(variant, platform))
                {
                    findings.Add(LockMessages.SpecChanged(entry, entry.SpecHash, SpecHash(variant, platform)));
                }
            }
        }

        return findings;
    }

    public List<(string Folder, string? Assets)> Checks { get; } = [];

    public IReadOnlyList<string> RestoreSources(EnvironmentSpec spec, LockedEnvironment environment) =>
        environment.Packages.Select(p => p.Source).Distinct().ToList();

    public IReadOnlyList<Diagnostic> CheckInstalledPackages(LockedEnvironment environment, string globalPackagesFolder, string? assetsFile)
    {
        Checks.Add((globalPackagesFolder, assetsFile));
        return Drift;
    }

    public RestitchOutcome Restitch { get; set; } = new([], []);

    public List<string> RestitchFolders { get; } = [];

    public RestitchOutcome RestitchSplitFiles(LockedEnvironment environment, string globalPackagesFolder, Action<string> waiting)
    {
        RestitchFolders.Add(globalPackagesFolder);
        return Restitch;
    }

    public NativeHostCheck CheckHost(IReadOnlyList<NativeFile> files, bool compatibilityEnabled)
    {
        HostChecks.Add((files, compatibilityEnabled));
        return Host;
    }

    public Diagnostic PatchForCompatibility(string sourceFile, string destinationFile, string shimFileName)
    {
        Patches.Add((sourceFile, destinationFile, shimFileName));
        File.WriteAllText(destinationFile, "patched " + sourceFile);
        return new Diagnostic(NativeMessages.CompatibilityAppliedDescriptor, $"patched {Path.GetFileName(sourceFile)}", null, "add TENV0312 to NoWarn", DiagnosticSeverity.Warning);
    }
}
