using System.Runtime.InteropServices;

namespace TorchEnv.Core.Native;

/// <summary>
/// This machine's platform in the lock's terms: the portable runtime identifier (<c>linux-x64</c>, <c>win-arm64</c>,
/// <c>osx-arm64</c>…) that <c>platforms:</c> lists. The one answer for <c>torchenv verify</c>, <c>torchenv doctor</c>
/// and the build (its default platform, and whether it can check this host's ABI).
/// </summary>
/// <remarks>
/// Portable, not <see cref="RuntimeInformation.RuntimeIdentifier"/>: a distribution's own .NET build reports e.g.
/// <c>debian.12-x64</c> there, which no lock names. The architecture is the process's, which is the one whose native
/// libraries it loads (under emulation the operating system's may differ).
/// </remarks>
public static class HostPlatform
{
    /// <summary>The platform of this process, e.g. <c>linux-x64</c>.</summary>
    public static string Current { get; } = Of(
        OperatingSystem.IsWindows() ? OSPlatform.Windows : OperatingSystem.IsMacOS() ? OSPlatform.OSX : OSPlatform.Linux,
        RuntimeInformation.ProcessArchitecture);

    /// <summary><paramref name="platform"/> when one is given, else <see cref="Current"/>.</summary>
    public static string Or(string? platform) => string.IsNullOrWhiteSpace(platform) ? Current : platform.Trim();

    /// <summary>True when <paramref name="platform"/> is this machine's (case-insensitive, as runtime identifiers are compared).</summary>
    public static bool IsCurrent(string platform) => string.Equals(platform, Current, StringComparison.OrdinalIgnoreCase);

    /// <summary>The runtime identifier of an operating system and architecture.</summary>
    public static string Of(OSPlatform os, Architecture architecture)
    {
        var prefix = os == OSPlatform.Windows ? "win" : os == OSPlatform.OSX ? "osx" : "linux";
        var suffix = architecture switch
        {
            Architecture.Arm64 => "arm64",
            Architecture.X86 => "x86",
            Architecture.Arm => "arm",
            _ => "x64",
        };
        return $"{prefix}-{suffix}";
    }
}
