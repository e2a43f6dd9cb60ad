using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Lock;

namespace TorchEnv.Core.Native;

/// <summary>
/// Compares the version needs of native files with a host: every needed <c>GLIBC_</c>, <c>GLIBCXX_</c>, <c>CXXABI_</c>
/// and <c>GCC_</c> version is looked up in the very host library the file names (as the loader checks it), and the
/// symbols bound to a missing version are read from the file, which is what tells a patchable gap from a fatal one.
/// </summary>
public static class NativeGapAnalyzer
{
    /// <summary>Mangled name of <c>std::ios_base_library_init()</c>, which GCC 13 references from every user of &lt;iostream&gt;.</summary>
    public const string IosBaseLibraryInitSymbol = "_ZSt21ios_base_library_initv";

    /// <summary>
    /// Analyses <paramref name="files"/> (non-ELF and unsupported ELF files are skipped) against <paramref name="host"/>.
    /// A weak need whose version is missing counts only when symbols are bound to it (a file already patched by the
    /// compatibility step therefore shows no gap). Throws <see cref="TorchEnvException"/> (<c>TENV0301</c>) for a malformed file.
    /// </summary>
    public static NativeGapReport Analyze(IEnumerable<NativeFile> files, HostAbi host)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(host);
        if (!host.IsApplicable)
        {
            return new NativeGapReport { Kind = NativeGapKind.None, Host = host, Missing = [] };
        }

        var missing = new Dictionary<(string Version, string Library), List<NativeGapFile>>();
        foreach (var file in files)
        {
            foreach (var (version, library, gapFile) in FindGaps(file, host))
            {
                if (!missing.TryGetValue((version, library), out var list))
                {
                    missing[(version, library)] = list = [];
                }

                list.Add(gapFile);
            }
        }

        var entries = missing
            .Select(kv => new MissingHostVersion(
                kv.Key.Version,
                kv.Key.Library,
                host.FindLibrary(kv.Key.Library),
                kv.Value.OrderBy(f => f.File.Package, StringComparer.OrdinalIgnoreCase).ThenBy(f => f.File.RelativePath, StringComparer.Ordinal).ToList()))
            .OrderBy(m => SymbolVersion.Parse(m.Version))
            .ThenBy(m => m.Library, StringComparer.Ordinal)
            .ToList();
        return new NativeGapReport { Kind = Classify(entries), Host = host, Missing = entries };
    }

    /// <summary>
    /// The needs of a lock entry that the host lacks, without opening any file (for a quick check when the packages
    /// are not restored). It cannot tell which symbols are involved: use <see cref="Analyze"/> for a classification.
    /// </summary>
    public static IReadOnlyList<NativeNeed> FindMissing(HostRequirements requirements, HostAbi host)
    {
        ArgumentNullException.ThrowIfNull(requirements);
        ArgumentNullException.ThrowIfNull(host);
        return host.IsApplicable ? requirements.Needs.Where(n => !host.Defines(n.Library, n.Version)).ToList() : [];
    }

    private static NativeGapKind Classify(IReadOnlyList<MissingHostVersion> missing)
    {
        if (missing.Count == 0)
        {
            return NativeGapKind.None;
        }

        var patchable = missing.All(m =>
            m.Library == HostAbi.LibStdCxxName
            && m.HostLibrary is not null
            && SymbolVersion.Parse(m.Version).Family == "GLIBCXX"
            && m.NeededBy.All(f => f.Symbols.Count == 1 && f.Symbols[0] == IosBaseLibraryInitSymbol));

        // The patcher weakens one version per file: a file with two missing versions is beyond it.
        var oneVersionPerFile = missing.SelectMany(m => m.NeededBy).GroupBy(f => f.File).All(g => g.Count() == 1);
        return patchable && oneVersionPerFile ? NativeGapKind.OnlyIosBaseLibraryInit : NativeGapKind.Other;
    }

    private static IEnumerable<(string Version, string Library, NativeGapFile File)> FindGaps(NativeFile file, HostAbi host)
    {
        var elf = ElfFile.TryOpenSupported(file.FullPath);
        if (elf is null)
        {
            yield break;
        }

        using (elf)
        {
            var absent = elf.VersionNeeds
                .SelectMany(need => need.Versions.Select(v => (need.Library, Entry: v)))
                .Where(x => SymbolVersion.HostFamilyOf(x.Entry.Name) is not null && !host.Defines(x.Library, x.Entry.Name))
                .ToList();
            if (absent.Count == 0)
            {
                yield break;
            }

            var indexes = absent.Select(x => (ushort)(x.Entry.Index & 0x7fff)).ToHashSet();
            var symbols = elf.FindSymbolsBoundTo(indexes).ToLookup(s => s.VersionIndex);
            foreach (var (library, entry) in absent)
            {
                var bound = symbols[(ushort)(entry.Index & 0x7fff)].Select(s => s.Name).ToList();
                if (entry.IsWeak && bound.Count == 0)
                {
                    continue;
                }

                yield return (entry.Name, library, new NativeGapFile(file, bound, entry.IsWeak));
            }
        }
    }
}
