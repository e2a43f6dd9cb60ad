using TorchEnv.Core.Diagnostics;

namespace TorchEnv.Core.Native;

/// <summary>
/// Every diagnostic of the native layer (codes TENV0300–TENV0399), in one place. Each is documented in
/// <c>docs/diagnostics.md</c>.
/// </summary>
public static class NativeMessages
{
    private const string CompatProperty = "TorchEnvNativeCompat";

    /// <summary>TENV0300: an ELF file that is not 64-bit little-endian.</summary>
    public static readonly DiagnosticDescriptor UnsupportedElfDescriptor = new(
        "TENV0300", DiagnosticSeverity.Error, ExitClass.BadInput,
        "'{0}' is {1}; TorchEnv reads only 64-bit little-endian ELF files (linux-x64, linux-arm64).",
        "Check that the package provides the native library for the platform being locked or built.");

    /// <summary>TENV0301: a truncated or inconsistent ELF file.</summary>
    public static readonly DiagnosticDescriptor MalformedElfDescriptor = new(
        "TENV0301", DiagnosticSeverity.Error, ExitClass.BadInput,
        "'{0}' is not a valid ELF file: {1}.",
        "The file is truncated or corrupt: delete the package from the NuGet global packages folder (dotnet nuget locals global-packages --list shows where) and restore again.");

    /// <summary>TENV0305: a Windows native library is not a valid PE file.</summary>
    public static readonly DiagnosticDescriptor MalformedPeDescriptor = new(
        "TENV0305", DiagnosticSeverity.Error, ExitClass.BadInput,
        "'{0}' is not a valid PE (Windows DLL) file: {1}.",
        "The file is truncated or corrupt: delete the package from the NuGet global packages folder (dotnet nuget locals global-packages --list shows where) and restore again.");

    /// <summary>TENV0302 (warning): glibc's libc was not found on a Linux host.</summary>
    public static readonly DiagnosticDescriptor HostLibcNotFoundDescriptor = new(
        "TENV0302", DiagnosticSeverity.Warning, ExitClass.BadInput,
        "glibc's {0} was not found on this host (searched {1}), so the native libraries' glibc requirements cannot be checked; they will not load on a system without glibc (e.g. Alpine's musl).",
        "Use a glibc-based image (Debian, Ubuntu, RHEL/UBI) or install glibc; suppress with NoWarn TENV0302 if the libraries are known to work.");

    /// <summary>TENV0303: a host library the native files need is not installed.</summary>
    public static readonly DiagnosticDescriptor HostLibraryMissingDescriptor = new(
        "TENV0303", DiagnosticSeverity.Error, ExitClass.BadInput,
        "{0} is not installed on this host, but {1} it ({2}).",
        "{3}");

    /// <summary>TENV0304: no known NVIDIA driver minimum for a CUDA version.</summary>
    public static readonly DiagnosticDescriptor UnknownCudaForDriverDescriptor = new(
        "TENV0304", DiagnosticSeverity.Error, ExitClass.BadInput,
        "TorchEnv does not know the minimum NVIDIA driver for CUDA {0} (it knows CUDA {1}).",
        "Lock a CUDA version of a known major release, or update TorchEnv.");

    /// <summary>TENV0310: the host lacks a needed version and the gap cannot be patched.</summary>
    public static readonly DiagnosticDescriptor HostVersionMissingDescriptor = new(
        "TENV0310", DiagnosticSeverity.Error, ExitClass.BadInput,
        "{0} {1} from {2}{3}, which this host's {2} ({4}) does not define ({5}). The library will fail to load with \"version `{1}' not found\".",
        "Run on a newer base image that provides {1} (e.g. {6}), or lock another version of the package whose native libraries this host supports.");

    /// <summary>TENV0311: the gap is the patchable ios_base_library_init case but the compatibility step is off.</summary>
    public static readonly DiagnosticDescriptor CompatibilityDisabledDescriptor = new(
        "TENV0311", DiagnosticSeverity.Error, ExitClass.BadInput,
        "{0} {1} from {2}, which this host lacks (newest is {3}); the library will fail to load. It is needed only for std::ios_base_library_init(), which TorchEnv's libstdc++ compatibility step can supply, but " + CompatProperty + " is off.",
        "Remove " + CompatProperty + "=off (the default, auto, puts a patched copy into the build output), or run on {4}.");

    /// <summary>TENV0312 (warning): the compatibility step wrote a patched copy.</summary>
    public static readonly DiagnosticDescriptor CompatibilityAppliedDescriptor = new(
        "TENV0312", DiagnosticSeverity.Warning, ExitClass.BadInput,
        "This host's libstdc++ provides GLIBCXX {0} but {1} needs {2} (only for std::ios_base_library_init()); TorchEnv wrote a patched copy to '{3}' that loads with {4} instead. The NuGet cache is unchanged.",
        "Nothing is required. To run the unmodified library use a host that provides {2} (e.g. {5}); to turn the step off set " + CompatProperty + "=off; to silence this warning add TENV0312 to NoWarn.");

    /// <summary>TENV0320: the patcher refuses a file whose symbols or versions are not the known case.</summary>
    public static readonly DiagnosticDescriptor PatchNotApplicableDescriptor = new(
        "TENV0320", DiagnosticSeverity.Error, ExitClass.BadInput,
        "The libstdc++ compatibility step cannot patch '{0}': {1}.",
        "Run on a host whose libstdc++ provides the needed versions (e.g. Ubuntu 24.04 or Debian 13), or set " + CompatProperty + "=off and lock a version whose native libraries this host supports.");

    /// <summary>TENV0321: the patcher refuses a file whose layout it cannot extend safely.</summary>
    public static readonly DiagnosticDescriptor PatchLayoutDescriptor = new(
        "TENV0321", DiagnosticSeverity.Error, ExitClass.BadInput,
        "The libstdc++ compatibility step will not patch '{0}' because its layout is not one it can extend safely: {1}. The file was not changed.",
        "Run on a host whose libstdc++ provides the needed versions (e.g. Ubuntu 24.04 or Debian 13), or set " + CompatProperty + "=off; please report the package and version to TorchEnv.");

    /// <summary>TENV0322: invalid patcher arguments (same input and output, bad shim name).</summary>
    public static readonly DiagnosticDescriptor PatchArgumentsDescriptor = new(
        "TENV0322", DiagnosticSeverity.Error, ExitClass.BadInput,
        "Invalid arguments for the libstdc++ compatibility step: {0}.",
        "Write the patched copy to a different path than the input, and give the shim as a plain file name such as libtorchenv_stdcxx_compat.so.");

    /// <summary>TENV0323: the patched output failed its re-read check and was discarded.</summary>
    public static readonly DiagnosticDescriptor PatchVerificationDescriptor = new(
        "TENV0323", DiagnosticSeverity.Error, ExitClass.BadInput,
        "The patched copy of '{0}' failed its check after writing ({1}) and was discarded; nothing was written.",
        "Set " + CompatProperty + "=off and run on a host that provides the needed versions; please report this to TorchEnv with the package and version.");

    /// <summary>TENV0330: the pieces of a split CUDA file do not join into the file its <c>.sha</c> names.</summary>
    public static readonly DiagnosticDescriptor SplitFileDamagedDescriptor = new(
        "TENV0330", DiagnosticSeverity.Error, ExitClass.BadInput,
        "{0} ({1}): the pieces of this split CUDA file do not join into the file its .sha names, so it was not joined: {2}.",
        "Delete these package folders from the global packages folder and build again (restore downloads them anew and TorchEnv joins the file): {3}.");

    /// <summary>TENV0331: a split CUDA file is not whole and has no fragments left to join.</summary>
    public static readonly DiagnosticDescriptor SplitFileNotWholeDescriptor = new(
        "TENV0331", DiagnosticSeverity.Error, ExitClass.BadInput,
        "{0} ({1}) is not the whole file its .sha names and its fragments are gone, so it cannot be joined again: {2}.",
        "Remove the cause above, delete these package folders from the global packages folder and build again (restore downloads them anew and TorchEnv joins the file in the packages folder): {3}.");

    /// <summary>TENV0332: a split CUDA file cannot be joined (read-only folder, no room, the guard held too long).</summary>
    public static readonly DiagnosticDescriptor SplitFileCannotJoinDescriptor = new(
        "TENV0332", DiagnosticSeverity.Error, ExitClass.BadInput,
        "{0} cannot be joined from its {1} fragment(s): {2}.",
        "Give the first build write access to the global packages folder and room for the whole file (TorchEnv joins each CUDA file once, in place), or point NUGET_PACKAGES at a folder that has both; then build again.");

    /// <summary>TENV0330, with the pieces that differ from their packages (none listed: the packages themselves do not match the .sha).</summary>
    public static Diagnostic SplitFileDamaged(Lock.LockedEnvironment environment, InstalledSplitFile file, IReadOnlyList<(SplitFilePiece Piece, string Damage)> damaged) =>
        SplitFileDamagedDescriptor.Create(file.Package.Location, file.Primary.Name, environment.Key,
            damaged.Count == 0
                ? "every piece equals its package, so the packages themselves do not make the file the .sha names"
                : string.Join("; ", damaged.Select(d => $"{d.Piece.Name}: {d.Damage}")),
            PackageFolders(damaged.Count == 0 ? file.Pieces : damaged.Select(d => d.Piece)));

    /// <summary>TENV0331, with the causes <see cref="RestitchCauses.Explain"/> found.</summary>
    public static Diagnostic SplitFileNotWhole(Lock.LockedEnvironment environment, InstalledSplitFile file, string causes) =>
        SplitFileNotWholeDescriptor.Create(file.Package.Location, file.Primary.Name, environment.Key, causes, PackageFolders(file.Pieces));

    /// <summary>TENV0332.</summary>
    public static Diagnostic SplitFileCannotJoin(InstalledSplitFile file, string reason) =>
        SplitFileCannotJoinDescriptor.Create(file.Package.Location, file.Primary.Name, file.Fragments.Count, reason);

    /// <summary>The package folders (<c>&lt;id&gt;/&lt;version&gt;</c>) that hold <paramref name="pieces"/>, each once.</summary>
    private static string PackageFolders(IEnumerable<SplitFilePiece> pieces) =>
        string.Join(", ", pieces.Select(p => p.PackageDirectory).Distinct(StringComparer.Ordinal));

    /// <summary>TENV0300.</summary>
    public static Diagnostic UnsupportedElf(string path, string what) => UnsupportedElfDescriptor.Create(null, path, what);

    /// <summary>TENV0301.</summary>
    public static Diagnostic MalformedElf(string path, string detail) => MalformedElfDescriptor.Create(null, path, detail);

    /// <summary>TENV0305.</summary>
    public static Diagnostic MalformedPe(string path, string detail) => MalformedPeDescriptor.Create(null, path, detail);

    /// <summary>TENV0302.</summary>
    public static Diagnostic HostLibcNotFound(HostLibraryLocator locator) =>
        HostLibcNotFoundDescriptor.Create(null, HostAbi.LibcName, DescribeSearch(locator));

    /// <summary>TENV0303.</summary>
    public static Diagnostic HostLibraryMissing(string library, IReadOnlyList<MissingHostVersion> needs) => HostLibraryMissingDescriptor.Create(
        null,
        library,
        FilesNeed(needs.SelectMany(n => n.NeededBy)),
        string.Join(", ", needs.Select(n => n.Version)),
        library == HostAbi.LibStdCxxName
            ? "Install the C++ runtime (Debian/Ubuntu: apt-get install libstdc++6; RHEL: dnf install libstdc++)."
            : $"Install the package that provides {library}, or use a fuller base image (e.g. {string.Join(" or ", KnownBaseImages.Providing(needs.Select(n => n.Version)).DefaultIfEmpty("Ubuntu 24.04"))}).");

    /// <summary>TENV0304.</summary>
    public static Diagnostic UnknownCudaForDriver(string cudaVersion) => UnknownCudaForDriverDescriptor.Create(
        null, cudaVersion, string.Join(", ", NvidiaDriverRequirements.KnownCudaMajors.Select(m => m + ".x")));

    /// <summary>TENV0310: one missing version that cannot be patched.</summary>
    public static Diagnostic HostVersionMissing(MissingHostVersion missing)
    {
        var host = missing.HostNewestOfFamily is { } newest ? $"newest is {newest}" : "it defines no version of that family";
        var symbols = missing.Symbols.Count == 0 ? "" : $" (symbols: {DescribeSymbols(missing.Symbols)})";
        var images = KnownBaseImages.Providing([missing.Version]);
        var image = images.Count == 0 ? "a newer Linux distribution" : string.Join(" or ", images);
        return HostVersionMissingDescriptor.Create(
            null, FilesNeed(missing.NeededBy), missing.Version, missing.Library, symbols, missing.HostLibrary!.Path, host, image);
    }

    /// <summary>TENV0311: the patchable case while <c>TorchEnvNativeCompat=off</c>.</summary>
    public static Diagnostic CompatibilityDisabled(MissingHostVersion missing)
    {
        var images = string.Join(" or ", KnownBaseImages.Providing([missing.Version]).DefaultIfEmpty("a newer distribution"));
        return CompatibilityDisabledDescriptor.Create(
            null, FilesNeed(missing.NeededBy), missing.Version, missing.Library, missing.HostNewestOfFamily ?? "none", images);
    }

    /// <summary>TENV0312: the warning the build reports after the compatibility step patched a file.</summary>
    public static Diagnostic CompatibilityApplied(CompatPatchResult result, HostAbi host)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(host);
        return CompatibilityAppliedDescriptor.Create(
            null,
            host.Glibcxx ?? "?",
            Path.GetFileName(result.InputPath),
            result.WeakenedVersion,
            result.OutputPath,
            result.AddedNeeded,
            string.Join(" or ", KnownBaseImages.Providing([result.WeakenedVersion]).DefaultIfEmpty("a newer distribution")));
    }

    /// <summary>TENV0320.</summary>
    public static Diagnostic PatchNotApplicable(string path, string detail) => PatchNotApplicableDescriptor.Create(null, path, detail);

    /// <summary>TENV0321.</summary>
    public static Diagnostic PatchLayout(string path, string detail) => PatchLayoutDescriptor.Create(null, path, detail);

    /// <summary>TENV0322.</summary>
    public static Diagnostic PatchArguments(string detail) => PatchArgumentsDescriptor.Create(null, detail);

    /// <summary>TENV0323.</summary>
    public static Diagnostic PatchVerification(string path, string detail) => PatchVerificationDescriptor.Create(null, path, detail);

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
