using System.Globalization;
using System.Text.RegularExpressions;

namespace TorchEnv.Core.Stack;

/// <summary>A GPU's CUDA compute capability, e.g. <c>8.0</c> (A100) or <c>6.1</c> (GTX 1080, Tesla P40).</summary>
/// <param name="Major">The architecture generation (7 Volta/Turing, 8 Ampere/Ada, 9 Hopper, 10 and 12 Blackwell).</param>
/// <param name="Minor">The revision within it.</param>
public readonly partial record struct ComputeCapability(int Major, int Minor) : IComparable<ComputeCapability>
{
    [GeneratedRegex(@"^\s*(?:sm_)?(?<major>\d{1,2})\.?(?<minor>\d)\s*$")]
    private static partial Regex Text();

    /// <summary>Reads <c>8.0</c> (as <c>nvidia-smi --query-gpu=compute_cap</c> prints it) or <c>sm_80</c>; null otherwise.</summary>
    public static ComputeCapability? TryParse(string? text) =>
        text is not null && Text().Match(text) is { Success: true } m
            ? new ComputeCapability(int.Parse(m.Groups["major"].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups["minor"].Value, CultureInfo.InvariantCulture))
            : null;

    /// <summary>The architecture name nvcc builds kernels for, e.g. <c>sm_80</c>.</summary>
    public string Sm => string.Create(CultureInfo.InvariantCulture, $"sm_{Major}{Minor}");

    /// <inheritdoc />
    public int CompareTo(ComputeCapability other) => Major != other.Major ? Major.CompareTo(other.Major) : Minor.CompareTo(other.Minor);

    /// <summary><c>8.0</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}");
}

/// <summary>
/// The GPU architectures a CUDA build of libtorch carries kernels for, as nvcc names them: <c>sm_XY</c> for compiled
/// kernels (cubins) and <c>compute_XY</c> for PTX the driver can compile at load time. Which GPUs such a build runs on
/// follows CUDA's compatibility rules (CUDA C Programming Guide, "Binary Compatibility" and "PTX Compatibility"): a cubin
/// for <c>X.y</c> runs on a GPU <c>X.z</c> with <c>z ≥ y</c> (same major only); PTX for <c>X.y</c> runs on any GPU of
/// compute capability <c>X.y</c> or higher. Anything else fails at the first kernel with "no kernel image is available
/// for execution on the device".
/// </summary>
public static partial class CudaArchitectures
{
    [GeneratedRegex(@"^(?<kind>sm|compute)_(?<major>\d{1,2})(?<minor>\d)$")]
    private static partial Regex Name();

    /// <summary>True for an architecture name of the form <c>sm_80</c> or <c>compute_120</c>.</summary>
    public static bool IsName(string name) => Name().IsMatch(name);

    /// <summary>
    /// True when a build carrying <paramref name="architectures"/> has a kernel image for a GPU of compute capability
    /// <paramref name="gpu"/>: a cubin of the same major and no higher minor, or PTX of no higher capability.
    /// </summary>
    public static bool Supports(IEnumerable<string> architectures, ComputeCapability gpu)
    {
        ArgumentNullException.ThrowIfNull(architectures);
        foreach (var name in architectures)
        {
            if (Name().Match(name) is not { Success: true } m)
            {
                continue;
            }

            var built = new ComputeCapability(int.Parse(m.Groups["major"].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups["minor"].Value, CultureInfo.InvariantCulture));
            var ptx = m.Groups["kind"].Value == "compute";
            if (ptx ? built.CompareTo(gpu) <= 0 : built.Major == gpu.Major && built.Minor <= gpu.Minor)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The list for people and for the lock: the names in ascending capability, cubins before PTX, space separated.</summary>
    public static string Format(IEnumerable<string> architectures) =>
        string.Join(' ', architectures.Where(IsName).Distinct(StringComparer.Ordinal).OrderBy(Key));

    /// <summary>Reads <see cref="Format"/>'s text; null when a word is not an architecture name.</summary>
    public static IReadOnlyList<string>? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var names = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return names.Length > 0 && names.All(IsName) ? names : null;
    }

    private static (int Kind, int Capability) Key(string name)
    {
        var m = Name().Match(name);
        return (m.Groups["kind"].Value == "sm" ? 0 : 1,
            int.Parse(m.Groups["major"].Value, CultureInfo.InvariantCulture) * 10 + int.Parse(m.Groups["minor"].Value, CultureInfo.InvariantCulture));
    }
}
