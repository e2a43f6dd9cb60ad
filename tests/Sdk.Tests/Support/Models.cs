using NuGet.Versioning;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Spec;

namespace TorchEnv.Sdk.Tests.Support;

/// <summary>Specs and locks built in memory, shaped like the real CPU stack (TorchSharp 0.107.0 on libtorch 2.10.0).</summary>
internal static class Models
{
    public static VariantSpec Variant(string name, string specFile, int line, params string[] platforms) => new()
    {
        Name = name,
        Platforms = platforms,
        Dependencies = [],
        Location = new SourceLocation(specFile, line, 3),
    };

    public static EnvironmentSpec Spec(string specFile, EnvironmentPolicy policy = EnvironmentPolicy.Research, params VariantSpec[] variants) => new()
    {
        FilePath = specFile,
        Name = "mnist_torchsharp_cpu",
        Channels = [],
        Policy = policy,
        Variants = variants.Length > 0 ? variants : [Variant("cpu", specFile, 5, "linux-x64", "win-x64")],
    };

    public static LockedPackage Package(string id, string version, string lockFile, int line) => new()
    {
        Id = id,
        Version = version,
        Source = "https://api.nuget.org/v3/index.json",
        Sha512 = Convert.ToBase64String(new byte[64]),
        Dependencies = [],
        Location = new SourceLocation(lockFile, line, 9),
    };

    public static LockedEnvironment Entry(string lockFile, string variant, string platform, string specHash, int line = 5, string? dotnetSdk = null,
        string device = "cpu") => new()
    {
        Variant = variant,
        Platform = platform,
        SpecHash = specHash,
        Framework = "net10.0",
        Stack = new LockedStack { TorchSharp = "0.107.0", LibTorch = "2.10.0", Device = device, DotnetSdk = dotnetSdk, Cuda = device == "cuda" ? "12.8" : null, Cudnn = device == "cuda" ? "9" : null },
        Host = new HostRequirements { Glibc = "2.34", Glibcxx = "3.4.32", Cxxabi = "1.3.13" },
        Packages =
        [
            Package("Google.Protobuf", "3.21.9", lockFile, line + 10),
            Package("libtorch-cpu-" + platform, "2.10.0", lockFile, line + 20),
            Package("SharpZipLib", "1.4.0", lockFile, line + 30),
            Package("TorchSharp", "0.107.0", lockFile, line + 40),
        ],
        Location = new SourceLocation(lockFile, line, 5),
    };

    public static EnvironmentLock Lock(params LockedEnvironment[] environments) => new()
    {
        FormatVersion = EnvironmentLock.CurrentFormatVersion,
        ToolVersion = "0.1.0",
        Name = "mnist_torchsharp_cpu",
        Environments = environments,
    };

    public static NuGetVersion V(string version) => NuGetVersion.Parse(version);
}
