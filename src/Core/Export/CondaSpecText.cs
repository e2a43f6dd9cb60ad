using NuGet.Versioning;

namespace TorchEnv.Core.Export;

/// <summary>NuGet version text as written in a project, turned into the version part of a conda match spec.</summary>
internal static class CondaSpecText
{
    /// <summary>
    /// The conda version part for NuGet version text (<c>0.107.0</c> → <c>&gt;=0.107.0</c>, NuGet's "at least";
    /// <c>[0.107.0]</c> → <c>==0.107.0</c>; <c>0.107.*</c> → <c>=0.107.*</c>; <c>[1.0,2.0)</c> → <c>&gt;=1.0.0,&lt;2.0.0</c>);
    /// empty for "any version"; null when the text is not a NuGet version range.
    /// </summary>
    public static string? FromNuGetRange(string text)
    {
        var trimmed = text.Trim();
        if (trimmed is "*" or "")
        {
            return "";
        }

        if (trimmed.EndsWith(".*", StringComparison.Ordinal) && !trimmed.Contains('[') && !trimmed.Contains('(')
            && NuGetVersion.TryParse(trimmed[..^2], out _))
        {
            return "=" + trimmed;
        }

        if (!VersionRange.TryParse(trimmed, out var range) || range.IsFloating)
        {
            return null;
        }

        if (range.HasLowerAndUpperBounds && range.MinVersion == range.MaxVersion && range.IsMinInclusive && range.IsMaxInclusive)
        {
            return "==" + range.MinVersion!.ToNormalizedString();
        }

        var clauses = new List<string>();
        if (range.HasLowerBound)
        {
            clauses.Add((range.IsMinInclusive ? ">=" : ">") + range.MinVersion!.ToNormalizedString());
        }

        if (range.HasUpperBound)
        {
            clauses.Add((range.IsMaxInclusive ? "<=" : "<") + range.MaxVersion!.ToNormalizedString());
        }

        return string.Join(',', clauses);
    }

    /// <summary>The version part pinning exactly <paramref name="version"/>: <c>==0.107.0</c>.</summary>
    public static string Exact(NuGetVersion version) => "==" + version.ToNormalizedString();

    /// <summary>
    /// What restore would pick for declared text when nothing was restored: a plain version (NuGet's lowest applicable
    /// version) or an exact range as <c>==v</c>; null for ranges and floating versions, which only a restore can pin.
    /// </summary>
    public static string? PinnedByDeclaration(string text)
    {
        var trimmed = text.Trim();
        if (NuGetVersion.TryParse(trimmed, out var plain))
        {
            return Exact(plain);
        }

        return VersionRange.TryParse(trimmed, out var range) && !range.IsFloating && range.HasLowerAndUpperBounds
            && range.MinVersion == range.MaxVersion && range.IsMinInclusive && range.IsMaxInclusive
            ? Exact(range.MinVersion!)
            : null;
    }
}
