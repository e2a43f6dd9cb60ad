using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Native;
using TorchEnv.Core.Spec;
using TorchEnv.Core.Stack;
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

    private EnvironmentLock? _last;

    public string? RecordKnownLock(string lockFile)
    {
        RecordedLocks.Add(lockFile);
        return null;
    }

    public EnvironmentSpec ReadSpec(string specFile) => Spec ?? throw new InvalidOperationException("No spec scripted.");

    public StackPlan Plan(EnvironmentSpec spec, VariantSpec variant, string platform) => new()
    {
        Variant = variant.Name,
        Platform = platform,
        Device = ComputeDevice.Cpu,
        Framework = NuGet.Frameworks.NuGetFramework.Parse("net10.0"),
        Candidates = [],
        TorchSharp = NuGet.Versioning.VersionRange.All,
        SpecHash = SpecHash(variant, platform),
    };

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

    public IDisposable AcquireLockGuard(string lockFile)
    {
        GuardsAcquired++;
        return new Released();
    }

    public EnvironmentLock LockAndWrite(EnvironmentSpec spec, EnvironmentLock? previous, string lockFile, string? globalPackagesFolder,
        Action<string> progress, CancellationToken cancellationToken)
    {
        LockCalls.Add(lockFile);
        var written = (Locker ?? throw new InvalidOperationException("Locking was not expected."))(spec, previous);
        File.WriteAllText(lockFile, "# locked by FakeCore\n");
        Locks.Clear();
        Locks.Enqueue(written);
        return written;
    }

    public List<(string Folder, string? Assets)> Checks { get; } = [];

    public IReadOnlyList<string> RestoreSources(EnvironmentSpec spec, LockedEnvironment environment) =>
        environment.Packages.Select(p => p.Source).Distinct().ToList();

    public IReadOnlyList<Diagnostic> CheckInstalledPackages(LockedEnvironment environment, string globalPackagesFolder, string? assetsFile)
    {
        Checks.Add((globalPackagesFolder, assetsFile));
        return Drift;
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

    private sealed class Released : IDisposable
    {
        public void Dispose()
        {
        }
    }
}
