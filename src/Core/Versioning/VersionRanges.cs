using NuGet.Versioning;

namespace TorchEnv.Core.Versioning;

/// <summary>Small operations on NuGet version ranges that NuGet.Versioning does not offer directly.</summary>
internal static class VersionRanges
{
    /// <summary>True when the version is allowed by the range (floating ranges also by their float pattern).</summary>
    public static bool Allows(VersionRange range, NuGetVersion version) =>
        range.Satisfies(version) && (!range.IsFloating || range.Float.Satisfies(version));

    /// <summary>The exact range <c>[v]</c>.</summary>
    public static VersionRange Exact(NuGetVersion version) => new(version, true, version, true);

    /// <summary>
    /// The versions both ranges allow, or null when none. (NuGet's <c>VersionRange.CommonSubSet</c> returns an
    /// "empty" range object rather than saying so, and ignores inclusiveness at equal bounds.)
    /// </summary>
    public static VersionRange? Intersect(VersionRange a, VersionRange b)
    {
        var comparer = VersionComparer.Default;
        var (min, minInclusive) = (a.MinVersion, a.IsMinInclusive);
        if (b.MinVersion is not null)
        {
            var order = min is null ? -1 : comparer.Compare(min, b.MinVersion);
            if (order < 0)
            {
                (min, minInclusive) = (b.MinVersion, b.IsMinInclusive);
            }
            else if (order == 0)
            {
                minInclusive &= b.IsMinInclusive;
            }
        }

        var (max, maxInclusive) = (a.MaxVersion, a.IsMaxInclusive);
        if (b.MaxVersion is not null)
        {
            var order = max is null ? 1 : comparer.Compare(max, b.MaxVersion);
            if (order > 0)
            {
                (max, maxInclusive) = (b.MaxVersion, b.IsMaxInclusive);
            }
            else if (order == 0)
            {
                maxInclusive &= b.IsMaxInclusive;
            }
        }

        if (min is not null && max is not null)
        {
            var order = comparer.Compare(min, max);
            if (order > 0 || (order == 0 && !(minInclusive && maxInclusive)))
            {
                return null;
            }
        }

        return new VersionRange(min, minInclusive, max, maxInclusive);
    }

    /// <summary>True when the range allows exactly one version.</summary>
    public static bool IsExact(VersionRange range) =>
        range is { HasLowerAndUpperBounds: true, IsMinInclusive: true, IsMaxInclusive: true }
        && VersionComparer.Default.Equals(range.MinVersion!, range.MaxVersion!);

    /// <summary>The highest version a range allows when it has an inclusive upper bound, else its lower bound (or null).</summary>
    public static NuGetVersion? HighestNamed(VersionRange range) =>
        range.HasUpperBound && range.IsMaxInclusive ? range.MaxVersion : range.MinVersion;
}
