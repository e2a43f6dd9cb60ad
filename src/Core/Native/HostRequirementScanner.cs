using TorchEnv.Core.Diagnostics;
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
    /// <remarks>
    /// <see cref="HostRequirements.Needs"/> lists, for every host family (<c>GLIBC</c>, <c>GLIBCXX</c>, <c>CXXABI</c>,
    /// <c>GCC</c>), the newest version needed, once per library and file that needs exactly that version (older
    /// versions of a family are implied: glibc's and GCC's libraries only ever add versions), plus host versions
    /// without numbers such as <c>GLIBC_ABI_DT_RELR</c> (every file needing them). Versions of libraries that come
    /// with the packages (<c>GOMP_</c>, <c>OMP_</c>) are not host requirements and are left out.
    /// Throws <see cref="TorchEnvException"/>: <c>TENV0301</c> for a malformed ELF file, <c>TENV0304</c> for a CUDA
    /// version without a known driver minimum. ELF files of another class or byte order are skipped like non-ELF files.
    /// </remarks>
    public static HostRequirements Scan(IEnumerable<NativeFile> files, string? cudaVersion)
    {
        ArgumentNullException.ThrowIfNull(files);
        var driver = DriverFor(cudaVersion);
        return Aggregate(files.SelectMany(ReadHostNeeds).ToList(), driver);
    }

    /// <summary>
    /// The requirements of needs already read (<see cref="ReadHostNeeds(ElfFile, string, string)"/>, or remembered from
    /// an earlier read), with the NVIDIA driver minimum of <paramref name="cudaVersion"/>; the same result as <see cref="Scan"/>.
    /// </summary>
    internal static HostRequirements FromNeeds(IReadOnlyList<NativeNeed> needs, string? cudaVersion) =>
        Aggregate(needs, DriverFor(cudaVersion));

    private static string? DriverFor(string? cudaVersion) => string.IsNullOrWhiteSpace(cudaVersion)
        ? null
        : NvidiaDriverRequirements.MinimumLinuxDriver(cudaVersion) ?? throw new TorchEnvException(NativeMessages.UnknownCudaForDriver(cudaVersion));

    private static HostRequirements Aggregate(IReadOnlyList<NativeNeed> needs, string? driver)
    {
        var distinct = needs.Distinct().ToList();
        string? MaxNumber(string family) => SymbolVersion.Max(distinct.Select(n => n.Version), family)?.Number;
        return new HostRequirements
        {
            Glibc = MaxNumber("GLIBC"),
            Glibcxx = MaxNumber("GLIBCXX"),
            Cxxabi = MaxNumber("CXXABI"),
            NvidiaDriver = driver,
            Needs = SelectReported(distinct),
        };
    }

    /// <summary>Every host-family version need of one file (empty for non-ELF or unsupported ELF files).</summary>
    internal static IReadOnlyList<NativeNeed> ReadHostNeeds(NativeFile file)
    {
        using var elf = ElfFile.TryOpenSupported(file.FullPath);
        return elf is null ? [] : ReadHostNeeds(elf, file.Package, file.RelativePath);
    }

    /// <summary>Every host-family version need of an opened ELF file, attributed to <paramref name="package"/> / <paramref name="relativePath"/>.</summary>
    internal static IReadOnlyList<NativeNeed> ReadHostNeeds(ElfFile elf, string package, string relativePath)
    {
        return elf.VersionNeeds
            .SelectMany(need => need.Versions
                .Where(v => SymbolVersion.HostFamilyOf(v.Name) is not null)
                .Select(v => new NativeNeed(v.Name, need.Library, package, relativePath)))
            .ToList();
    }

    /// <summary>Per family the newest version (every library and file needing it), plus every host version without numbers.</summary>
    private static IReadOnlyList<NativeNeed> SelectReported(IReadOnlyList<NativeNeed> needs)
    {
        var reported = new List<NativeNeed>();
        foreach (var group in needs.GroupBy(n => SymbolVersion.Parse(n.Version).Family ?? n.Version))
        {
            var newest = group.Select(n => SymbolVersion.Parse(n.Version)).Max()!;
            reported.AddRange(group.Where(n => n.Version == newest.Name));
        }

        return reported
            .OrderBy(n => SymbolVersion.Parse(n.Version))
            .ThenBy(n => n.Library, StringComparer.Ordinal)
            .ThenBy(n => n.Package, StringComparer.OrdinalIgnoreCase)
            .ThenBy(n => n.File, StringComparer.Ordinal)
            .ToList();
    }
}
