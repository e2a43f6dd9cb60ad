using TorchEnv.Core.IO;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Doctor;
using TorchEnv.Core.Gpu;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Native;
using TorchEnv.Core.Resolution;
using TorchEnv.Core.Tests.Native;
using TorchEnv.Core.Tests.Ops;
using TorchEnv.TestSupport;

namespace TorchEnv.Core.Tests.Doctor;

public sealed class DoctorTests(DoctorCudaFixture cuda) : IClassFixture<DoctorCudaFixture>, IDisposable
{
    private readonly TempDirectory _temp = new("torchenv-doctor-test");

    public void Dispose() => _temp.Dispose();

    private DoctorReport RunCuda(string packages, IGpuDetector gpus, Func<string, long?>? freeSpace = null) => Core.Doctor.Doctor.Run(cuda.Lock, cuda.LockPath, new DoctorOptions
    {
        GlobalPackagesFolder = packages,
        Dotnet = cuda.Dotnet,
        HostPlatform = "linux-x64",
        Gpus = gpus,
        TempFolder = _temp.Combine("tmp"),
        FreeSpace = freeSpace,
    });

    private static string Statuses(DoctorReport report) => string.Join(" ", report.Checks.Select(c => $"{c.Id}:{c.Symbol}"));

    private static readonly IGpuDetector NoNvidia = new FixedGpuDetector(GpuReport.Nothing("test"));

    /// <summary>A Linux host whose kernel module shows <paramref name="driver"/> and one A100, nvidia-smi giving its compute capability.</summary>
    private HostGpuDetector Nvidia(string driver, string computeCapability = "8.0")
    {
        _temp.WriteFile("nvidia/proc/driver/nvidia/version", $"NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  {driver}  Release Build  (dvs-builder@U16-I3-B03-4-3)  Tue Jan  7 17:26:49 UTC 2025\nGCC version:  gcc version 12.2.0\n");
        _temp.WriteFile("nvidia/proc/driver/nvidia/gpus/0000:01:00.0/information", "Model: \t\t NVIDIA A100-SXM4-40GB\nIRQ:   \t\t 34\n");
        return new HostGpuDetector(new NvidiaHost(_temp.Combine("nvidia"), null),
            () => NvidiaSmi.Parse($"NVIDIA A100-SXM4-40GB, {computeCapability}, {driver}\n"));
    }

    /// <summary>A CPU lock of the real TorchSharp 0.107.0 packages, its host: section as locking computes it from them.</summary>
    private static LockedEnvironment RealCpuEnvironment(RealStackPackages packages)
    {
        var environment = OpsLocks.Cpu(packages:
        [
            OpsLocks.Installed(packages.GlobalPackagesFolder, "TorchSharp", "0.107.0"),
            OpsLocks.Installed(packages.GlobalPackagesFolder, "libtorch-cpu-linux-x64", "2.10.0"),
        ], dotnetSdk: DotnetInstallation.Current().ListSdks().Last().ToNormalizedString());
        return environment with { Host = LockedFactsCheck.Recompute(environment, packages.GlobalPackagesFolder)!.Host };
    }

    [Fact]
    [Trait("Category", "Integration")]
    public void A_host_section_edited_by_hand_fails_the_packages_check_with_the_field_and_both_values()
    {
        var packages = RealStackPackages.Get();
        var environment = RealCpuEnvironment(packages);
        var edited = environment with { Host = environment.Host with { Glibcxx = "3.4.30" } };
        var lockPath = _temp.WriteFile("environment.lock.yml", "");

        var report = Core.Doctor.Doctor.Run(OpsLocks.Lock("mnist_torchsharp_cpu", edited), lockPath, new DoctorOptions
        {
            GlobalPackagesFolder = packages.GlobalPackagesFolder,
            HostPlatform = "linux-x64",
            Gpus = NoNvidia,
        });

        var check = report["packages"];
        Assert.Equal(CheckStatus.Fail, check.Status);
        Assert.Equal(LockMessages.RecomputedDiffersDescriptor.Code, check.Diagnostic!.Code);
        Assert.Contains($"host.glibcxx is 3.4.30, but recomputed from the installed packages it is {environment.Host.Glibcxx}", check.Diagnostic.Message);
        Assert.Contains("1 recorded field(s) differ", check.Found);
    }

    [Fact]
    [Trait("Category", "Integration")]
    public void A_cpu_lock_of_the_real_packages_passes_on_this_machine_with_the_gap_covered_by_the_compatibility_step()
    {
        var packages = RealStackPackages.Get();
        var environment = RealCpuEnvironment(packages);
        var lockPath = _temp.WriteFile("environment.lock.yml", "");

        var report = Core.Doctor.Doctor.Run(OpsLocks.Lock("mnist_torchsharp_cpu", environment), lockPath, new DoctorOptions
        {
            GlobalPackagesFolder = packages.GlobalPackagesFolder,
            HostPlatform = "linux-x64",
            Gpus = NoNvidia,
        });

        Assert.True(report.Passed, Statuses(report));
        Assert.Equal("dotnet-sdk:✓ host-abi:✓ nvidia-driver:– gpu:– packages:✓ cudnn:– native-load:– autocast:✓ packages-folder:✓ temp-folder:–", Statuses(report));
        var abi = report["host-abi"];
        if (HostAbi.Detect().Glibcxx == "3.4.30")
        {
            // Debian 12 / Ubuntu 22.04: GLIBCXX_3.4.32 is missing, and only for std::ios_base_library_init().
            Assert.Contains("lacks GLIBCXX_3.4.32", abi.Found);
            Assert.Contains(abi.Details, d => d.Contains("compatibility step", StringComparison.Ordinal) && d.Contains("libLibTorchSharp.so", StringComparison.Ordinal));
        }

        Assert.Contains("all 9 in libtorch-cpu-linux-x64/runtimes/linux-x64/native/libtorch_cpu.so", report["autocast"].Found);
        Assert.Contains("no child-process launcher", report["native-load"].Fix);
    }

    [Fact]
    public void A_cuda_lock_on_a_machine_without_nvidia_reports_no_driver_and_no_gpu_as_clear_failures()
    {
        var report = RunCuda(cuda.PackagesFolder, NoNvidia);

        Assert.False(report.Passed);
        Assert.Equal("dotnet-sdk:– host-abi:✓ nvidia-driver:✗ gpu:✗ packages:✗ cudnn:✓ native-load:– autocast:✓ packages-folder:✓ temp-folder:✓", Statuses(report));
        var driver = report["nvidia-driver"];
        Assert.Equal("no NVIDIA driver", driver.Found);
        Assert.Equal(">= 525.60.13 (CUDA 12.8)", driver.Needed);
        Assert.Equal(DoctorMessages.NoDriverDescriptor.Code, driver.Diagnostic!.Code);
        Assert.Contains("--variant cpu", driver.Fix);
        Assert.Equal(DoctorMessages.NoGpuDescriptor.Code, report["gpu"].Diagnostic!.Code);
        // Restored but never built: the split CUDA files are still fragments.
        var packages = report["packages"];
        Assert.Equal(DoctorMessages.RestitchDescriptor.Code, packages.Diagnostic!.Code);
        Assert.Equal(7, packages.Details.Count);
        Assert.Contains("cuDNN 9", report["cudnn"].Found);
        Assert.EndsWith("to restitch CUDA files", report["packages-folder"].Needed);
        Assert.Equal([DoctorMessages.NoDriverDescriptor.Code, DoctorMessages.NoGpuDescriptor.Code, DoctorMessages.RestitchDescriptor.Code], report.Diagnostics.Select(d => d.Code));
    }

    [Fact]
    public void A_libtorch_without_an_export_that_training_calls_fails_the_autocast_check_naming_it()
    {
        // The autocast cache exports were not checked before doctor and TorchEnv.Training shared one list.
        var packages = cuda.CopyPackages(_temp);
        DoctorCudaFixture.Restitch(packages); // libtorch_cpu.so whole, as after the first build
        var libtorch = Directory.EnumerateFiles(packages, "libtorch_cpu.so", SearchOption.AllDirectories).Single();
        var elf = new TinyElfBuilder("libtorch_cpu.so").Need("libc.so.6", "GLIBC_2.2.5");
        foreach (var name in Core.Doctor.Doctor.AutocastExports.Where(n => !n.Contains("is_autocast_cache_enabled", StringComparison.Ordinal)))
        {
            elf.Export(name);
        }

        File.Delete(libtorch);
        File.WriteAllBytes(libtorch, elf.Build());

        var autocast = RunCuda(packages, NoNvidia)["autocast"];

        Assert.Equal(CheckStatus.Fail, autocast.Status);
        Assert.StartsWith("8 of 9 in ", autocast.Found, StringComparison.Ordinal);
        Assert.Contains("at::autocast::is_autocast_cache_enabled()", autocast.Diagnostic!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void After_the_first_build_restitches_and_with_a_new_enough_driver_and_a_gpu_the_cuda_lock_passes()
    {
        var packages = cuda.CopyPackages(_temp);
        Assert.Equal(7, DoctorCudaFixture.Restitch(packages));

        var report = RunCuda(packages, Nvidia("570.86.15"));

        Assert.True(report.Passed, Statuses(report));
        Assert.Equal("570.86.15 (/proc/driver/nvidia/version)", report["nvidia-driver"].Found);
        Assert.Equal("1: NVIDIA A100-SXM4-40GB (compute capability 8.0)", report["gpu"].Found);
        Assert.Contains("7 CUDA file(s) restitched", report["packages"].Found);
    }

    [Fact]
    public void A_joined_file_that_does_not_match_its_sha_is_named_as_a_damaged_restitch()
    {
        var packages = cuda.CopyPackages(_temp);
        DoctorCudaFixture.Restitch(packages);
        var libtorchCuda = Directory.EnumerateFiles(packages, "libtorch_cuda.so", SearchOption.AllDirectories).Single();
        File.AppendAllText(libtorchCuda, "x");

        var check = RunCuda(packages, Nvidia("570.86.15"))["packages"];

        Assert.Equal(CheckStatus.Fail, check.Status);
        Assert.Equal(DoctorMessages.RestitchDescriptor.Code, check.Diagnostic!.Code);
        Assert.Equal(["libtorch-cuda-12.8-linux-x64-part3-primary/runtimes/linux-x64/native/libtorch_cuda.so: does not match its .sha (damaged restitch)"], check.Details);
    }

    [Fact]
    public void A_pascal_gpu_fails_with_the_torchsharp_rows_that_have_kernels_for_it_and_the_cpu_variant_as_fixes()
    {
        var report = RunCuda(cuda.PackagesFolder, Nvidia("570.86.15", computeCapability: "6.1"));

        var gpu = report["gpu"];
        Assert.Equal(CheckStatus.Fail, gpu.Status);
        Assert.Equal(GpuMessages.UnsupportedGpuDescriptor.Code, gpu.Diagnostic!.Code);
        Assert.Equal("1: NVIDIA A100-SXM4-40GB (compute capability 6.1)", gpu.Found);
        Assert.Contains("libtorch 2.10.0 (CUDA 12.8) has kernels for sm_70 sm_75 sm_80 sm_86 sm_90 sm_100 sm_120 only", gpu.Diagnostic.Message);
        Assert.Contains("no kernel image is available", gpu.Diagnostic.Message);
        Assert.Contains("write torchsharp==0.105.1 with cuda=12.1 (libtorch 2.5.1: sm_50 sm_60 sm_70", gpu.Fix);
        Assert.Contains("dotnet build -p:TorchEnvVariant=cpu", gpu.Fix);
        Assert.Equal(CheckStatus.Pass, report["nvidia-driver"].Status);
    }

    [Theory]
    [InlineData("8.0")]
    [InlineData("8.9")] // Ada runs the sm_86 kernels
    [InlineData("7.0")] // libtorch 2.10's CUDA 12.8 build still has Volta's
    public void A_gpu_the_locked_libtorch_has_kernels_for_passes(string computeCapability)
    {
        var gpu = RunCuda(cuda.PackagesFolder, Nvidia("570.86.15", computeCapability))["gpu"];

        Assert.Equal(CheckStatus.Pass, gpu.Status);
        Assert.Contains($"(compute capability {computeCapability})", gpu.Found);
        Assert.Contains("sm_70 sm_75 sm_80 sm_86 sm_90 sm_100 sm_120", gpu.Needed);
    }

    [Fact]
    public void Without_nvidia_smi_the_gpus_of_proc_pass_unchecked_and_say_why()
    {
        _temp.WriteFile("smi-less/proc/driver/nvidia/version", "NVRM version: NVIDIA UNIX x86_64 Kernel Module  570.86.15  Release Build\n");
        _temp.WriteFile("smi-less/proc/driver/nvidia/gpus/0000:01:00.0/information", "Model: \t\t Tesla V100-SXM2-16GB\n");
        var detector = new HostGpuDetector(new NvidiaHost(_temp.Combine("smi-less"), null), () => new NvidiaSmiResult([], null, "nvidia-smi is not installed (it comes with the NVIDIA driver)"));

        var gpu = RunCuda(cuda.PackagesFolder, detector)["gpu"];

        Assert.Equal(CheckStatus.Pass, gpu.Status);
        Assert.Equal("1: Tesla V100-SXM2-16GB (0000:01:00.0) (compute capability unknown)", gpu.Found);
        Assert.Contains(gpu.Details, d => d.Contains("nvidia-smi is not installed", StringComparison.Ordinal));
    }

    [Fact]
    public void The_temp_folder_is_counted_against_the_largest_split_file_while_one_is_still_split()
    {
        var largest = CudaFixtureFeed.LinuxFragments.Keys
            .Select(part => CudaFixtureFeed.LinuxParts.Single(p => p.Part == part).Files[0])
            .Select(name => (Name: name, Length: (long)DoctorCudaFixture.Natives(name).Length))
            .MaxBy(f => f.Length);
        var joinedPackages = cuda.CopyPackages(_temp);
        DoctorCudaFixture.Restitch(joinedPackages);

        var split = RunCuda(cuda.PackagesFolder, NoNvidia, _ => largest.Length - 1)["temp-folder"];
        var roomy = RunCuda(cuda.PackagesFolder, NoNvidia, _ => largest.Length)["temp-folder"];
        var joined = RunCuda(joinedPackages, NoNvidia, _ => 0)["temp-folder"];

        Assert.Equal(CheckStatus.Fail, split.Status);
        Assert.Equal(DoctorMessages.TempSpaceDescriptor.Code, split.Diagnostic!.Code);
        Assert.Contains($"less than {ByteSize.Format(largest.Length)} ({largest.Name})", split.Diagnostic.Message, StringComparison.Ordinal);
        Assert.StartsWith($"{_temp.Combine("tmp")}: {ByteSize.Format(largest.Length - 1)} free; 7 split file(s) not joined yet", split.Found, StringComparison.Ordinal);
        Assert.Equal($"{ByteSize.Format(largest.Length)} for the largest split file ({largest.Name}) while any is still split", split.Needed);
        Assert.Equal(CheckStatus.Pass, roomy.Status);
        Assert.Equal(CheckStatus.Pass, joined.Status);
        Assert.EndsWith("every split file joined", joined.Found, StringComparison.Ordinal);
    }

    [Fact]
    public void A_driver_older_than_the_locked_cuda_needs_is_a_failure_naming_both_versions()
    {
        var report = RunCuda(cuda.PackagesFolder, Nvidia("470.256.02"));

        var driver = report["nvidia-driver"];
        Assert.Equal(CheckStatus.Fail, driver.Status);
        Assert.Equal(DoctorMessages.OldDriverDescriptor.Code, driver.Diagnostic!.Code);
        Assert.Contains("470.256.02 is older than CUDA 12.8 needs (525.60.13 or newer)", driver.Diagnostic.Message);
    }

    [Fact]
    public void A_driver_seen_only_through_libcuda_is_read_from_its_file_name()
    {
        using var host = new FakeHost().WithDebian12();
        var real = host.AddLibrary($"usr/lib/{FakeHost.Triplet}", "libcuda.so.550.54.14", []);
        File.CreateSymbolicLink(Path.Combine(host.Root, "usr", "lib", FakeHost.Triplet, "libcuda.so.1"), real);

        var (version, source) = new NvidiaHost(host.Root, host.Detect()).Driver();

        Assert.Equal("550.54.14", version);
        Assert.EndsWith("libcuda.so.1", source);
    }

    [Theory]
    [InlineData("10.0.*")]
    [InlineData("[10.0.100, 10.1.0)")]
    public void A_locked_sdk_range_passes_with_an_installed_sdk_inside_it_as_the_build_accepts_it(string pin)
    {
        var report = Core.Doctor.Doctor.Run(OpsLocks.Lock("x_torchsharp_cpu", OpsLocks.Cpu(dotnetSdk: pin)), _temp.WriteFile("environment.lock.yml", ""), new DoctorOptions
        {
            GlobalPackagesFolder = _temp.Combine("empty-packages"),
            Dotnet = cuda.Dotnet,
            HostPlatform = "linux-x64",
            Gpus = NoNvidia,
        });

        var sdk = report["dotnet-sdk"];
        Assert.Equal(CheckStatus.Pass, sdk.Status);
        Assert.StartsWith("10.0.", sdk.Found, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_packages_fail_with_the_count_and_the_room_they_need()
    {
        var environment = OpsLocks.Cpu(dotnetSdk: "9.0.999");
        var report = Core.Doctor.Doctor.Run(OpsLocks.Lock("x_torchsharp_cpu", environment), _temp.WriteFile("environment.lock.yml", ""), new DoctorOptions
        {
            GlobalPackagesFolder = _temp.Combine("empty-packages"),
            Dotnet = cuda.Dotnet,
            HostPlatform = "linux-x64",
            Gpus = NoNvidia,
        });

        var packages = report["packages"];
        Assert.Equal(DoctorMessages.PackagesDescriptor.Code, packages.Diagnostic!.Code);
        Assert.Equal("0 of 2 installed, 0 differ", packages.Found);
        Assert.Contains("for 2 missing package(s) (estimate)", report["packages-folder"].Needed);
        Assert.Equal(CheckStatus.NotApplicable, report["autocast"].Status);
        var sdk = report["dotnet-sdk"];
        Assert.Equal(DoctorMessages.SdkMissingDescriptor.Code, sdk.Diagnostic!.Code);
        Assert.Equal(("9.0.300, 10.0.100, 10.0.401", "9.0.999"), (sdk.Found, sdk.Needed));
    }

    [Fact]
    public void A_windows_entry_checked_on_linux_leaves_the_host_checks_not_applicable()
    {
        var lockFile = OpsLocks.Lock("x_torchsharp_cpu", OpsLocks.Cpu("linux-x64"), OpsLocks.Cpu("win-x64"));

        var report = Core.Doctor.Doctor.Run(lockFile, _temp.WriteFile("environment.lock.yml", ""), new DoctorOptions
        {
            Platform = "win-x64",
            GlobalPackagesFolder = _temp.Combine("p"),
            Dotnet = cuda.Dotnet,
            HostPlatform = "linux-x64",
            Gpus = NoNvidia,
        });

        Assert.Equal("win-x64", report.Platform);
        Assert.All(["host-abi", "nvidia-driver", "gpu", "native-load", "autocast"], id => Assert.Equal(CheckStatus.NotApplicable, report[id].Status));
    }

    [Fact]
    public void A_variant_or_platform_the_lock_lacks_is_an_error_listing_its_entries()
    {
        var error = Assert.Throws<TorchEnvException>(() => Core.Doctor.Doctor.Run(
            OpsLocks.Lock("x_torchsharp_cpu", OpsLocks.Cpu()), _temp.WriteFile("environment.lock.yml", ""), new DoctorOptions { Variant = "cuda" }));

        Assert.Equal(DoctorMessages.NoEntryDescriptor.Code, error.Diagnostic.Code);
        Assert.Contains("cpu/linux-x64", error.Diagnostic.Message);
    }
}
