using TorchEnv.Core.Lock;

namespace TorchEnv.Core.Native;

/// <summary>A native file of a locked package, as seen by the host-requirement scan.</summary>
/// <param name="Package">Package id.</param>
/// <param name="RelativePath">Path inside the package, with forward slashes (e.g. <c>runtimes/linux-x64/native/libtorch_cpu.so</c>).</param>
/// <param name="FullPath">Where the file is on disk (extracted package in the global packages folder).</param>
public sealed record NativeFile(string Package, string RelativePath, string FullPath);

/// <summary>
/// Computes <see cref="HostRequirements"/> from the ELF version needs (<c>.gnu.version_r</c>) of locked native files:
/// the highest <c>GLIBC_</c>, <c>GLIBCXX_</c> and <c>CXXABI_</c> needed, plus the NVIDIA driver minimum for a CUDA version.
/// Reads only ELF headers and the version sections, so scanning libtorch (hundreds of MB) is fast.
/// </summary>
public static class HostRequirementScanner
{
    /// <summary>
    /// Scans the given files (non-ELF files are skipped) and returns the requirements; <paramref name="cudaVersion"/>
    /// (e.g. <c>12.8</c>) adds the NVIDIA driver minimum. Weak version needs still count (the loader tolerates them,
    /// but the symbols bound to them would be missing).
    /// </summary>
    public static HostRequirements Scan(IEnumerable<NativeFile> files, string? cudaVersion)
        => throw new NotImplementedException("Implemented by the native layer (issue 2/3).");
}
