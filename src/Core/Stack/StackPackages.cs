namespace TorchEnv.Core.Stack;

/// <summary>The NuGet ids of the TorchSharp stack, with NuGet's casing (TorchSharp's <c>pkg/</c> folder).</summary>
internal static class StackPackages
{
    public const string TorchSharp = "TorchSharp";

    public const string TorchVision = "TorchVision";

    /// <summary><c>libtorch-cpu-linux-x64</c>: the CPU libtorch for one platform (the <c>libtorch-cpu</c> meta package pulls every platform).</summary>
    public static string LibTorchCpu(string rid) => $"libtorch-cpu-{rid}";

    /// <summary><c>libtorch-cuda-12.8-linux-x64</c>: the head package of the CUDA libtorch; it depends on its part packages.</summary>
    public static string LibTorchCuda(string cuda, string rid) => $"libtorch-cuda-{cuda}-{rid}";

    /// <summary>TorchSharp's CUDA bundle for a platform (<c>TorchSharp-cuda-linux</c>, <c>TorchSharp-cuda-windows</c>), or null.</summary>
    public static string? TorchSharpCuda(string rid) =>
        rid.StartsWith("linux-", StringComparison.Ordinal) ? "TorchSharp-cuda-linux"
        : rid.StartsWith("win-", StringComparison.Ordinal) ? "TorchSharp-cuda-windows"
        : null;

    /// <summary>The libtorch package that carries the natives for the platform: <c>libtorch-cpu-&lt;rid&gt;</c> or the CUDA head package.</summary>
    public static bool IsLibTorch(string id, string platform) =>
        string.Equals(id, LibTorchCpu(platform), StringComparison.OrdinalIgnoreCase)
        || (id.StartsWith("libtorch-cuda-", StringComparison.OrdinalIgnoreCase) && id.EndsWith("-" + platform, StringComparison.OrdinalIgnoreCase));
}
