using System.Security.Cryptography;
using System.Text;
using NuGet.Frameworks;
using NuGet.Versioning;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Spec;
using TorchEnv.Core.Stack;

namespace TorchEnv.Core.Tests.Lock;

/// <summary>
/// Specs and stack plans built by hand (as the spec reader and the stack planner would produce them), so the resolver
/// and the lock are tested on their own.
/// </summary>
internal static class TestPlans
{
    public static readonly StackMatrixRow Row107 = new(
        VersionRange.Parse("[0.106.0, 0.107.0]"), NuGetVersion.Parse("2.10.0"), "12.8", 9,
        ["linux-x64", "win-x64", "osx-arm64", "win-arm64"], ["linux-x64", "win-x64"])
    {
        CudaArchitectures = StackMatrix.Rows[0].CudaArchitectures,
    };

    public static EnvironmentSpec Spec(string specPath, string name, IReadOnlyList<string> channels, params VariantSpec[] variants) => new()
    {
        FilePath = specPath,
        Name = name,
        Channels = channels.Select((c, i) => new ChannelSpec(c, new SourceLocation(specPath, 2, 13 + i))).ToList(),
        Policy = EnvironmentPolicy.Research,
        Variants = variants,
    };

    public static VariantSpec Variant(string specPath, string name, IReadOnlyList<string> platforms, params DependencySpec[] dependencies) => new()
    {
        Name = name,
        Platforms = platforms,
        Dependencies = dependencies,
        Location = new SourceLocation(specPath, 5, 1),
    };

    public static DependencySpec Dependency(string specPath, DependencyKind kind, string name, string? version, int line) => new()
    {
        Kind = kind,
        Name = name,
        VersionText = version,
        Range = version is null ? VersionRange.All : VersionRange.Parse(version),
        Location = new SourceLocation(specPath, line, 5),
        Text = version is null ? name : $"{name}={version}",
    };

    /// <summary>A CPU plan: TorchSharp + libtorch-cpu-&lt;rid&gt; (+ extra roots), framework net10.0.</summary>
    public static StackPlan Cpu(
        string variant, string platform, string torchSharp = "[0.107.0]", string libTorch = "[2.10.0]",
        IReadOnlyList<PackageRequirement>? extraRoots = null, string? dotnetSdk = null, string framework = "net10.0")
    {
        var torchSharpRange = VersionRange.Parse(torchSharp);
        var roots = new List<PackageRequirement>
        {
            new("TorchSharp", torchSharpRange, $"torchsharp={torchSharp} (environment.yml:6)"),
            new($"libtorch-cpu-{platform}", VersionRange.Parse(libTorch), $"torchsharp={torchSharp} (environment.yml:6) → stack matrix 0.107.x ↔ libtorch 2.10.0"),
        };
        roots.AddRange(extraRoots ?? []);
        return new StackPlan
        {
            Variant = variant,
            Platform = platform,
            Device = ComputeDevice.Cpu,
            Framework = NuGetFramework.Parse(framework),
            Candidates = [new StackCandidate(Row107, torchSharpRange, roots)],
            TorchSharp = torchSharpRange,
            DotnetSdk = dotnetSdk is null ? null : VersionRange.Parse(dotnetSdk),
            SpecHash = Hash($"{variant}|{platform}|{torchSharp}|{libTorch}|{string.Join(",", roots.Select(r => r.Id + r.Range))}|{dotnetSdk}|{framework}"),
        };
    }

    /// <summary>A CUDA plan for linux-x64 or win-x64: TorchSharp-cuda-linux/-windows, CUDA 12.8, cuDNN as given.</summary>
    public static StackPlan Cuda(string variant, string platform, string cudnn = "[9.0.0, 10.0.0)", string cuda = "12.8", string framework = "net10.0")
    {
        var torchSharpRange = VersionRange.Parse("[0.107.0]");
        var head = platform.StartsWith("linux", StringComparison.Ordinal) ? "TorchSharp-cuda-linux" : "TorchSharp-cuda-windows";
        var roots = new List<PackageRequirement>
        {
            new(head, torchSharpRange, "torchsharp=0.107.0 (environment.yml:6) + cuda=12.8 (environment.yml:7)"),
            new($"libtorch-cuda-12.8-{platform}", VersionRange.Parse("[2.10.0]"), "cuda=12.8 (environment.yml:7) → stack matrix 0.107.x ↔ libtorch 2.10.0"),
        };
        return new StackPlan
        {
            Variant = variant,
            Platform = platform,
            Device = ComputeDevice.Cuda,
            Framework = NuGetFramework.Parse(framework),
            Candidates = [new StackCandidate(Row107, torchSharpRange, roots)],
            TorchSharp = torchSharpRange,
            Cuda = cuda,
            Cudnn = VersionRange.Parse(cudnn),
            SpecHash = Hash($"{variant}|{platform}|cuda|{cuda}|{cudnn}|{framework}"),
        };
    }

    public static string Hash(string text) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
