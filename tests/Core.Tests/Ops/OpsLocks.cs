using TorchEnv.Core.Lock;
using TorchEnv.Core.Packages;
using TorchEnv.Core.Tests.Lock;

namespace TorchEnv.Core.Tests.Ops;

/// <summary>
/// Locks for the ops commands (doctor, dockerfile, cache), built in memory with the shape and host requirements of real
/// TorchSharp 0.107.0 locks (measured: libLibTorchSharp.so needs GLIBC 2.34, GLIBCXX 3.4.32, CXXABI 1.3.13).
/// </summary>
internal static class OpsLocks
{
    public const string NuGetOrg = "https://api.nuget.org/v3/index.json";

    public static readonly HostRequirements TorchSharp107Linux = new()
    {
        Glibc = "2.34",
        Glibcxx = "3.4.32",
        Cxxabi = "1.3.13",
        Needs =
        [
            new("GLIBC_2.34", "libc.so.6", "TorchSharp", "runtimes/linux-x64/native/libLibTorchSharp.so"),
            new("CXXABI_1.3.13", "libstdc++.so.6", "TorchSharp", "runtimes/linux-x64/native/libLibTorchSharp.so"),
            new("GLIBCXX_3.4.32", "libstdc++.so.6", "TorchSharp", "runtimes/linux-x64/native/libLibTorchSharp.so"),
        ],
    };

    public static EnvironmentLock Lock(string name, params LockedEnvironment[] environments) => new()
    {
        FormatVersion = EnvironmentLock.CurrentFormatVersion,
        ToolVersion = "0.1.0-test",
        Name = name,
        Environments = environments,
    };

    public static LockedEnvironment Cpu(
        string platform = "linux-x64", string? dotnetSdk = "10.0.401", HostRequirements? host = null, string variant = "cpu",
        IReadOnlyList<LockedPackage>? packages = null, string torchSharp = "0.107.0") => new()
    {
        Variant = variant,
        Platform = platform,
        SpecHash = TestPlans.Hash(variant + platform),
        Framework = "net10.0",
        Stack = new LockedStack { TorchSharp = torchSharp, LibTorch = "2.10.0", Device = "cpu", DotnetSdk = dotnetSdk },
        Host = host ?? (platform.StartsWith("linux", StringComparison.Ordinal) ? TorchSharp107Linux : HostRequirements.None),
        Packages = packages ?? [Package("TorchSharp", torchSharp), Package($"libtorch-cpu-{platform}", "2.10.0")],
    };

    public static LockedEnvironment Cuda(string platform = "linux-x64", string? dotnetSdk = "10.0.401", HostRequirements? host = null, IReadOnlyList<LockedPackage>? packages = null) => new()
    {
        Variant = "cuda",
        Platform = platform,
        SpecHash = TestPlans.Hash("cuda" + platform),
        Framework = "net10.0",
        Stack = new LockedStack { TorchSharp = "0.107.0", LibTorch = "2.10.0", Device = "cuda", Cuda = "12.8", Cudnn = "9", DotnetSdk = dotnetSdk },
        Host = host ?? (TorchSharp107Linux with { NvidiaDriver = "525.60.13" }),
        Packages = packages ?? [Package("TorchSharp", "0.107.0"), Package("TorchSharp-cuda-linux", "0.107.0"), Package("libtorch-cuda-12.8-linux-x64", "2.10.0")],
    };

    public static LockedPackage Package(string id, string version, string source = NuGetOrg, string? sha512 = null) => new()
    {
        Id = id,
        Version = version,
        Source = source,
        Sha512 = sha512 ?? Convert.ToBase64String(new byte[64]),
        Dependencies = [],
    };

    /// <summary>A locked package with the hash NuGet recorded for it in <paramref name="globalPackagesFolder"/>.</summary>
    public static LockedPackage Installed(string globalPackagesFolder, string id, string version) =>
        Package(id, version, sha512: new GlobalPackagesFolder(globalPackagesFolder).Find(id, version)?.ContentHash
            ?? throw new InvalidOperationException($"{id} {version} is not installed in {globalPackagesFolder}."));
}
