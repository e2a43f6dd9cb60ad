using System.Collections.Concurrent;
using TorchEnv.Core.Diagnostics;

namespace TorchEnv.Core.Native;

/// <summary>A host library and the symbol versions it defines (read from its <c>.gnu.version_d</c>).</summary>
/// <param name="Name">Soname looked up, e.g. <c>libc.so.6</c>.</param>
/// <param name="Path">The file found.</param>
/// <param name="FoundBy">How it was found (see <see cref="HostLibraryLocation.FoundBy"/>).</param>
/// <param name="DefinedVersions">Version names it defines, without the base entry, in file order.</param>
public sealed record HostLibrary(string Name, string Path, string FoundBy, IReadOnlyList<string> DefinedVersions)
{
    /// <summary>True when the library defines <paramref name="version"/>.</summary>
    public bool Defines(string version) => DefinedVersions.Contains(version, StringComparer.Ordinal);
}

/// <summary>
/// The C and C++ runtime ABI of the host: the <c>libc.so.6</c> and <c>libstdc++.so.6</c> the dynamic loader would pick
/// (see <see cref="HostLibraryLocator"/>) and the versions they define, read from their ELF version definitions —
/// no program is run. On a host that is not Linux, <see cref="IsApplicable"/> is false and nothing else is set.
/// Other host libraries (<c>libm.so.6</c>, <c>libgcc_s.so.1</c>, …) are looked up on demand by <see cref="FindLibrary"/>.
/// </summary>
public sealed class HostAbi
{
    /// <summary>Soname of the C library.</summary>
    public const string LibcName = "libc.so.6";

    /// <summary>Soname of the C++ standard library.</summary>
    public const string LibStdCxxName = "libstdc++.so.6";

    private readonly HostLibraryLocator? _locator;
    private readonly ConcurrentDictionary<string, HostLibrary?> _libraries = new(StringComparer.Ordinal);

    private HostAbi(HostLibraryLocator? locator, string? notApplicableReason)
    {
        _locator = locator;
        NotApplicableReason = notApplicableReason;
        if (locator is null)
        {
            DefinedVersions = new HashSet<string>(StringComparer.Ordinal);
            return;
        }

        Libc = FindLibrary(LibcName);
        LibStdCxx = FindLibrary(LibStdCxxName);
        var all = (Libc?.DefinedVersions ?? []).Concat(LibStdCxx?.DefinedVersions ?? []).ToList();
        DefinedVersions = all.ToHashSet(StringComparer.Ordinal);
        Glibc = SymbolVersion.Max(all, "GLIBC")?.Number;
        Glibcxx = SymbolVersion.Max(all, "GLIBCXX")?.Number;
        Cxxabi = SymbolVersion.Max(all, "CXXABI")?.Number;
    }

    /// <summary>False when the host is not Linux (or an architecture TorchEnv does not know): there is nothing to check.</summary>
    public bool IsApplicable => _locator is not null;

    /// <summary>Why the check does not apply, e.g. "the host is not Linux"; null when it applies.</summary>
    public string? NotApplicableReason { get; }

    /// <summary>The C library found, or null (not Linux, or a libc other than glibc such as musl).</summary>
    public HostLibrary? Libc { get; }

    /// <summary>The C++ standard library found, or null (not installed).</summary>
    public HostLibrary? LibStdCxx { get; }

    /// <summary>Newest <c>GLIBC_</c> version libc defines, e.g. <c>2.36</c>.</summary>
    public string? Glibc { get; }

    /// <summary>Newest <c>GLIBCXX_</c> version libstdc++ defines, e.g. <c>3.4.30</c>.</summary>
    public string? Glibcxx { get; }

    /// <summary>Newest <c>CXXABI_</c> version libstdc++ defines, e.g. <c>1.3.13</c>.</summary>
    public string? Cxxabi { get; }

    /// <summary>Every version name libc and libstdc++ define.</summary>
    public IReadOnlySet<string> DefinedVersions { get; }

    /// <summary>Detects the ABI of the machine this process runs on.</summary>
    public static HostAbi Detect()
    {
        if (!OperatingSystem.IsLinux())
        {
            return NotApplicable("the host is not Linux; glibc and libstdc++ requirements apply to Linux only");
        }

        var locator = HostLibraryLocator.ForCurrentProcess();
        return locator is null
            ? NotApplicable($"the host architecture ({System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}) is not one TorchEnv checks (x64, arm64)")
            : new HostAbi(locator, null);
    }

    /// <summary>A host the check does not apply to (used for non-Linux hosts and by tests).</summary>
    internal static HostAbi NotApplicable(string reason) => new(null, reason);

    /// <summary>Detects the ABI through the given locator (a different root or architecture; tests).</summary>
    public static HostAbi Detect(HostLibraryLocator locator) => new(locator ?? throw new ArgumentNullException(nameof(locator)), null);

    /// <summary>
    /// A host library by soname with its version definitions, or null when the loader would not find one. Results are
    /// cached per instance. Throws <see cref="TorchEnvException"/> (<c>TENV0301</c>) when the file found is malformed.
    /// </summary>
    public HostLibrary? FindLibrary(string soname) =>
        _locator is null ? null : _libraries.GetOrAdd(soname, Load);

    /// <summary>True when the host library <paramref name="library"/> exists and defines <paramref name="version"/>.</summary>
    public bool Defines(string library, string version) => FindLibrary(library)?.Defines(version) == true;

    /// <summary>The TENV0302 warning when the check applies but glibc's libc was not found (e.g. a musl system); else null.</summary>
    public Diagnostic? LibcMissingDiagnostic() =>
        IsApplicable && Libc is null ? NativeMessages.HostLibcNotFound(_locator!) : null;

    /// <summary>A one-line description, e.g. <c>glibc 2.36, libstdc++ GLIBCXX 3.4.30 / CXXABI 1.3.13</c>.</summary>
    public override string ToString()
    {
        if (!IsApplicable)
        {
            return $"not applicable: {NotApplicableReason}";
        }

        var libc = Libc is null ? "glibc not found" : $"glibc {Glibc} ({Libc.Path})";
        var cxx = LibStdCxx is null ? "libstdc++ not found" : $"libstdc++ GLIBCXX {Glibcxx} / CXXABI {Cxxabi} ({LibStdCxx.Path})";
        return $"{libc}, {cxx}";
    }

    private HostLibrary? Load(string soname)
    {
        var location = _locator!.Find(soname);
        if (location is null)
        {
            return null;
        }

        using var elf = ElfFile.Open(location.Path);
        var versions = elf.VersionDefinitions.Where(d => !d.IsBase).Select(d => d.Name).ToList();
        return new HostLibrary(soname, location.Path, location.FoundBy, versions);
    }
}
