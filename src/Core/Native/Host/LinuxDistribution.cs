using TorchEnv.Core.Lock;

namespace TorchEnv.Core.Native;

/// <summary>
/// A Linux distribution release as a container base: the newest glibc, <c>GLIBCXX_</c> and <c>CXXABI_</c> versions its
/// release packages define, and the packages .NET needs on it. Used to choose a base image that satisfies a lock's
/// <see cref="HostRequirements"/> and to name a concrete upgrade in diagnostics.
/// </summary>
/// <param name="Name">For people, e.g. <c>Ubuntu 24.04</c>.</param>
/// <param name="Codename">The tag suffix Microsoft's .NET images use, e.g. <c>noble</c>, <c>bookworm-slim</c>.</param>
/// <param name="CudaImageOs">The OS part of NVIDIA's <c>nvidia/cuda</c> tags (<c>ubuntu24.04</c>), null when NVIDIA publishes none.</param>
/// <param name="Glibc">Newest <c>GLIBC_</c> version of its libc6, e.g. <c>2.39</c>.</param>
/// <param name="Glibcxx">Newest <c>GLIBCXX_</c> version of its libstdc++6, e.g. <c>3.4.33</c>.</param>
/// <param name="Cxxabi">Newest <c>CXXABI_</c> version of its libstdc++6, e.g. <c>1.3.15</c>.</param>
/// <param name="DotnetDependencies">The packages a self-contained .NET app needs on it (what <c>runtime-deps</c> installs).</param>
public sealed record LinuxDistribution(
    string Name, string Codename, string? CudaImageOs, string Glibc, string Glibcxx, string Cxxabi, IReadOnlyList<string> DotnetDependencies)
{
    // Host versions without a number that glibc added in a known release.
    private static readonly IReadOnlyDictionary<string, string> UnnumberedGlibc = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["GLIBC_ABI_DT_RELR"] = "2.36",
    };

    /// <summary>
    /// What this distribution lacks of <paramref name="requirements"/>, one line each (e.g. <c>GLIBCXX 3.4.32 (has 3.4.30)</c>);
    /// empty when it provides everything. Judged: the newest glibc, GLIBCXX and CXXABI needed, and glibc's unnumbered
    /// <c>GLIBC_ABI_DT_RELR</c> (glibc 2.36). <c>GCC_</c> versions of libgcc_s are not judged: every release here has a
    /// libgcc_s of GCC 12 or newer, far beyond what native libraries ask for.
    /// </summary>
    public IReadOnlyList<string> Lacks(HostRequirements requirements)
    {
        ArgumentNullException.ThrowIfNull(requirements);
        var lacks = new List<string>();
        Compare("GLIBC", requirements.Glibc, Glibc, lacks);
        Compare("GLIBCXX", requirements.Glibcxx, Glibcxx, lacks);
        Compare("CXXABI", requirements.Cxxabi, Cxxabi, lacks);
        foreach (var need in requirements.Needs.Select(n => n.Version).Distinct(StringComparer.Ordinal))
        {
            if (UnnumberedGlibc.TryGetValue(need, out var since) && SymbolVersion.Compare("GLIBC_" + Glibc, "GLIBC_" + since) < 0)
            {
                lacks.Add($"{need} (glibc {since}; has {Glibc})");
            }
        }

        return lacks;
    }

    /// <summary>True when this distribution defines every version in <paramref name="versions"/> of the judged families.</summary>
    public bool Provides(IEnumerable<string> versions) => versions
        .Select(SymbolVersion.Parse)
        .Where(v => v.Family is "GLIBC" or "GLIBCXX" or "CXXABI")
        .All(v => SymbolVersion.Parse($"{v.Family}_{Newest(v.Family!)}").CompareTo(v) >= 0);

    /// <summary>A one-line description of its ABI, e.g. <c>Ubuntu 24.04 (glibc 2.39, GLIBCXX 3.4.33, CXXABI 1.3.15)</c>.</summary>
    public string Describe() => $"{Name} (glibc {Glibc}, GLIBCXX {Glibcxx}, CXXABI {Cxxabi})";

    private string Newest(string family) => family switch
    {
        "GLIBC" => Glibc,
        "GLIBCXX" => Glibcxx,
        _ => Cxxabi,
    };

    private static void Compare(string family, string? needed, string has, List<string> lacks)
    {
        if (needed is not null && SymbolVersion.Compare($"{family}_{has}", $"{family}_{needed}") < 0)
        {
            lacks.Add($"{family} {needed} (has {has})");
        }
    }
}
