using System.Globalization;

namespace TorchEnv.Core.Native;

/// <summary>
/// A symbol version name such as <c>GLIBC_2.34</c>, <c>GLIBCXX_3.4.32</c> or <c>CXXABI_1.3.13</c>, split into its
/// family (<c>GLIBC</c>) and numeric parts (2, 34) so that versions compare as numbers: <c>GLIBC_2.34</c> is newer
/// than <c>GLIBC_2.4</c>. Names without a numeric tail (<c>GLIBC_PRIVATE</c>, <c>GLIBC_ABI_DT_RELR</c>) have no
/// numbers and never compare as newer or older.
/// </summary>
public sealed class SymbolVersion : IComparable<SymbolVersion>, IEquatable<SymbolVersion>
{
    private readonly int[] _numbers;

    private SymbolVersion(string name, string? family, int[] numbers)
    {
        Name = name;
        Family = family;
        _numbers = numbers;
    }

    /// <summary>The full name, e.g. <c>GLIBCXX_3.4.32</c>.</summary>
    public string Name { get; }

    /// <summary>The family, e.g. <c>GLIBCXX</c>; null when the name has no numeric tail.</summary>
    public string? Family { get; }

    /// <summary>The numeric parts, e.g. [3, 4, 32]; empty when the name has no numeric tail.</summary>
    public IReadOnlyList<int> Numbers => _numbers;

    /// <summary>The numeric tail as written, e.g. <c>3.4.32</c>; null when there is none.</summary>
    public string? Number => Family is null ? null : Name[(Family.Length + 1)..];

    /// <summary>
    /// The host family a version name belongs to (<c>GLIBC</c>, <c>GLIBCXX</c>, <c>CXXABI</c>, <c>GCC</c>), by prefix,
    /// including names without numbers such as <c>GLIBC_ABI_DT_RELR</c>; null for versions of other libraries
    /// (those come with the packages, not with the host).
    /// </summary>
    public string? HostFamily => HostFamilyOf(Name);

    /// <summary>Parses any version name; never fails.</summary>
    public static SymbolVersion Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var underscore = name.LastIndexOf('_');
        if (underscore > 0 && underscore < name.Length - 1)
        {
            var parts = name[(underscore + 1)..].Split('.');
            var numbers = new int[parts.Length];
            var ok = true;
            for (var i = 0; i < parts.Length && ok; i++)
            {
                ok = parts[i].Length > 0 && parts[i].All(char.IsAsciiDigit)
                    && int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]);
            }

            if (ok)
            {
                return new SymbolVersion(name, name[..underscore], numbers);
            }
        }

        return new SymbolVersion(name, null, []);
    }

    /// <summary>See <see cref="HostFamily"/>.</summary>
    public static string? HostFamilyOf(string name)
    {
        foreach (var family in HostFamilies)
        {
            if (name.StartsWith(family, StringComparison.Ordinal) && name.Length > family.Length && name[family.Length] == '_')
            {
                return family;
            }
        }

        return null;
    }

    /// <summary>The families of version names the host provides (glibc, libstdc++, libgcc_s), in report order.</summary>
    public static IReadOnlyList<string> HostFamilies { get; } = ["GLIBC", "GLIBCXX", "CXXABI", "GCC"];

    /// <summary>
    /// Orders by family (ordinal), then numerically (<c>2.4</c> &lt; <c>2.34</c>, <c>3.4</c> &lt; <c>3.4.1</c>);
    /// names without numbers sort after numbered ones, by name.
    /// </summary>
    public int CompareTo(SymbolVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        if (Family is null || other.Family is null)
        {
            return Family is null && other.Family is null ? string.CompareOrdinal(Name, other.Name) : Family is null ? 1 : -1;
        }

        var family = string.CompareOrdinal(Family, other.Family);
        if (family != 0)
        {
            return family;
        }

        for (var i = 0; i < Math.Max(_numbers.Length, other._numbers.Length); i++)
        {
            var a = i < _numbers.Length ? _numbers[i] : -1;
            var b = i < other._numbers.Length ? other._numbers[i] : -1;
            if (a != b)
            {
                return a.CompareTo(b);
            }
        }

        return 0;
    }

    /// <summary>Compares two version names, see <see cref="CompareTo"/>.</summary>
    public static int Compare(string a, string b) => Parse(a).CompareTo(Parse(b));

    /// <summary>The newest of the names in <paramref name="family"/> (numbered names only), or null.</summary>
    public static SymbolVersion? Max(IEnumerable<string> names, string family) =>
        names.Select(Parse).Where(v => v.Family == family).Max();

    /// <inheritdoc />
    public bool Equals(SymbolVersion? other) => other is not null && Name == other.Name;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SymbolVersion);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Name);

    /// <inheritdoc />
    public override string ToString() => Name;
}
