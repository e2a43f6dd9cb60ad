namespace TorchEnv.Core.Spec;

/// <summary>The runtime identifiers a spec may list, and conda's platform names mapped onto them.</summary>
internal static class KnownPlatforms
{
    /// <summary>RIDs TorchEnv knows; which of them a TorchSharp release builds for is the stack matrix's business.</summary>
    public static IReadOnlyList<string> All { get; } = ["linux-x64", "linux-arm64", "win-x64", "win-arm64", "osx-arm64", "osx-x64"];

    // conda's subdir names → RIDs (null: conda platform with no .NET / TorchSharp counterpart).
    private static readonly Dictionary<string, string?> CondaNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["linux-64"] = "linux-x64",
        ["linux-aarch64"] = "linux-arm64",
        ["win-64"] = "win-x64",
        ["osx-64"] = "osx-x64",
        ["win-32"] = null,
        ["linux-32"] = null,
        ["linux-ppc64le"] = null,
        ["linux-s390x"] = null,
        ["linux-armv7l"] = null,
        ["noarch"] = null,
    };

    /// <summary>True for a known RID (exact, lower case as RIDs are written).</summary>
    public static bool IsKnown(string rid) => All.Contains(rid, StringComparer.Ordinal);

    /// <summary>For a conda platform name: true and the RID it corresponds to (null when there is none).</summary>
    public static bool TryMapCondaName(string name, out string? rid) => CondaNames.TryGetValue(name, out rid);
}
