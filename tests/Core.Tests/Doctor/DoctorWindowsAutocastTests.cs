using TorchEnv.Core.Doctor;
using TorchEnv.Core.Gpu;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Tests.Ops;
using TorchEnv.TestSupport;

namespace TorchEnv.Core.Tests.Doctor;

/// <summary>
/// `torchenv doctor --platform win-x64` on Linux reads the Windows libtorch's PE export table for the autocast exports,
/// as it reads the ELF symbols of the Linux one: a Linux CI can tell whether a win-x64 lock has mixed precision.
/// </summary>
public sealed class DoctorWindowsAutocastTests : IDisposable
{
    private readonly TempDirectory _temp = new("torchenv-doctor-win");

    public void Dispose() => _temp.Dispose();

    [Fact]
    [Trait("Category", "Integration")]
    public void A_win_x64_lock_of_the_real_libtorch_has_every_autocast_export_read_on_linux()
    {
        var package = RealStackPackages.WindowsLibTorchPackage();
        var folder = Path.GetDirectoryName(Path.GetDirectoryName(package))!;
        var environment = OpsLocks.Cpu("win-x64", packages: [OpsLocks.Installed(folder, "libtorch-cpu-win-x64", "2.10.0")]);

        var autocast = Run(environment, folder)["autocast"];

        Assert.Equal(CheckStatus.Pass, autocast.Status);
        Assert.Equal("all 9 in libtorch-cpu-win-x64/runtimes/win-x64/native/torch_cpu.dll (PE exports)", autocast.Found);
    }

    [Fact]
    public void A_windows_libtorch_without_one_msvc_export_fails_with_TENV0529_naming_it()
    {
        const string Missing = "?set_autocast_cache_enabled@autocast@at@@YAX_N@Z";
        var dll = new TinyPeBuilder("torch_cpu.dll");
        foreach (var name in Core.Doctor.Doctor.AutocastExportNames("win-x64").Where(n => n != Missing))
        {
            dll.Export(name);
        }

        foreach (var name in Core.Doctor.Doctor.AutocastExportNames("linux-x64"))
        {
            dll.Export(name);   // the Itanium names do not count on Windows
        }

        var folder = _temp.Combine("packages");
        var environment = OpsLocks.Cpu("win-x64", packages: [FakeInstalled(folder, "libtorch-cpu-win-x64", "2.10.0", ("runtimes/win-x64/native/torch_cpu.dll", dll.Build()))]);

        var autocast = Run(environment, folder)["autocast"];

        Assert.Equal(CheckStatus.Fail, autocast.Status);
        Assert.Equal("8 of 9 in libtorch-cpu-win-x64/runtimes/win-x64/native/torch_cpu.dll (PE exports)", autocast.Found);
        Assert.Equal(DoctorMessages.AutocastDescriptor.Code, autocast.Diagnostic!.Code);
        Assert.Contains($"at::autocast::set_autocast_cache_enabled(bool) '{Missing}'", autocast.Diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal([Missing], autocast.Details);
    }

    [Fact]
    public void A_damaged_torch_cpu_dll_fails_the_check_with_TENV0305()
    {
        var folder = _temp.Combine("packages");
        var bytes = new TinyPeBuilder("torch_cpu.dll").Export("x").Build()[..0x210];
        var environment = OpsLocks.Cpu("win-x64", packages: [FakeInstalled(folder, "libtorch-cpu-win-x64", "2.10.0", ("runtimes/win-x64/native/torch_cpu.dll", bytes))]);

        var autocast = Run(environment, folder)["autocast"];

        Assert.Equal(CheckStatus.Fail, autocast.Status);
        Assert.Equal("torch_cpu.dll unreadable", autocast.Found);
        Assert.Equal("TENV0305", autocast.Diagnostic!.Code);
    }

    [Fact]
    public void An_osx_entry_is_not_applicable_because_mach_o_is_not_read()
    {
        var folder = _temp.Combine("packages");
        var environment = OpsLocks.Cpu("osx-arm64", packages: [FakeInstalled(folder, "libtorch-cpu-osx-arm64", "2.10.0", ("runtimes/osx-arm64/native/libtorch_cpu.dylib", [0xCF, 0xFA, 0xED, 0xFE]))]);

        var autocast = Run(environment, folder)["autocast"];

        Assert.Equal(CheckStatus.NotApplicable, autocast.Status);
        Assert.Contains("Mach-O is not read", autocast.Fix, StringComparison.Ordinal);
    }

    private DoctorReport Run(LockedEnvironment environment, string packages) =>
        Core.Doctor.Doctor.Run(OpsLocks.Lock("x_torchsharp_cpu", environment), _temp.WriteFile("environment.lock.yml", ""), new DoctorOptions
        {
            Platform = environment.Platform,
            GlobalPackagesFolder = packages,
            HostPlatform = "linux-x64",
            Gpus = new FixedGpuDetector(GpuReport.Nothing("test")),
        });

    /// <summary>A package folder as NuGet leaves it (.nupkg.metadata with the content hash) holding only <paramref name="files"/>.</summary>
    private static LockedPackage FakeInstalled(string folder, string id, string version, params (string Path, byte[] Bytes)[] files)
    {
        var directory = Path.Combine(folder, id.ToLowerInvariant(), version);
        foreach (var (path, bytes) in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(directory, path))!);
            File.WriteAllBytes(Path.Combine(directory, path), bytes);
        }

        var hash = Convert.ToBase64String(new byte[64]);
        File.WriteAllText(Path.Combine(directory, ".nupkg.metadata"), $$"""{ "version": 2, "contentHash": "{{hash}}", "source": null }""");
        return OpsLocks.Package(id, version, sha512: hash);
    }
}
