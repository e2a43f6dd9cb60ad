using TorchEnv.Core.Diagnostics;

namespace TorchEnv.Core.Doctor;

/// <summary>The diagnostics of <c>torchenv doctor</c> (TENV0520–TENV0539): one per failed check, each documented in <c>docs/diagnostics.md</c>.</summary>
public static class DoctorMessages
{
    /// <summary>TENV0520: the locked .NET SDK is not installed.</summary>
    public const string SdkMissingCode = "TENV0520";

    /// <summary>TENV0521: the host's glibc / libstdc++ lack versions the natives need, beyond the compatibility step.</summary>
    public const string HostAbiCode = "TENV0521";

    /// <summary>TENV0522: no NVIDIA driver.</summary>
    public const string NoDriverCode = "TENV0522";

    /// <summary>TENV0523: the NVIDIA driver is older than the locked CUDA needs.</summary>
    public const string OldDriverCode = "TENV0523";

    /// <summary>TENV0524: no GPU visible.</summary>
    public const string NoGpuCode = "TENV0524";

    /// <summary>TENV0525: locked packages missing from the global packages folder or different from the lock.</summary>
    public const string PackagesCode = "TENV0525";

    /// <summary>TENV0526: CUDA files not restitched (fragments still present, or the joined file's SHA-256 is wrong).</summary>
    public const string RestitchCode = "TENV0526";

    /// <summary>TENV0527: no cuDNN (of the locked major) in the locked packages.</summary>
    public const string CudnnCode = "TENV0527";

    /// <summary>TENV0528: libtorch / LibTorchSharp did not load in the child process.</summary>
    public const string NativeLoadCode = "TENV0528";

    /// <summary>TENV0529: libtorch lacks the autocast exports TorchEnv.Training calls.</summary>
    public const string AutocastCode = "TENV0529";

    /// <summary>TENV0530: the global packages folder is not writable.</summary>
    public const string FolderNotWritableCode = "TENV0530";

    /// <summary>TENV0531: not enough free space for the stack.</summary>
    public const string SpaceCode = "TENV0531";

    /// <summary>TENV0532: the compatibility shim is needed but was not found.</summary>
    public const string ShimMissingCode = "TENV0532";

    /// <summary>TENV0533: the lock has no entry for the variant or platform asked.</summary>
    public const string NoEntryCode = "TENV0533";

    private static Diagnostic Error(string code, string message, string fix, SourceLocation? at = null) =>
        new(code, DiagnosticSeverity.Error, message, at, fix);

    internal static Diagnostic SdkMissing(string version, IEnumerable<string> installed) => Error(SdkMissingCode,
        $"The lock pins the .NET SDK {version}; installed: {string.Join(", ", installed.DefaultIfEmpty("none"))}.",
        $"Install it: 'dotnet-install.sh --version {version}' (or the installer from https://dotnet.microsoft.com/download), then check 'dotnet --list-sdks'.");

    internal static Diagnostic HostAbi(string missing, string fix) => Error(HostAbiCode,
        $"This host lacks {missing}, which the locked native libraries need; the libstdc++ compatibility step cannot bridge it.", fix);

    internal static Diagnostic NoDriver(string minimum) => Error(NoDriverCode,
        "No NVIDIA driver: /proc/driver/nvidia/version does not exist and the loader finds no libcuda.so.1.",
        $"Install the NVIDIA driver {minimum} or newer (the CUDA toolkit is not needed: the packages bundle it); in a container run with --gpus all and the NVIDIA Container Toolkit. On a machine without a GPU use the CPU variant (torchenv doctor --variant cpu).");

    internal static Diagnostic OldDriver(string found, string minimum, string cuda) => Error(OldDriverCode,
        $"The NVIDIA driver {found} is older than CUDA {cuda} needs ({minimum} or newer).",
        $"Update the driver to {minimum} or newer.");

    internal static Diagnostic NoGpu() => Error(NoGpuCode,
        "No NVIDIA GPU is visible (/proc/driver/nvidia/gpus and /dev/nvidia* are empty).",
        "Check 'nvidia-smi'; in a container pass --gpus all; check CUDA_VISIBLE_DEVICES.");

    internal static Diagnostic Packages(int missing, int differing, string folder) => Error(PackagesCode,
        $"{missing} locked package(s) are not installed and {differing} differ from the lock in '{folder}'.",
        "Run 'dotnet restore' (or 'dotnet build') for this variant and platform; 'torchenv verify' lists each difference.");

    internal static Diagnostic Restitch(int files) => Error(RestitchCode,
        $"{files} CUDA file(s) are still split into fragments or were joined wrongly in the global packages folder.",
        "Run 'dotnet build' once: TorchSharp's restitch target joins the fragments inside the NuGet cache (the folder must be writable). If a joined file's SHA-256 is wrong, delete that package's folder and restore again.");

    internal static Diagnostic Cudnn(string needed, string found) => Error(CudnnCode,
        $"The locked packages should bundle cuDNN {needed}; found {found}.",
        "Relock ('torchenv lock') and restore; the libtorch-cuda packages bundle cuDNN (libcudnn*.so.N, cudnn*64_N.dll).");

    internal static Diagnostic NativeLoad(string detail) => Error(NativeLoadCode,
        $"libtorch and LibTorchSharp did not load in a child process: {detail}",
        "Read the loader's message above: a missing 'version' means a too-old glibc/libstdc++ (use a newer base image), a missing file means an incomplete restore ('dotnet restore').");

    internal static Diagnostic NativeLoadElsewhere(string libtorch) => Error(NativeLoadCode,
        $"libtorch and LibTorchSharp loaded in a child process, but libtorch came from '{libtorch}', not from the locked packages.",
        "Remove what puts another libtorch first (LD_LIBRARY_PATH, a copy beside the program), then run doctor again.");

    internal static Diagnostic Autocast(IEnumerable<string> missing, string file) => Error(AutocastCode,
        $"'{file}' lacks the autocast exports TorchEnv.Training calls: {string.Join(", ", missing)}.",
        "Lock a libtorch that has them (TorchSharp 0.106.0 or newer), or train without mixed precision.");

    internal static Diagnostic FolderNotWritable(string folder, string detail) => Error(FolderNotWritableCode,
        $"The NuGet global packages folder '{folder}' is not writable ({detail}); restore cannot add packages and the CUDA restitch cannot join its files there.",
        "Make it writable, or point NUGET_PACKAGES at a writable folder.");

    internal static Diagnostic Space(string folder, string free, string needed) => Error(SpaceCode,
        $"'{folder}' has {free} free; the missing part of the stack needs about {needed}.",
        "Free some space ('torchenv cache prune' removes package versions no known lock needs), or point NUGET_PACKAGES at a larger disk.");

    internal static Diagnostic ShimMissing(string searched) => Error(ShimMissingCode,
        $"This host needs the libstdc++ compatibility step, but its shim libtorchenv_stdcxx_compat.so was not found (searched {searched}).",
        "Build the project once with TorchEnv.Sdk (which brings the shim), or reinstall the torchenv tool.");

    internal static Diagnostic NoEntry(string variant, string platform, string lockPath, IEnumerable<string> entries) => Error(NoEntryCode,
        $"The lock has no entry for variant '{variant}' on {platform}; it has {string.Join(", ", entries)}.",
        "Pass --variant / --platform with one of those, or add the platform to the spec and run 'torchenv lock'.",
        new SourceLocation(lockPath, 1, 1));
}
