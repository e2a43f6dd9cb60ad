using TorchEnv.Core.Diagnostics;

namespace TorchEnv.Core.Doctor;

/// <summary>The diagnostics of <c>torchenv doctor</c> (TENV0520–TENV0539): one per failed check, each documented in <c>docs/diagnostics.md</c>.</summary>
public static class DoctorMessages
{
    /// <summary>TENV0520: the locked .NET SDK is not installed.</summary>
    public static readonly DiagnosticDescriptor SdkMissingDescriptor = new(
        "TENV0520", DiagnosticSeverity.Error, ExitClass.BadInput,
        "The lock pins the .NET SDK {0}; installed: {1}.",
        "Install it: 'dotnet-install.sh --version {0}' (or the installer from https://dotnet.microsoft.com/download), then check 'dotnet --list-sdks'.");

    /// <summary>TENV0521: the host's glibc / libstdc++ lack versions the natives need, beyond the compatibility step.</summary>
    public static readonly DiagnosticDescriptor HostAbiDescriptor = new(
        "TENV0521", DiagnosticSeverity.Error, ExitClass.BadInput,
        "This host lacks {0}, which the locked native libraries need; the libstdc++ compatibility step cannot bridge it.",
        "{1}");

    /// <summary>TENV0522: no NVIDIA driver.</summary>
    public static readonly DiagnosticDescriptor NoDriverDescriptor = new(
        "TENV0522", DiagnosticSeverity.Error, ExitClass.BadInput,
        "No NVIDIA driver: /proc/driver/nvidia/version does not exist and the loader finds no libcuda.so.1.",
        "Install the NVIDIA driver {0} or newer (the CUDA toolkit is not needed: the packages bundle it); in a container run with --gpus all and the NVIDIA Container Toolkit. On a machine without a GPU use the CPU variant (torchenv doctor --variant cpu).");

    /// <summary>TENV0523: the NVIDIA driver is older than the locked CUDA needs.</summary>
    public static readonly DiagnosticDescriptor OldDriverDescriptor = new(
        "TENV0523", DiagnosticSeverity.Error, ExitClass.BadInput,
        "The NVIDIA driver {0} is older than CUDA {1} needs ({2} or newer).",
        "Update the driver to {2} or newer.");

    /// <summary>TENV0524: no GPU visible.</summary>
    public static readonly DiagnosticDescriptor NoGpuDescriptor = new(
        "TENV0524", DiagnosticSeverity.Error, ExitClass.BadInput,
        "No NVIDIA GPU is visible (/proc/driver/nvidia/gpus and /dev/nvidia* are empty).",
        "Check 'nvidia-smi'; in a container pass --gpus all; check CUDA_VISIBLE_DEVICES.");

    /// <summary>TENV0525: locked packages missing from the global packages folder or different from the lock.</summary>
    public static readonly DiagnosticDescriptor PackagesDescriptor = new(
        "TENV0525", DiagnosticSeverity.Error, ExitClass.BadInput,
        "{0} locked package(s) are not installed and {1} differ from the lock in '{2}'.",
        "Run 'dotnet restore' (or 'dotnet build') for this variant and platform; 'torchenv verify' lists each difference.");

    /// <summary>TENV0526: CUDA files not restitched (fragments still present, or the joined file's SHA-256 is wrong).</summary>
    public static readonly DiagnosticDescriptor RestitchDescriptor = new(
        "TENV0526", DiagnosticSeverity.Error, ExitClass.BadInput,
        "{0} CUDA file(s) are still split into fragments or were joined wrongly in the global packages folder.",
        "Run 'dotnet build' once with TorchEnv.Sdk: it joins the fragments inside the NuGet cache (the folder must be writable) and names any file it cannot join (TENV0330-TENV0332). If a joined file's SHA-256 is wrong, delete that package's folder and restore again.");

    /// <summary>TENV0527: no cuDNN (of the locked major) in the locked packages.</summary>
    public static readonly DiagnosticDescriptor CudnnDescriptor = new(
        "TENV0527", DiagnosticSeverity.Error, ExitClass.BadInput,
        "The locked packages should bundle cuDNN {0}; found {1}.",
        "Relock ('torchenv lock') and restore; the libtorch-cuda packages bundle cuDNN (libcudnn*.so.N, cudnn*64_N.dll).");

    /// <summary>TENV0528: libtorch / LibTorchSharp did not load in the child process, or loaded from elsewhere.</summary>
    public static readonly DiagnosticDescriptor NativeLoadDescriptor = new(
        "TENV0528", DiagnosticSeverity.Error, ExitClass.BadInput,
        "libtorch and LibTorchSharp {0}",
        "{1}");

    /// <summary>TENV0529: libtorch lacks the autocast exports TorchEnv.Training calls.</summary>
    public static readonly DiagnosticDescriptor AutocastDescriptor = new(
        "TENV0529", DiagnosticSeverity.Error, ExitClass.BadInput,
        "'{0}' lacks the autocast exports TorchEnv.Training calls: {1}.",
        "Lock a libtorch that has them (TorchSharp 0.106.0 or newer), or train without mixed precision.");

    /// <summary>TENV0538: the temp folder has less room than the largest split CUDA file still to join.</summary>
    public static readonly DiagnosticDescriptor TempSpaceDescriptor = new(
        "TENV0538", DiagnosticSeverity.Error, ExitClass.BadInput,
        "The temp folder '{0}' has {1} free, less than {2} ({3}), which TorchSharp's restitch target writes there whole while joining its fragments; where it runs before TorchEnv's join (an IDE's design-time build, a project without TorchEnv.Sdk) it fails and only prints why.",
        "Build once from the command line with TorchEnv.Sdk (it joins the file in the packages folder, the temp folder's size does not matter to it), or free space in the temp folder or point TMPDIR at a larger one.");

    /// <summary>TENV0530: the global packages folder is not writable.</summary>
    public static readonly DiagnosticDescriptor FolderNotWritableDescriptor = new(
        "TENV0530", DiagnosticSeverity.Error, ExitClass.BadInput,
        "The NuGet global packages folder '{0}' is not writable ({1}); restore cannot add packages and the CUDA restitch cannot join its files there.",
        "Make it writable, or point NUGET_PACKAGES at a writable folder.");

    /// <summary>TENV0531: not enough free space for the stack.</summary>
    public static readonly DiagnosticDescriptor SpaceDescriptor = new(
        "TENV0531", DiagnosticSeverity.Error, ExitClass.BadInput,
        "'{0}' has {1} free; the missing part of the stack needs about {2}.",
        "Free some space ('torchenv cache prune' removes package versions no known lock needs), or point NUGET_PACKAGES at a larger disk.");

    /// <summary>TENV0532: the compatibility shim is needed but was not found.</summary>
    public static readonly DiagnosticDescriptor ShimMissingDescriptor = new(
        "TENV0532", DiagnosticSeverity.Error, ExitClass.BadInput,
        "This host needs the libstdc++ compatibility step, but its shim libtorchenv_stdcxx_compat.so was not found (searched {0}).",
        "Build the project once with TorchEnv.Sdk (which brings the shim), or reinstall the torchenv tool.");

    /// <summary>TENV0533: the lock has no entry for the variant or platform asked (on the command line).</summary>
    public static readonly DiagnosticDescriptor NoEntryDescriptor = new(
        "TENV0533", DiagnosticSeverity.Error, ExitClass.UsageError,
        "The lock has no entry for variant '{0}' on {1}; it has {2}.",
        "Pass --variant / --platform with one of those, or add the platform to the spec and run 'torchenv lock'.");

    internal static Diagnostic SdkMissing(string version, IEnumerable<string> installed) =>
        SdkMissingDescriptor.Create(null, version, string.Join(", ", installed.DefaultIfEmpty("none")));

    internal static Diagnostic HostAbi(string missing, string fix) => HostAbiDescriptor.Create(null, missing, fix);

    internal static Diagnostic NoDriver(string minimum) => NoDriverDescriptor.Create(null, minimum);

    internal static Diagnostic OldDriver(string found, string minimum, string cuda) => OldDriverDescriptor.Create(null, found, cuda, minimum);

    internal static Diagnostic NoGpu() => NoGpuDescriptor.Create(null);

    internal static Diagnostic Packages(int missing, int differing, string folder) => PackagesDescriptor.Create(null, missing, differing, folder);

    internal static Diagnostic Restitch(int files) => RestitchDescriptor.Create(null, files);

    internal static Diagnostic Cudnn(string needed, string found) => CudnnDescriptor.Create(null, needed, found);

    internal static Diagnostic NativeLoad(string detail) => NativeLoadDescriptor.Create(
        null,
        $"did not load in a child process: {detail}",
        "Read the loader's message above: a missing 'version' means a too-old glibc/libstdc++ (use a newer base image), a missing file means an incomplete restore ('dotnet restore').");

    internal static Diagnostic NativeLoadElsewhere(string libtorch) => NativeLoadDescriptor.Create(
        null,
        $"loaded in a child process, but libtorch came from '{libtorch}', not from the locked packages.",
        "Remove what puts another libtorch first (LD_LIBRARY_PATH, a copy beside the program), then run doctor again.");

    internal static Diagnostic Autocast(IEnumerable<string> missing, string file) => AutocastDescriptor.Create(null, file, string.Join(", ", missing));

    internal static Diagnostic FolderNotWritable(string folder, string detail) => FolderNotWritableDescriptor.Create(null, folder, detail);

    internal static Diagnostic Space(string folder, string free, string needed) => SpaceDescriptor.Create(null, folder, free, needed);

    internal static Diagnostic TempSpace(string folder, string free, string file, string size) => TempSpaceDescriptor.Create(null, folder, free, size, file);

    internal static Diagnostic ShimMissing(string searched) => ShimMissingDescriptor.Create(null, searched);

    internal static Diagnostic NoEntry(string variant, string platform, string lockPath, IEnumerable<string> entries) =>
        NoEntryDescriptor.Create(new SourceLocation(lockPath, 1, 1), variant, platform, string.Join(", ", entries));
}
