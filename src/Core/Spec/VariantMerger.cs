namespace TorchEnv.Core.Spec;

/// <summary>
/// Computes a variant's effective dependencies: the spec's top-level list, with the variant's entries replacing
/// entries of the same name (NuGet entries by id) in place and new ones appended. <c>cpu</c> and <c>cuda</c> fill one
/// slot (the device), so a <c>cpu</c> variant overrides a top-level <c>cuda=12.8</c>.
/// </summary>
internal static class VariantMerger
{
    /// <summary>True when two entries name the same thing (with <paramref name="deviceSlot"/>, cpu and cuda count as one).</summary>
    public static bool SameEntry(DependencySpec a, DependencySpec b, bool deviceSlot)
    {
        if (a.Kind == DependencyKind.NuGet || b.Kind == DependencyKind.NuGet)
        {
            return a.Kind == b.Kind && string.Equals(a.Name, b.Name, StringComparison.OrdinalIgnoreCase);
        }

        return a.Kind == b.Kind || (deviceSlot && IsDevice(a.Kind) && IsDevice(b.Kind));
    }

    /// <summary>
    /// Merges <paramref name="own"/> (the variant's list) over <paramref name="inherited"/> (the spec's list). When
    /// the result is a CPU variant, an inherited <c>cudnn</c> is dropped: it only applies to the CUDA build.
    /// </summary>
    public static List<DependencySpec> Merge(IReadOnlyList<DependencySpec> inherited, IReadOnlyList<DependencySpec> own)
    {
        var result = inherited.ToList();
        foreach (var dependency in own)
        {
            var index = result.FindIndex(d => SameEntry(d, dependency, deviceSlot: true));
            if (index >= 0)
            {
                result[index] = dependency;
            }
            else
            {
                result.Add(dependency);
            }
        }

        if (!result.Any(d => d.Kind == DependencyKind.Cuda))
        {
            result.RemoveAll(d => d.Kind == DependencyKind.Cudnn && !own.Contains(d));
        }

        return result;
    }

    private static bool IsDevice(DependencyKind kind) => kind is DependencyKind.Cpu or DependencyKind.Cuda;
}
