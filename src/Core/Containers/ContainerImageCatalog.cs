using TorchEnv.Core.Native;

namespace TorchEnv.Core.Containers;

/// <summary>An NVIDIA CUDA base image: <c>nvidia/cuda:&lt;tag version&gt;-base-&lt;os&gt;</c>.</summary>
/// <param name="Cuda">CUDA major.minor, as in the libtorch-cuda package ids (<c>12.8</c>).</param>
/// <param name="TagVersion">The newest CUDA update NVIDIA publishes images of for that minor (<c>12.8.1</c>).</param>
/// <param name="Distribution">The image's OS.</param>
public sealed record CudaImage(string Cuda, string TagVersion, LinuxDistribution Distribution)
{
    /// <summary>
    /// The image reference. The <c>base</c> flavour: the libtorch-cuda packages bundle the CUDA runtime, cuBLAS and cuDNN
    /// themselves, so the image only has to carry NVIDIA's container-toolkit settings; the driver comes from the host.
    /// </summary>
    public string Reference => $"nvidia/cuda:{TagVersion}-base-{Distribution.CudaImageOs}";
}

/// <summary>
/// Which container images exist for what: Microsoft's .NET images per .NET major and OS, NVIDIA's CUDA images per CUDA
/// minor and OS. Sources: dotnet/dotnet-docker (README.sdk.md tag listing for 8.0/9.0; the .NET 10 announcement,
/// dotnet/dotnet-docker#6539 / #6860: Ubuntu 24.04 is the default and Debian images are not shipped for .NET 10), and
/// NVIDIA's container-images/cuda supported-tags list (a CUDA minor is kept at its last update, e.g. 12.8.1).
/// </summary>
public static class ContainerImageCatalog
{
    private const string DotnetRegistry = "mcr.microsoft.com/dotnet";

    /// <summary>NVIDIA CUDA images, oldest OS first within a CUDA version.</summary>
    public static IReadOnlyList<CudaImage> CudaImages { get; } =
    [
        new("11.7", "11.7.1", LinuxDistributions.Ubuntu2204),
        new("12.1", "12.1.1", LinuxDistributions.Ubuntu2204),
        new("12.8", "12.8.1", LinuxDistributions.Ubuntu2204),
        new("12.8", "12.8.1", LinuxDistributions.Ubuntu2404),
    ];

    /// <summary>
    /// The distributions Microsoft publishes .NET images for, for a .NET major, in TorchEnv's order of preference (the
    /// default tag's distribution first, then by age). Majors after 10 are assumed to keep Ubuntu 24.04; empty before 8.
    /// </summary>
    public static IReadOnlyList<LinuxDistribution> DotnetDistributions(int major) => major switch
    {
        8 => [LinuxDistributions.Debian12, LinuxDistributions.Ubuntu2204, LinuxDistributions.Ubuntu2404, LinuxDistributions.Debian13],
        9 => [LinuxDistributions.Debian12, LinuxDistributions.Ubuntu2404, LinuxDistributions.Debian13],
        >= 10 => [LinuxDistributions.Ubuntu2404],
        _ => [],
    };

    /// <summary>The CUDA images of a CUDA version (major.minor), oldest OS first; empty when none is known.</summary>
    public static IReadOnlyList<CudaImage> CudaImagesFor(string cuda) =>
        CudaImages.Where(i => string.Equals(i.Cuda, cuda, StringComparison.Ordinal)).ToList();

    /// <summary>The SDK image of an SDK version on a distribution (<c>mcr.microsoft.com/dotnet/sdk:10.0.401-noble</c>).</summary>
    public static string SdkImage(string version, LinuxDistribution distribution) => $"{DotnetRegistry}/sdk:{version}-{distribution.Codename}";

    /// <summary>The runtime-deps image (OS plus .NET's native dependencies, no runtime) for a runtime version or major.minor.</summary>
    public static string RuntimeDepsImage(string version, LinuxDistribution distribution) => $"{DotnetRegistry}/runtime-deps:{version}-{distribution.Codename}";
}
