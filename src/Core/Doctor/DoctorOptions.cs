using TorchEnv.Core.Gpu;
using TorchEnv.Core.Native;
using TorchEnv.Core.Resolution;

namespace TorchEnv.Core.Doctor;

/// <summary>What <see cref="Doctor.Run"/> checks and with which view of the host (each null member: this machine).</summary>
public sealed record DoctorOptions
{
    /// <summary>The variant to check; null for the lock's first (default) variant.</summary>
    public string? Variant { get; init; }

    /// <summary>The platform entry to check; null for this host's platform when the variant has it, else its first.</summary>
    public string? Platform { get; init; }

    /// <summary>The NuGet global packages folder; null for the one NuGet.config and NUGET_PACKAGES give for the lock's folder.</summary>
    public string? GlobalPackagesFolder { get; init; }

    /// <summary>The .NET installation whose SDKs count; null for the running one.</summary>
    public DotnetInstallation? Dotnet { get; init; }

    /// <summary>The host's C/C++ runtime; null to detect it.</summary>
    public HostAbi? Host { get; init; }

    /// <summary>
    /// Where the NVIDIA driver and the GPUs are read; null for this machine's (<see cref="GpuDetection.ForThisMachine"/>,
    /// which honours the <c>TORCHENV_GPU_REPORT</c> test hook).
    /// </summary>
    public IGpuDetector? Gpus { get; init; }

    /// <summary>This host's runtime identifier; null to work it out (tests pretend to be another host).</summary>
    public string? HostPlatform { get; init; }

    /// <summary>How to start the child process that loads the natives; null skips that check (–).</summary>
    public NativeProbeLauncher? ProbeLauncher { get; init; }

    /// <summary>
    /// Where to look for the compatibility shim before the TorchEnv.Sdk packages in the global packages folder: files,
    /// or folders holding <c>libtorchenv_stdcxx_compat.so</c> (the tool passes the copy it ships).
    /// </summary>
    public IReadOnlyList<string> ShimCandidates { get; init; } = [];

    /// <summary>The temp folder TorchSharp's restitch target joins in; null for this process's (<c>TMPDIR</c>).</summary>
    public string? TempFolder { get; init; }

    /// <summary>The free bytes of the file system holding a folder; null to ask the system (tests pretend a full disk).</summary>
    public Func<string, long?>? FreeSpace { get; init; }

    /// <summary>How long the child process may take.</summary>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromMinutes(2);
}
