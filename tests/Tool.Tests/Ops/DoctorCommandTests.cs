using System.Text.Json;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Packages;
using TorchEnv.Core.Resolution;
using TorchEnv.Core.Spec;
using TorchEnv.Core.Stack;
using TorchEnv.TestSupport;
using TorchEnv.Tool.Cli;

namespace TorchEnv.Tool.Tests.Ops;

/// <summary>
/// <c>torchenv doctor --json</c> on this machine (no GPU): a CPU lock of the real TorchSharp 0.107.0 packages passes every
/// applicable check, the natives really loading in a child process; a CUDA lock of the fixture packages (real ids and
/// layout, tiny files) fails with "no NVIDIA driver", clearly and without an exception.
/// </summary>
[Trait("Category", "Integration")]
public sealed class DoctorCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new("torchenv-doctor-tool");

    public void Dispose() => _temp.Dispose();

    private static Dictionary<string, string> Statuses(JsonElement result) => result.GetProperty("checks").EnumerateArray()
        .ToDictionary(c => c.GetProperty("id").GetString()!, c => c.GetProperty("status").GetString()!);

    private static JsonElement Check(JsonElement result, string id) =>
        result.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("id").GetString() == id);

    private static LockedPackage Installed(string folder, string id, string version) => new()
    {
        Id = id,
        Version = version,
        Source = "https://api.nuget.org/v3/index.json",
        Sha512 = new GlobalPackagesFolder(folder).Find(id, version)!.ContentHash,
        Dependencies = [],
    };

    [Fact]
    public void A_cpu_lock_of_the_real_packages_passes_with_the_natives_loaded_in_a_child_process()
    {
        var real = RealStackPackages.Get();
        var sdk = DotnetInstallation.Current().ListSdks().Last().ToNormalizedString();
        var lockPath = Path.Combine(_temp.Path, LockFileWriter.DefaultFileName);
        var environment = new LockedEnvironment
        {
            Variant = "cpu", Platform = "linux-x64", SpecHash = "sha256:" + new string('0', 64), Framework = "net10.0",
            Stack = new LockedStack { TorchSharp = "0.107.0", LibTorch = "2.10.0", Device = "cpu", DotnetSdk = sdk },
            Host = HostRequirements.None,
            Packages = [Installed(real.GlobalPackagesFolder, "libtorch-cpu-linux-x64", "2.10.0"), Installed(real.GlobalPackagesFolder, "TorchSharp", "0.107.0")],
        };
        LockFileWriter.Write(lockPath, new EnvironmentLock
        {
            FormatVersion = EnvironmentLock.CurrentFormatVersion,
            ToolVersion = "0.1.0-test",
            Name = "doctor_torchsharp_cpu",

            // host: as locking computes it from these packages (doctor fails a hand-written one with TENV0248).
            Environments = [environment with { Host = LockedFactsCheck.Recompute(environment, real.GlobalPackagesFolder)!.Host }],
        });

        var run = ToolRunner.Run(_temp.Path, new Dictionary<string, string> { ["NUGET_PACKAGES"] = real.GlobalPackagesFolder }, "doctor", "--json");

        run.AssertExit(ExitCodes.Success);
        using var document = JsonDocument.Parse(run.Out);
        var result = document.RootElement.GetProperty("result");
        Assert.True(result.GetProperty("passed").GetBoolean());
        Assert.Equal(new Dictionary<string, string>
        {
            ["dotnet-sdk"] = "pass", ["host-abi"] = "pass", ["nvidia-driver"] = "notApplicable", ["gpu"] = "notApplicable", ["packages"] = "pass",
            ["cudnn"] = "notApplicable", ["native-load"] = "pass", ["autocast"] = "pass", ["packages-folder"] = "pass", ["temp-folder"] = "notApplicable",
        }, Statuses(result));
        var load = Check(result, "native-load");
        Assert.Contains("libtorch_cpu.so ← libtorch-cpu-linux-x64 2.10.0", load.GetProperty("found").GetString());
        Assert.Contains(load.GetProperty("details").EnumerateArray(), d => d.GetString()!.Contains("/libtorch-cpu-linux-x64/2.10.0/runtimes/linux-x64/native/libtorch_cpu.so", StringComparison.Ordinal));
        Assert.Empty(document.RootElement.GetProperty("diagnostics").EnumerateArray());
    }

    [Fact]
    public async Task A_cuda_fixture_lock_on_this_machine_fails_with_no_nvidia_driver_as_a_check_not_an_exception()
    {
        var feed = new LocalFeed(_temp.Combine("feed"));
        feed.Add("TorchSharp", "0.107.0", p => p.File("lib/net8.0/TorchSharp.dll", "stand-in"));
        CudaFixtureFeed.Build(feed, new CudaFixtureOptions { Windows = false });
        var specPath = _temp.WriteFile("project/environment.yml", """
            name: fixture_torchsharp_cuda
            channels: [../feed]
            platforms: [linux-x64]
            dependencies:
              - torchsharp==0.107.0
              - cuda=12.8
            """);
        var packages = _temp.Combine("packages");
        var spec = EnvironmentSpecReader.Read(specPath);
        var locked = await EnvironmentLocker.LockAsync(spec, StackPlanner.PlanAll(spec), null, new LockOptions { GlobalPackagesFolder = packages });
        LockFileWriter.Write(LockFileWriter.PathFor(specPath), locked);

        var run = ToolRunner.Run(_temp.Combine("project"), new Dictionary<string, string> { ["NUGET_PACKAGES"] = packages }, "doctor", "--json");

        run.AssertExit(ExitCodes.CheckFailed);
        using var document = JsonDocument.Parse(run.Out);
        var result = document.RootElement.GetProperty("result");
        var statuses = Statuses(result);
        Assert.False(result.GetProperty("passed").GetBoolean());
        if (!File.Exists("/proc/driver/nvidia/version"))
        {
            var driver = Check(result, "nvidia-driver");
            Assert.Equal(("fail", "no NVIDIA driver", ">= 525.60.13 (CUDA 12.8)"),
                (driver.GetProperty("status").GetString(), driver.GetProperty("found").GetString(), driver.GetProperty("needed").GetString()));
            Assert.Contains("TENV0522", document.RootElement.GetProperty("diagnostics").EnumerateArray().Select(d => d.GetProperty("code").GetString()));
            Assert.Contains("error TENV0522: No NVIDIA driver", run.Error);
            Assert.Equal("fail", statuses["gpu"]);
        }

        // Restored, never built: the CUDA parts are not restitched; cuDNN 9 is in the parts; the fake natives do not load.
        Assert.Equal(("pass", "fail", "pass", "fail", "pass"), (statuses["host-abi"], statuses["packages"], statuses["cudnn"], statuses["native-load"], statuses["packages-folder"]));
        Assert.Contains("not joined yet", string.Join("\n", Check(result, "packages").GetProperty("details").EnumerateArray().Select(d => d.GetString())));
        Assert.Equal(("notApplicable", "fail"), (statuses["dotnet-sdk"], statuses["autocast"]));
    }
}
