namespace TorchEnv.Core.Native;

/// <summary>
/// The distributions TorchEnv knows as container bases, oldest C++ runtime first, so that the first one providing a
/// lock's requirements is the least disruptive choice.
/// </summary>
/// <remarks>
/// glibc is the version of the release's <c>libc6</c>; GLIBCXX and CXXABI follow from the GCC release its
/// <c>libstdc++6</c> comes from, through the libstdc++ manual's ABI history ("ABI Policy and Guidelines", libstdc++
/// documentation, gcc.gnu.org): GCC 12.1 → GLIBCXX_3.4.30 / CXXABI_1.3.13, GCC 13.2 → 3.4.32 / 1.3.14, GCC 14.1 →
/// 3.4.33 / 1.3.15. Package versions from packages.ubuntu.com and packages.debian.org: Ubuntu 22.04 libc6 2.35,
/// libstdc++6 12.3; Debian 12 libc6 2.36, libstdc++6 12.2 (also read from this machine's libraries); Ubuntu 24.04 libc6
/// 2.39, libstdc++6 14.2; Debian 13 libc6 2.41, libstdc++6 14.2. .NET dependency lists: the <c>runtime-deps</c>
/// Dockerfiles of dotnet/dotnet-docker.
/// </remarks>
public static class LinuxDistributions
{
    /// <summary>Ubuntu 22.04 "Jammy Jellyfish".</summary>
    public static LinuxDistribution Ubuntu2204 { get; } = new(
        "Ubuntu 22.04", "jammy", "ubuntu22.04", "2.35", "3.4.30", "1.3.13",
        ["ca-certificates", "libc6", "libgcc-s1", "libicu70", "libssl3", "libstdc++6", "tzdata", "zlib1g"]);

    /// <summary>Debian 12 "Bookworm".</summary>
    public static LinuxDistribution Debian12 { get; } = new(
        "Debian 12", "bookworm-slim", null, "2.36", "3.4.30", "1.3.13",
        ["ca-certificates", "libc6", "libgcc-s1", "libicu72", "libssl3", "libstdc++6", "tzdata", "zlib1g"]);

    /// <summary>Ubuntu 24.04 "Noble Numbat".</summary>
    public static LinuxDistribution Ubuntu2404 { get; } = new(
        "Ubuntu 24.04", "noble", "ubuntu24.04", "2.39", "3.4.33", "1.3.15",
        ["ca-certificates", "libc6", "libgcc-s1", "libicu74", "libssl3t64", "libstdc++6", "tzdata"]);

    /// <summary>Debian 13 "Trixie".</summary>
    public static LinuxDistribution Debian13 { get; } = new(
        "Debian 13", "trixie-slim", null, "2.41", "3.4.33", "1.3.15",
        ["ca-certificates", "libc6", "libgcc-s1", "libicu76", "libssl3t64", "libstdc++6", "tzdata"]);

    /// <summary>Every known distribution, oldest C++ runtime first.</summary>
    public static IReadOnlyList<LinuxDistribution> All { get; } = [Ubuntu2204, Debian12, Ubuntu2404, Debian13];
}
