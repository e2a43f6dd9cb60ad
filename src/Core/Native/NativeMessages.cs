using TorchEnv.Core.Diagnostics;

namespace TorchEnv.Core.Native;

/// <summary>
/// Every diagnostic of the native layer (codes TENV0300–TENV0399), in one place. Each is documented in
/// <c>docs/diagnostics.md</c>.
/// </summary>
public static class NativeMessages
{
    /// <summary>TENV0300: an ELF file that is not 64-bit little-endian.</summary>
    public const string UnsupportedElfCode = "TENV0300";

    /// <summary>TENV0301: a truncated or inconsistent ELF file.</summary>
    public const string MalformedElfCode = "TENV0301";

    /// <summary>TENV0302: glibc's libc was not found on a Linux host.</summary>
    public const string HostLibcNotFoundCode = "TENV0302";

    /// <summary>TENV0303: a host library the native files need is not installed.</summary>
    public const string HostLibraryMissingCode = "TENV0303";

    /// <summary>TENV0304: no known NVIDIA driver minimum for a CUDA version.</summary>
    public const string UnknownCudaForDriverCode = "TENV0304";

    /// <summary>TENV0310: the host lacks a needed version and the gap cannot be patched.</summary>
    public const string HostVersionMissingCode = "TENV0310";

    /// <summary>TENV0311: the gap is the patchable ios_base_library_init case but the compatibility step is off.</summary>
    public const string CompatibilityDisabledCode = "TENV0311";

    /// <summary>TENV0312 (warning): the compatibility step wrote a patched copy.</summary>
    public const string CompatibilityAppliedCode = "TENV0312";

    /// <summary>TENV0320: the patcher refuses a file whose symbols or versions are not the known case.</summary>
    public const string PatchNotApplicableCode = "TENV0320";

    /// <summary>TENV0321: the patcher refuses a file whose layout it cannot extend safely.</summary>
    public const string PatchLayoutCode = "TENV0321";

    /// <summary>TENV0322: invalid patcher arguments (same input and output, bad shim name).</summary>
    public const string PatchArgumentsCode = "TENV0322";

    /// <summary>TENV0323: the patched output failed its re-read check and was discarded.</summary>
    public const string PatchVerificationCode = "TENV0323";

    private const string CompatProperty = "TorchEnvNativeCompat";

    /// <summary>TENV0300.</summary>
    public static Diagnostic UnsupportedElf(string path, string what) => new(
        UnsupportedElfCode,
        DiagnosticSeverity.Error,
        $"'{path}' is {what}; TorchEnv reads only 64-bit little-endian ELF files (linux-x64, linux-arm64).",
        Fix: "Check that the package provides the native library for the platform being locked or built.");

    /// <summary>TENV0301.</summary>
    public static Diagnostic MalformedElf(string path, string detail) => new(
        MalformedElfCode,
        DiagnosticSeverity.Error,
        $"'{path}' is not a valid ELF file: {detail}.",
        Fix: "The file is truncated or corrupt: delete the package from the NuGet global packages folder (dotnet nuget locals global-packages --list shows where) and restore again.");

    /// <summary>TENV0302.</summary>
    public static Diagnostic HostLibcNotFound(HostLibraryLocator locator) => new(
        HostLibcNotFoundCode,
        DiagnosticSeverity.Warning,
        $"glibc's {HostAbi.LibcName} was not found on this host (searched {DescribeSearch(locator)}), so the native libraries' glibc requirements cannot be checked; they will not load on a system without glibc (e.g. Alpine's musl).",
        Fix: "Use a glibc-based image (Debian, Ubuntu, RHEL/UBI) or install glibc; suppress with NoWarn TENV0302 if the libraries are known to work.");

    /// <summary>TENV0303.</summary>
    public static Diagnostic HostLibraryMissing(string library, IReadOnlyList<MissingHostVersion> needs) => new(
        HostLibraryMissingCode,
        DiagnosticSeverity.Error,
        $"{library} is not installed on this host, but {FilesNeed(needs.SelectMany(n => n.NeededBy))} it ({string.Join(", ", needs.Select(n => n.Version))}).",
        Fix: library == HostAbi.LibStdCxxName
            ? "Install the C++ runtime (Debian/Ubuntu: apt-get install libstdc++6; RHEL: dnf install libstdc++)."
            : $"Install the package that provides {library}, or use a fuller base image (e.g. {string.Join(" or ", KnownBaseImages.Providing(needs.Select(n => n.Version)).DefaultIfEmpty("Ubuntu 24.04"))}).");

    /// <summary>TENV0304.</summary>
    public static Diagnostic UnknownCudaForDriver(string cudaVersion) => new(
        UnknownCudaForDriverCode,
        DiagnosticSeverity.Error,
        $"TorchEnv does not know the minimum NVIDIA driver for CUDA {cudaVersion} (it knows CUDA {string.Join(", ", NvidiaDriverRequirements.KnownCudaMajors.Select(m => m + ".x"))}).",
        Fix: "Lock a CUDA version of a known major release, or update TorchEnv.");

    /// <summary>TENV0310: one missing version that cannot be patched.</summary>
    public static Diagnostic HostVersionMissing(MissingHostVersion missing)
    {
        var host = missing.HostNewestOfFamily is { } newest ? $"newest is {newest}" : "it defines no version of that family";
        var symbols = missing.Symbols.Count == 0 ? "" : $" (symbols: {DescribeSymbols(missing.Symbols)})";
        var images = KnownBaseImages.Providing([missing.Version]);
        var image = images.Count == 0 ? "a newer Linux distribution" : string.Join(" or ", images);
        return new Diagnostic(
            HostVersionMissingCode,
            DiagnosticSeverity.Error,
            $"{FilesNeed(missing.NeededBy)} {missing.Version} from {missing.Library}{symbols}, which this host's {missing.Library} ({missing.HostLibrary!.Path}) does not define ({host}). The library will fail to load with \"version `{missing.Version}' not found\".",
            Fix: $"Run on a newer base image that provides {missing.Version} (e.g. {image}), or lock another version of the package whose native libraries this host supports.");
    }

    /// <summary>TENV0311: the patchable case while <c>TorchEnvNativeCompat=off</c>.</summary>
    public static Diagnostic CompatibilityDisabled(MissingHostVersion missing)
    {
        var images = string.Join(" or ", KnownBaseImages.Providing([missing.Version]).DefaultIfEmpty("a newer distribution"));
        return new Diagnostic(
            CompatibilityDisabledCode,
            DiagnosticSeverity.Error,
            $"{FilesNeed(missing.NeededBy)} {missing.Version} from {missing.Library}, which this host lacks (newest is {missing.HostNewestOfFamily ?? "none"}); the library will fail to load. It is needed only for std::ios_base_library_init(), which TorchEnv's libstdc++ compatibility step can supply, but {CompatProperty} is off.",
            Fix: $"Remove {CompatProperty}=off (the default, auto, puts a patched copy into the build output), or run on {images}.");
    }

    /// <summary>TENV0312: the warning the build reports after the compatibility step patched a file.</summary>
    public static Diagnostic CompatibilityApplied(CompatPatchResult result, HostAbi host)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(host);
        return new Diagnostic(
            CompatibilityAppliedCode,
            DiagnosticSeverity.Warning,
            $"This host's libstdc++ provides GLIBCXX {host.Glibcxx ?? "?"} but {Path.GetFileName(result.InputPath)} needs {result.WeakenedVersion} (only for std::ios_base_library_init()); TorchEnv wrote a patched copy to '{result.OutputPath}' that loads with {result.AddedNeeded} instead. The NuGet cache is unchanged.",
            Fix: $"Nothing is required. To run the unmodified library use a host that provides {result.WeakenedVersion} (e.g. {string.Join(" or ", KnownBaseImages.Providing([result.WeakenedVersion]).DefaultIfEmpty("a newer distribution"))}); to turn the step off set {CompatProperty}=off; to silence this warning add TENV0312 to NoWarn.");
    }

    /// <summary>TENV0320.</summary>
    public static Diagnostic PatchNotApplicable(string path, string detail) => new(
        PatchNotApplicableCode,
        DiagnosticSeverity.Error,
        $"The libstdc++ compatibility step cannot patch '{path}': {detail}.",
        Fix: $"Run on a host whose libstdc++ provides the needed versions (e.g. Ubuntu 24.04 or Debian 13), or set {CompatProperty}=off and lock a version whose native libraries this host supports.");

    /// <summary>TENV0321.</summary>
    public static Diagnostic PatchLayout(string path, string detail) => new(
        PatchLayoutCode,
        DiagnosticSeverity.Error,
        $"The libstdc++ compatibility step will not patch '{path}' because its layout is not one it can extend safely: {detail}. The file was not changed.",
        Fix: $"Run on a host whose libstdc++ provides the needed versions (e.g. Ubuntu 24.04 or Debian 13), or set {CompatProperty}=off; please report the package and version to TorchEnv.");

    /// <summary>TENV0322.</summary>
    public static Diagnostic PatchArguments(string detail) => new(
        PatchArgumentsCode,
        DiagnosticSeverity.Error,
        $"Invalid arguments for the libstdc++ compatibility step: {detail}.",
        Fix: "Write the patched copy to a different path than the input, and give the shim as a plain file name such as libtorchenv_stdcxx_compat.so.");

    /// <summary>TENV0323.</summary>
    public static Diagnostic PatchVerification(string path, string detail) => new(
        PatchVerificationCode,
        DiagnosticSeverity.Error,
        $"The patched copy of '{path}' failed its check after writing ({detail}) and was discarded; nothing was written.",
        Fix: $"Set {CompatProperty}=off and run on a host that provides the needed versions; please report this to TorchEnv with the package and version.");

    /// <summary>"P/a.so needs" or "P/a.so, P/b.so need".</summary>
    private static string FilesNeed(IEnumerable<NativeGapFile> files)
    {
        var names = files.Select(f => $"{f.File.Package}/{f.File.RelativePath}").Distinct(StringComparer.Ordinal).ToList();
        return names.Count switch
        {
            1 => $"{names[0]} needs",
            <= 3 => $"{string.Join(", ", names)} need",
            _ => $"{string.Join(", ", names.Take(3))} and {names.Count - 3} more need",
        };
    }

    private static string DescribeSymbols(IReadOnlyList<string> symbols) =>
        symbols.Count <= 5 ? string.Join(", ", symbols) : $"{string.Join(", ", symbols.Take(5))} and {symbols.Count - 5} more";

    private static string DescribeSearch(HostLibraryLocator locator) =>
        $"{(string.IsNullOrEmpty(locator.LdLibraryPath) ? "" : "LD_LIBRARY_PATH, ")}/etc/ld.so.cache, {string.Join(", ", locator.DefaultDirectories)}";
}
