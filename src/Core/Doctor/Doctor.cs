using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Gpu;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Native;
using TorchEnv.Core.Packages;
using TorchEnv.Core.Resolution;
using TorchEnv.Shared;

namespace TorchEnv.Core.Doctor;

/// <summary>
/// <c>torchenv doctor</c>: checks this machine against one locked variant × platform — the .NET SDK, the glibc /
/// libstdc++ ABI (and whether the compatibility step covers a gap), the NVIDIA driver and GPUs, the locked packages
/// (complete, CUDA parts restitched, cuDNN bundled), the natives really loading in a child process, libtorch's
/// autocast exports, and room in the global packages folder. Every check reports what it found, what the lock needs
/// and the fix; none throws for a failing host.
/// </summary>
public static class Doctor
{
    /// <summary>
    /// Everything the checks share. <paramref name="Natives"/>: the platform's native files, collected once for the
    /// checks that read them (host ABI, native load, autocast), since collecting joins every still-split CUDA file
    /// into a temporary file; disposed after the last of them.
    /// </summary>
    internal sealed record Context(
        LockedEnvironment Environment, string LockPath, string HostPlatform, string PackagesFolder, InstalledStack Stack,
        HostAbi Host, Lazy<GpuReport> Gpus, Lazy<NativeFileCollector> Natives, DoctorOptions Options)
    {
        /// <summary>True when the entry is for this machine's platform (only then do host checks apply).</summary>
        public bool IsHostPlatform => Environment.Platform == HostPlatform;

        public bool IsCuda => Environment.Stack.Cuda is not null;

        public bool IsLinux => Environment.Platform.StartsWith("linux-", StringComparison.Ordinal);

        public bool IsWindows => LibTorchAutocastExports.IsWindows(Environment.Platform);
    }

    /// <summary>
    /// The <c>at::autocast</c> exports the autocast check requires in a Linux <c>libtorch_cpu.so</c> (Itanium names): the
    /// ones TorchEnv.Training resolves, from the one list both compile (<c>src/Shared/LibTorchAutocastExports.cs</c>).
    /// </summary>
    public static IReadOnlyList<string> AutocastExports { get; } = AutocastExportNames("linux-x64");

    /// <summary>
    /// The same exports under the names a platform's libtorch has them: MSVC in Windows' <c>torch_cpu.dll</c>,
    /// Itanium elsewhere; the names TorchEnv.Training looks up on that platform.
    /// </summary>
    public static IReadOnlyList<string> AutocastExportNames(string platform) =>
        [.. LibTorchAutocastExports.All.Select(e => e.NameOn(LibTorchAutocastExports.IsWindows(platform)))];

    /// <summary>
    /// Runs every check for the chosen entry of <paramref name="lockFile"/>. Throws <see cref="TorchEnvException"/>
    /// (TENV0533) only when the lock has no entry for the variant or platform asked, and TENV0381 when the
    /// <c>TORCHENV_GPU_REPORT</c> test hook names a file that does not read. The variant <c>auto</c> is chosen as the
    /// build chooses it (<see cref="AutoVariant"/>), and the report says why.
    /// </summary>
    public static DoctorReport Run(EnvironmentLock lockFile, string lockPath, DoctorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(lockFile);
        options ??= new DoctorOptions();
        var hostPlatform = options.HostPlatform ?? HostPlatform.Current;
        var host = options.Host ?? HostAbi.Detect();
        var gpus = new Lazy<GpuReport>(() => (options.Gpus ?? GpuDetection.ForThisMachine(host)).Detect());
        var choice = AutoVariant.IsAuto(options.Variant)
            ? AutoVariant.Choose(lockFile, options.Platform ?? hostPlatform, hostPlatform, new FixedGpuDetector(gpus.Value))
            : null;
        var environment = Choose(lockFile, lockPath, choice?.Variant ?? options.Variant, options.Platform, hostPlatform);
        var folder = options.GlobalPackagesFolder ?? GlobalPackagesFolderLocator.For(Path.GetDirectoryName(Path.GetFullPath(lockPath))!);
        var stack = InstalledStack.Of(environment, folder);
        var natives = new Lazy<NativeFileCollector>(() => stack.Natives(environment.Platform));
        var context = new Context(
            environment, Path.GetFullPath(lockPath), hostPlatform, Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)), stack,
            host, gpus, natives, options);
        List<DoctorCheck> checks;
        try
        {
            checks =
            [
                HostChecks.DotnetSdk(context),
                HostChecks.Abi(context),
                HostChecks.Driver(context),
                HostChecks.Gpus(context),
                PackageChecks.Packages(context),
                PackageChecks.Cudnn(context),
                NativeLoadCheck.Run(context),
                PackageChecks.Autocast(context),
            ];
        }
        finally
        {
            // Before the free-space checks, which must measure the disks without doctor's own temporary joins.
            if (natives.IsValueCreated)
            {
                natives.Value.Dispose();
            }
        }

        checks.Add(PackageChecks.Folder(context));
        checks.Add(TempFolderCheck.Run(context));
        return new DoctorReport(context.LockPath, environment.Variant, environment.Platform, hostPlatform, checks) { Choice = choice };
    }

    private static LockedEnvironment Choose(EnvironmentLock lockFile, string lockPath, string? variant, string? platform, string hostPlatform)
    {
        var name = variant ?? lockFile.Environments.FirstOrDefault()?.Variant ?? "";
        var entries = lockFile.Environments.Where(e => string.Equals(e.Variant, name, StringComparison.OrdinalIgnoreCase)).ToList();
        var chosen = platform is not null
            ? entries.FirstOrDefault(e => string.Equals(e.Platform, platform, StringComparison.OrdinalIgnoreCase))
            : entries.FirstOrDefault(e => e.Platform == hostPlatform) ?? entries.FirstOrDefault();
        return chosen ?? throw new TorchEnvException(DoctorMessages.NoEntry(name, platform ?? hostPlatform, lockPath, lockFile.Environments.Select(e => e.Key)));
    }
}
