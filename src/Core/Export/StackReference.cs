using System.Text.RegularExpressions;

namespace TorchEnv.Core.Export;

/// <summary>What a package of the TorchSharp stack stands for in a spec.</summary>
internal enum StackRole
{
    /// <summary>Not a stack package: goes under <c>nuget:</c>.</summary>
    None,

    /// <summary><c>TorchSharp</c>: the managed library (the TorchSharp version).</summary>
    TorchSharp,

    /// <summary><c>TorchSharp-cpu</c>: TorchSharp plus <c>libtorch-cpu</c>.</summary>
    CpuBundle,

    /// <summary><c>TorchSharp-cuda-linux</c> / <c>-windows</c>: TorchSharp plus one platform's CUDA libtorch.</summary>
    CudaBundle,

    /// <summary><c>libtorch-cpu</c>: the CPU libtorch of every platform.</summary>
    LibTorchCpu,

    /// <summary><c>libtorch-cpu-&lt;rid&gt;</c>.</summary>
    LibTorchCpuPlatform,

    /// <summary><c>libtorch-cuda-&lt;x.y&gt;-&lt;rid&gt;</c>.</summary>
    LibTorchCudaPlatform,

    /// <summary><c>TorchVision</c>.</summary>
    TorchVision,

    /// <summary>Another stack id (a CUDA part package): implied by its head package, not exported.</summary>
    Implied,
}

/// <summary>A package id read as part of the stack: its role, the platform it is for and the CUDA version in its id.</summary>
/// <param name="Role">Role.</param>
/// <param name="Platform">The runtime identifier the package is for, null when it serves several.</param>
/// <param name="Cuda">CUDA major.minor from the id (<c>libtorch-cuda-12.8-…</c>), null when the id has none.</param>
internal sealed partial record StackReference(StackRole Role, string? Platform, string? Cuda)
{
    [GeneratedRegex(@"^libtorch-cpu-(?<rid>(?:linux|win|osx)-(?:x64|arm64))$", RegexOptions.IgnoreCase)]
    private static partial Regex CpuPlatform();

    [GeneratedRegex(@"^libtorch-cuda-(?<cuda>\d+\.\d+)-(?<rid>(?:linux|win)-(?:x64|arm64))$", RegexOptions.IgnoreCase)]
    private static partial Regex CudaPlatform();

    /// <summary>True for roles that choose the libtorch runtime (CPU or CUDA).</summary>
    public bool IsRuntime => Role is StackRole.CpuBundle or StackRole.CudaBundle or StackRole.LibTorchCpu or StackRole.LibTorchCpuPlatform or StackRole.LibTorchCudaPlatform;

    /// <summary>True for a CUDA runtime.</summary>
    public bool IsCuda => Role is StackRole.CudaBundle or StackRole.LibTorchCudaPlatform;

    /// <summary>True for a direct libtorch package (its version is libtorch's, not TorchSharp's).</summary>
    public bool IsLibTorch => Role is StackRole.LibTorchCpu or StackRole.LibTorchCpuPlatform or StackRole.LibTorchCudaPlatform;

    /// <summary>Reads <paramref name="id"/>.</summary>
    public static StackReference Classify(string id)
    {
        if (id.Equals("TorchSharp", StringComparison.OrdinalIgnoreCase))
        {
            return new(StackRole.TorchSharp, null, null);
        }

        if (id.Equals("TorchSharp-cpu", StringComparison.OrdinalIgnoreCase))
        {
            return new(StackRole.CpuBundle, null, null);
        }

        if (id.Equals("TorchSharp-cuda-linux", StringComparison.OrdinalIgnoreCase))
        {
            return new(StackRole.CudaBundle, "linux-x64", null);
        }

        if (id.Equals("TorchSharp-cuda-windows", StringComparison.OrdinalIgnoreCase))
        {
            return new(StackRole.CudaBundle, "win-x64", null);
        }

        if (id.Equals("TorchVision", StringComparison.OrdinalIgnoreCase))
        {
            return new(StackRole.TorchVision, null, null);
        }

        if (id.Equals("libtorch-cpu", StringComparison.OrdinalIgnoreCase))
        {
            return new(StackRole.LibTorchCpu, null, null);
        }

        if (CpuPlatform().Match(id) is { Success: true } cpu)
        {
            return new(StackRole.LibTorchCpuPlatform, cpu.Groups["rid"].Value.ToLowerInvariant(), null);
        }

        if (CudaPlatform().Match(id) is { Success: true } cuda)
        {
            return new(StackRole.LibTorchCudaPlatform, cuda.Groups["rid"].Value.ToLowerInvariant(), cuda.Groups["cuda"].Value);
        }

        return Spec.KnownDependencies.IsStackPackage(id) ? new(StackRole.Implied, null, null) : new(StackRole.None, null, null);
    }
}
