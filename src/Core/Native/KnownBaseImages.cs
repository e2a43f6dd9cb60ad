namespace TorchEnv.Core.Native;

/// <summary>
/// Common Linux base images with the newest glibc and libstdc++ versions they ship, to name a concrete fix in
/// diagnostics ("use Ubuntu 24.04"). Versions are those of the distributions' release packages (glibc, GCC's libstdc++6).
/// </summary>
internal static class KnownBaseImages
{
    private sealed record Image(string Name, string Glibc, string Glibcxx, string Cxxabi);

    // Oldest first, so the first match is the least disruptive upgrade.
    private static readonly Image[] Images =
    [
        new("Ubuntu 22.04", "2.35", "3.4.30", "1.3.13"),
        new("Debian 12", "2.36", "3.4.30", "1.3.13"),
        new("Ubuntu 24.04", "2.39", "3.4.33", "1.3.15"),
        new("Debian 13", "2.41", "3.4.33", "1.3.15"),
    ];

    /// <summary>
    /// The images that define every numbered <c>GLIBC_</c>/<c>GLIBCXX_</c>/<c>CXXABI_</c> version in
    /// <paramref name="versions"/> (other names are not judged), oldest first; at most two.
    /// </summary>
    public static IReadOnlyList<string> Providing(IEnumerable<string> versions)
    {
        var needed = versions.Select(SymbolVersion.Parse).Where(v => v.Family is "GLIBC" or "GLIBCXX" or "CXXABI").ToList();
        return Images
            .Where(image => needed.All(v => SymbolVersion.Parse($"{v.Family}_{Newest(image, v.Family!)}").CompareTo(v) >= 0))
            .Select(image => image.Name)
            .Take(2)
            .ToList();
    }

    private static string Newest(Image image, string family) => family switch
    {
        "GLIBC" => image.Glibc,
        "GLIBCXX" => image.Glibcxx,
        _ => image.Cxxabi,
    };
}
