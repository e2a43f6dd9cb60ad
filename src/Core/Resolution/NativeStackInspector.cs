using System.Globalization;
using System.Text.RegularExpressions;

namespace TorchEnv.Core.Resolution;

/// <summary>The files of one locked package (paths inside the .nupkg, forward slashes).</summary>
/// <param name="Id">Package id.</param>
/// <param name="Version">Normalised version.</param>
/// <param name="Files">Paths inside the package.</param>
internal sealed record PackageFiles(string Id, string Version, IReadOnlyList<string> Files);

/// <summary>The native stack as the package files show it.</summary>
/// <param name="Cuda">CUDA version from the <c>libtorch-cuda-&lt;x.y&gt;-&lt;rid&gt;</c> package id, null when there is none.</param>
/// <param name="CudaPackage">That package's id.</param>
/// <param name="CudartMajor">Major of the bundled CUDA runtime (<c>libcudart*.so.12</c>, <c>cudart64_12.dll</c>), null when none.</param>
/// <param name="CudartFile">The file it was read from (<c>package/path</c>).</param>
/// <param name="CudnnMajor">Major of the bundled cuDNN (<c>libcudnn*.so.9</c>, <c>cudnn*64_9.dll</c>), null when none.</param>
/// <param name="CudnnFile">The first file it was read from (<c>package/path</c>).</param>
/// <param name="CudnnMajors">Every cuDNN major seen (more than one means inconsistent packages).</param>
internal sealed record FoundNativeStack(
    string? Cuda, string? CudaPackage, int? CudartMajor, string? CudartFile, int? CudnnMajor, string? CudnnFile, IReadOnlyList<int> CudnnMajors);

/// <summary>
/// Reads the CUDA and cuDNN versions from what the locked packages contain — package ids and native file names,
/// including the CUDA part packages and their <c>fragments/</c> — rather than from what the spec asked for.
/// </summary>
internal static partial class NativeStackInspector
{
    [GeneratedRegex(@"^libtorch-cuda-(?<cuda>\d+\.\d+)-(?<rid>[a-z]+-[a-z0-9]+)$", RegexOptions.IgnoreCase)]
    private static partial Regex CudaHeadPackage();

    [GeneratedRegex(@"^(?:libcudnn[a-z0-9_]*\.so\.(?<major>\d+)|cudnn[a-z0-9_]*64_(?<major>\d+)\.dll)$", RegexOptions.IgnoreCase)]
    private static partial Regex CudnnFile();

    // CUDA 12: libcudart-<hash>.so.12, cudart64_12.dll; CUDA 11.x: libcudart-<hash>.so.11.0, cudart64_110.dll (Windows: major and minor run together, handled below).
    [GeneratedRegex(@"^(?:libcudart(?:-[0-9a-f]+)?\.so\.(?<major>\d+)(?:\.\d+)*|cudart64_(?<major>\d+)\.dll)$", RegexOptions.IgnoreCase)]
    private static partial Regex CudartFile();

    [GeneratedRegex(@"\.fragment\d+$", RegexOptions.IgnoreCase)]
    private static partial Regex FragmentSuffix();

    public static FoundNativeStack Inspect(IReadOnlyList<PackageFiles> packages)
    {
        string? cuda = null, cudaPackage = null, cudartFile = null, cudnnFile = null;
        int? cudart = null, cudnn = null;
        var cudnnMajors = new SortedSet<int>();
        foreach (var package in packages.OrderBy(p => p.Id, StringComparer.OrdinalIgnoreCase))
        {
            var head = CudaHeadPackage().Match(package.Id);
            if (head.Success && cuda is null)
            {
                cuda = head.Groups["cuda"].Value;
                cudaPackage = package.Id;
            }

            foreach (var path in package.Files.Order(StringComparer.Ordinal))
            {
                var name = FragmentSuffix().Replace(path[(path.LastIndexOf('/') + 1)..], "");
                if (CudnnFile().Match(name) is { Success: true } cudnnMatch)
                {
                    var major = int.Parse(cudnnMatch.Groups["major"].Value, CultureInfo.InvariantCulture);
                    cudnnMajors.Add(major);
                    if (cudnn is null)
                    {
                        cudnn = major;
                        cudnnFile = package.Id + "/" + path;
                    }
                }

                if (cudart is null && CudartFile().Match(name) is { Success: true } cudartMatch)
                {
                    var number = int.Parse(cudartMatch.Groups["major"].Value, CultureInfo.InvariantCulture);
                    cudart = number >= 100 ? number / 10 : number; // CUDA 11 on Windows: cudart64_110.dll
                    cudartFile = package.Id + "/" + path;
                }
            }
        }

        return new FoundNativeStack(cuda, cudaPackage, cudart, cudartFile, cudnnMajors.Count > 0 ? cudnnMajors.Max : cudnn, cudnnFile, cudnnMajors.ToList());
    }
}
