using TorchEnv.Core.Cache;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Native;
using TorchEnv.Core.Packages;
using TorchEnv.Core.Resolution;
using TorchEnv.Core.Spec;

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

    public EnvironmentLock ReadLock(string lockFile) => LockFileReader.Read(lockFile);

    public LockUse UseLock(EnvironmentSpec spec, string lockFile, LockMode mode, bool mayLock, string? globalPackagesFolder,
        Action<string> progress, CancellationToken cancellationToken)
    {
        var options = new LockOptions
        {
            GlobalPackagesFolder = globalPackagesFolder,
            Progress = new DownloadLog(progress),
            FactCachePath = PackageFactCache.DefaultPath(Environment.GetEnvironmentVariable),
            Waiting = line => progress("TorchEnv: " + line),
        };
        return LockService.For(spec, lockFile, options).UseAsync(mode, mayLock, cancellationToken).GetAwaiter().GetResult();
    }

    public Core.Gpu.VariantChoice? ChooseAutoVariant(EnvironmentLock lockFile, string platform) =>
        Core.Gpu.AutoVariant.Choose(lockFile, platform, HostPlatform.Current, Core.Gpu.GpuDetection.ForThisMachine());

    public string? RecordKnownLock(string lockFile) => LockRegistry.Default().TryRecord(lockFile);

    public IReadOnlyList<string> RestoreSources(EnvironmentSpec spec, LockedEnvironment environment)
    {
        var sources = PackageSourceSet.Load(spec);
        return environment.Packages.Select(p => p.Source).Distinct(StringComparer.Ordinal)
            .Select(recorded => sources.FindByDescription(recorded)?.Source ?? recorded)
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    public IReadOnlyList<Diagnostic> CheckInstalledPackages(LockedEnvironment environment, string globalPackagesFolder, string? assetsFile) =>
        LockService.VerifyInstalled(environment, globalPackagesFolder, new VerifyOptions { AssetsFile = assetsFile });

    public RestitchOutcome RestitchSplitFiles(LockedEnvironment environment, string globalPackagesFolder, Action<string> waiting) =>
        SplitFileRestitcher.Restitch(environment, globalPackagesFolder, waiting);

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

    /// <summary>Download progress as build messages: one line when a download starts and one when it is installed.</summary>
    private sealed class DownloadLog(Action<string> log) : IProgress<PackageDownloadProgress>
    {
        private readonly Lock _gate = new();

        public void Report(PackageDownloadProgress value)
        {
            var line = value.Stage switch
            {
                PackageDownloadStage.Started => $"TorchEnv: downloading {value.Id} {value.Version}"
                    + (value.TotalBytes is { } total ? $" ({total / (1024 * 1024)} MB)" : ""),
                PackageDownloadStage.Completed when value.IsTemporary => $"TorchEnv: read {value.Id} {value.Version} (another platform's, not kept)",
                PackageDownloadStage.Completed => $"TorchEnv: installed {value.Id} {value.Version}",
                _ => null,
            };

            // Downloads report from several threads; the build log takes one message at a time.
            if (line is not null)
            {
                lock (_gate)
                {
                    log(line);
                }
            }
        }
    }
}
