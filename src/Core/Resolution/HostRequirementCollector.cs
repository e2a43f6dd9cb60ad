using TorchEnv.Core.Lock;
using TorchEnv.Core.Native;

namespace TorchEnv.Core.Resolution;

/// <summary>
/// The host requirements of one locked platform: on Linux the ELF version needs of the locked native files (through
/// <see cref="HostRequirementScanner"/>) plus the NVIDIA driver minimum; on Windows only the driver minimum for CUDA
/// (PE files have no glibc needs); nothing on macOS.
/// </summary>
internal static class HostRequirementCollector
{
    public static HostRequirements Compute(
        string platform,
        IReadOnlyList<InstalledPackageFiles> packages,
        string? cuda)
    {
        if (platform.StartsWith("linux", StringComparison.OrdinalIgnoreCase))
        {
            using var natives = NativeFileCollector.Collect(packages, platform);
            return HostRequirementScanner.Scan(natives.Files, cuda);
        }

        if (cuda is not null && platform.StartsWith("win", StringComparison.OrdinalIgnoreCase))
        {
            return HostRequirements.None with { NvidiaDriver = NvidiaDriverRequirements.MinimumWindowsDriver(cuda) };
        }

        return HostRequirements.None;
    }
}
