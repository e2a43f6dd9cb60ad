using TorchEnv.Core.Lock;

namespace TorchEnv.Core.Native;

/// <summary>
/// The folder under the program's output into which TorchSharp's fallback loader copies the natives of the NuGet cache
/// when the regular load fails: <c>cuda-&lt;version&gt;/</c> for a CUDA stack, <c>cpu/</c> otherwise (TorchSharp 0.107.0,
/// <c>LoadNativeBackend</c>). It copies a file only when none of that name is there yet, so a patched
/// <c>libLibTorchSharp.so</c> put there by the build is the one that loads from that folder.
/// </summary>
public static class TorchSharpFallbackFolder
{
    /// <summary>The folder's name, relative to the output, with a trailing '/': <c>cuda-12.8/</c> or <c>cpu/</c>.</summary>
    public static string For(LockedStack stack) => stack.Cuda is { } cuda ? $"cuda-{cuda}/" : "cpu/";
}
