namespace TorchEnv.Core.Spec.MatchSpecs;

/// <summary>
/// Splits a conda match spec (<c>torchsharp=0.107.*</c>, <c>cuda 12.8</c>, <c>Spectre.Console&gt;=0.57,&lt;1</c>) into the
/// package name and the version part, and maps the version part through <see cref="CondaVersionSpec"/>.
/// </summary>
internal static class CondaMatchSpec
{
    /// <summary>Parses <paramref name="text"/>; <paramref name="fullParts"/> is given by the caller once it knows the name.</summary>
    public static ParsedMatchSpec Parse(string text, Func<string, int> fullParts)
    {
        var nameEnd = 0;
        while (nameEnd < text.Length && IsNameCharacter(text[nameEnd]))
        {
            nameEnd++;
        }

        if (nameEnd == 0)
        {
            return new ParsedMatchSpec("", 0, MatchSpecResult.Failure(new MatchSpecError(MatchSpecErrorKind.Syntax, 0, text)));
        }

        var name = text[..nameEnd];
        if (string.CompareOrdinal(text, nameEnd, "::", 0, 2) == 0)
        {
            return new ParsedMatchSpec(name, nameEnd, MatchSpecResult.Failure(new MatchSpecError(MatchSpecErrorKind.ChannelPrefix, 0, name + "::")));
        }

        if (nameEnd < text.Length && text[nameEnd] == '[')
        {
            return new ParsedMatchSpec(name, nameEnd, MatchSpecResult.Failure(new MatchSpecError(MatchSpecErrorKind.BracketForm, nameEnd, text[nameEnd..])));
        }

        return new ParsedMatchSpec(name, nameEnd, CondaVersionSpec.Parse(text, nameEnd, fullParts(name)));
    }

    // NuGet ids and conda names: letters, digits, '.', '_', '-'.
    private static bool IsNameCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-';
}

/// <summary>A match spec split into name and version part.</summary>
/// <param name="Name">The name as written.</param>
/// <param name="VersionOffset">Offset where the version part starts.</param>
/// <param name="Version">The mapped version part (or the error).</param>
internal sealed record ParsedMatchSpec(string Name, int VersionOffset, MatchSpecResult Version);
