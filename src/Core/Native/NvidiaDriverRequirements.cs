using System.Globalization;

namespace TorchEnv.Core.Native;

/// <summary>
/// The minimum Linux NVIDIA driver for a CUDA toolkit version under CUDA's minor-version compatibility
/// (an application built with any 12.x runs on a driver of the 12.0 release family or newer).
/// </summary>
/// <remarks>
/// Source: NVIDIA, "CUDA Compatibility — Minor Version Compatibility" (docs.nvidia.com/deploy/cuda-compatibility/) and
/// the CUDA Toolkit Release Notes, table "CUDA Toolkit and Minimum Required Driver Version for CUDA Minor Version
/// Compatibility":
/// <list type="table">
/// <item><term>CUDA 11.x</term><description>≥ 450.80.02</description></item>
/// <item><term>CUDA 12.x</term><description>≥ 525.60.13</description></item>
/// <item><term>CUDA 13.x</term><description>≥ 580 (the table gives the branch only; 580.65.06 is the driver of CUDA 13.0 GA)</description></item>
/// </list>
/// Windows drivers are numbered differently; the same table gives their minimums (CUDA 11.x ≥ 452.39, 12.x ≥ 527.41),
/// see <see cref="MinimumWindowsDriver"/>.
/// </remarks>
public static class NvidiaDriverRequirements
{
    private static readonly IReadOnlyDictionary<int, string> LinuxMinimumByCudaMajor = new Dictionary<int, string>
    {
        [11] = "450.80.02",
        [12] = "525.60.13",
        [13] = "580.65.06",
    };

    private static readonly IReadOnlyDictionary<int, string> WindowsMinimumByCudaMajor = new Dictionary<int, string>
    {
        [11] = "452.39",
        [12] = "527.41",
    };

    /// <summary>The CUDA major versions the table knows, ascending.</summary>
    public static IReadOnlyList<int> KnownCudaMajors { get; } = LinuxMinimumByCudaMajor.Keys.Order().ToList();

    /// <summary>
    /// The minimum Linux driver for <paramref name="cudaVersion"/> (e.g. <c>12.8</c> → <c>525.60.13</c>), or null when
    /// the CUDA major version is not in the table or the text is not a version.
    /// </summary>
    public static string? MinimumLinuxDriver(string cudaVersion) => Lookup(LinuxMinimumByCudaMajor, cudaVersion);

    /// <summary>
    /// The minimum Windows driver for <paramref name="cudaVersion"/> (e.g. <c>12.8</c> → <c>527.41</c>), or null when
    /// the CUDA major version is not in the table or the text is not a version.
    /// </summary>
    public static string? MinimumWindowsDriver(string cudaVersion) => Lookup(WindowsMinimumByCudaMajor, cudaVersion);

    private static string? Lookup(IReadOnlyDictionary<int, string> table, string cudaVersion)
    {
        ArgumentNullException.ThrowIfNull(cudaVersion);
        var majorText = cudaVersion.Trim().Split('.')[0];
        return int.TryParse(majorText, NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            && table.TryGetValue(major, out var driver)
            ? driver
            : null;
    }
}
