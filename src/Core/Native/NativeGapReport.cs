using TorchEnv.Core.Diagnostics;

namespace TorchEnv.Core.Native;

/// <summary>How a host falls short of what the native files need.</summary>
public enum NativeGapKind
{
    /// <summary>The host provides every needed version (or the check does not apply, see <see cref="NativeGapReport.IsApplicable"/>).</summary>
    None,

    /// <summary>
    /// The only missing versions are <c>GLIBCXX_</c> versions of <c>libstdc++.so.6</c> and the only symbol bound to any of
    /// them is <c>std::ios_base_library_init()</c> (<c>_ZSt21ios_base_library_initv</c>): the libstdc++ compatibility step
    /// (<see cref="LibStdCxxCompatPatcher"/>) can make the files load.
    /// </summary>
    OnlyIosBaseLibraryInit,

    /// <summary>Anything else: the files cannot load on this host and cannot be patched.</summary>
    Other,
}

/// <summary>A file that needs a version the host lacks, with the symbols it binds to that version.</summary>
/// <param name="File">The native file.</param>
/// <param name="Symbols">Mangled names of the symbols bound to the missing version, in symbol-table order.</param>
/// <param name="IsWeak">True when the file marks the need weak (the loader tolerates it; the symbols stay unresolved).</param>
public sealed record NativeGapFile(NativeFile File, IReadOnlyList<string> Symbols, bool IsWeak);

/// <summary>A version needed from a host library that the host does not define.</summary>
/// <param name="Version">Version name, e.g. <c>GLIBCXX_3.4.32</c>.</param>
/// <param name="Library">The library that must define it, e.g. <c>libstdc++.so.6</c>.</param>
/// <param name="HostLibrary">The host's copy of that library, or null when the host has none at all.</param>
/// <param name="NeededBy">The files needing it, ordered by package and path.</param>
public sealed record MissingHostVersion(string Version, string Library, HostLibrary? HostLibrary, IReadOnlyList<NativeGapFile> NeededBy)
{
    /// <summary>Every symbol bound to this version in any file, distinct, ordinal order.</summary>
    public IReadOnlyList<string> Symbols => NeededBy.SelectMany(f => f.Symbols).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>The newest version of the same family the host library defines (e.g. <c>GLIBCXX_3.4.30</c>), or null.</summary>
    public string? HostNewestOfFamily
    {
        get
        {
            var family = SymbolVersion.Parse(Version).Family;
            return family is null || HostLibrary is null ? null : SymbolVersion.Max(HostLibrary.DefinedVersions, family)?.Name;
        }
    }
}

/// <summary>
/// The result of <see cref="NativeGapAnalyzer.Analyze"/>: which needed host versions are missing, which files need them and
/// through which symbols, and whether the libstdc++ compatibility step can help.
/// </summary>
public sealed record NativeGapReport
{
    /// <summary>The classification.</summary>
    public required NativeGapKind Kind { get; init; }

    /// <summary>The host that was checked.</summary>
    public required HostAbi Host { get; init; }

    /// <summary>False when the host is not Linux: nothing was checked and <see cref="Kind"/> is <see cref="NativeGapKind.None"/>.</summary>
    public bool IsApplicable => Host.IsApplicable;

    /// <summary>Missing versions, ordered by version then library.</summary>
    public required IReadOnlyList<MissingHostVersion> Missing { get; init; }

    /// <summary>For <see cref="NativeGapKind.OnlyIosBaseLibraryInit"/>: the files the compatibility step must patch; else empty.</summary>
    public IReadOnlyList<NativeFile> FilesToPatch =>
        Kind == NativeGapKind.OnlyIosBaseLibraryInit
            ? Missing.SelectMany(m => m.NeededBy).Select(f => f.File).Distinct().ToList()
            : [];

    /// <summary>
    /// The diagnostics for this gap. <see cref="NativeGapKind.Other"/>: a <c>TENV0310</c> error per missing version and a
    /// <c>TENV0303</c> error per missing host library. <see cref="NativeGapKind.OnlyIosBaseLibraryInit"/>: nothing when the
    /// compatibility step will run (the caller reports <c>TENV0312</c> from <see cref="NativeMessages.CompatibilityApplied"/>
    /// after patching), else a <c>TENV0311</c> error. A TENV0302 warning is added when glibc's libc was not found.
    /// </summary>
    public IReadOnlyList<Diagnostic> ToDiagnostics(bool compatibilityStepEnabled)
    {
        var list = new List<Diagnostic>();
        if (Host.LibcMissingDiagnostic() is { } libc)
        {
            list.Add(libc);
        }

        switch (Kind)
        {
            case NativeGapKind.OnlyIosBaseLibraryInit when !compatibilityStepEnabled:
                list.AddRange(Missing.Select(NativeMessages.CompatibilityDisabled));
                break;
            case NativeGapKind.Other:
                foreach (var library in Missing.Where(m => m.HostLibrary is null).Select(m => m.Library).Distinct(StringComparer.Ordinal))
                {
                    list.Add(NativeMessages.HostLibraryMissing(library, Missing.Where(m => m.Library == library).ToList()));
                }

                list.AddRange(Missing.Where(m => m.HostLibrary is not null).Select(NativeMessages.HostVersionMissing));
                break;
        }

        return list;
    }
}
