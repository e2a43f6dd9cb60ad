using NuGet.Versioning;
using TorchEnv.Core.Versioning;

namespace TorchEnv.Core.Spec.MatchSpecs;

/// <summary>
/// Maps the version part of a conda match spec onto a NuGet <see cref="VersionRange"/>:
/// <list type="table">
/// <item><term><c>=1.2</c>, <c>=1.2.*</c>, <c> 1.2.*</c></term><description><c>[1.2.0, 1.3.0)</c> (conda's fuzzy match)</description></item>
/// <item><term><c>=1.2.3</c>, <c>==1.2.3</c>, <c> 1.2.3</c></term><description><c>[1.2.3]</c> (every part given: exact)</description></item>
/// <item><term><c>&gt;=1.2,&lt;2</c></term><description><c>[1.2.0, 2.0.0)</c>; also <c>&gt;</c>, <c>&lt;=</c>, <c>&lt;</c></description></item>
/// <item><term><c>~=1.2</c></term><description><c>[1.2.0, 2.0.0)</c> (compatible release)</description></item>
/// </list>
/// "Every part" is three for NuGet packages and the .NET SDK, two for CUDA (<c>cuda=12.8</c> is exact).
/// <c>!=</c>, <c>|</c> and build strings have no NuGet equivalent and are errors.
/// </summary>
internal static class CondaVersionSpec
{
    private static readonly string[] Operators = ["==", "!=", ">=", "<=", "~=", ">", "<", "="];

    /// <summary>
    /// Parses <c>text[start..]</c> (what follows the package name). <paramref name="fullParts"/> is how many version
    /// parts make a version exact for this package (3, or 2 for CUDA).
    /// </summary>
    public static MatchSpecResult Parse(string text, int start, int fullParts)
    {
        var first = start;
        while (first < text.Length && char.IsWhiteSpace(text[first]))
        {
            first++;
        }

        if (first >= text.Length)
        {
            return MatchSpecResult.Success(VersionRange.All, versionText: null);
        }

        var bar = text.IndexOf('|', first);
        if (bar >= 0)
        {
            return MatchSpecResult.Failure(new MatchSpecError(MatchSpecErrorKind.Or, bar, text[first..].Trim()));
        }

        var spaceSeparated = first > start;
        VersionRange range = VersionRange.All;
        var clauseStart = first;
        while (true)
        {
            var comma = text.IndexOf(',', clauseStart);
            var clauseEnd = comma < 0 ? text.Length : comma;
            var clause = ParseClause(text, clauseStart, clauseEnd, fullParts, allowBare: spaceSeparated || clauseStart > first);
            if (clause.Error is not null)
            {
                return clause;
            }

            var combined = VersionRanges.Intersect(range, clause.Range!);
            if (combined is null)
            {
                return MatchSpecResult.Failure(new MatchSpecError(MatchSpecErrorKind.EmptyRange, first, text[first..].Trim()));
            }

            range = combined;
            if (comma < 0)
            {
                break;
            }

            clauseStart = comma + 1;
        }

        var written = text[first..].Trim();
        // "=0.107.*" is written as the fuzzy operator plus a version; keep just the version, as conda users read it.
        if (written.StartsWith('=') && !written.StartsWith("==", StringComparison.Ordinal) && !written.Contains(','))
        {
            written = written[1..];
        }

        return MatchSpecResult.Success(range, written);
    }

    private static MatchSpecResult ParseClause(string text, int start, int end, int fullParts, bool allowBare)
    {
        var at = start;
        while (at < end && char.IsWhiteSpace(text[at]))
        {
            at++;
        }

        if (at >= end)
        {
            return MatchSpecResult.Failure(new MatchSpecError(MatchSpecErrorKind.EmptyConstraint, Math.Min(at, text.Length - 1), text[start..end]));
        }

        var op = Operators.FirstOrDefault(o => string.CompareOrdinal(text, at, o, 0, o.Length) == 0) ?? "";
        if (op == "!=")
        {
            return MatchSpecResult.Failure(new MatchSpecError(MatchSpecErrorKind.NotEqual, at, text[at..end].Trim()));
        }

        if (op == "" && !allowBare && !char.IsDigit(text[at]) && text[at] != '*')
        {
            return MatchSpecResult.Failure(new MatchSpecError(MatchSpecErrorKind.Syntax, at, text[at..end].Trim()));
        }

        var versionStart = at + op.Length;
        while (versionStart < end && text[versionStart] == ' ')
        {
            versionStart++;
        }

        var token = text[versionStart..end].TrimEnd();
        var separator = token.IndexOfAny(['=', ' ', '\t']);
        if (separator >= 0)
        {
            // Point at the build string itself ("cpu_0" in "=1.2=cpu_0"), past the separator.
            var build = separator;
            while (build < token.Length && token[build] is '=' or ' ' or '\t')
            {
                build++;
            }

            return MatchSpecResult.Failure(new MatchSpecError(MatchSpecErrorKind.BuildString, versionStart + build, token[build..]));
        }

        if (!ParsedVersion.TryParse(token, out var version, out var misplacedWildcard))
        {
            var kind = misplacedWildcard ? MatchSpecErrorKind.MisplacedWildcard : MatchSpecErrorKind.InvalidVersion;
            return MatchSpecResult.Failure(new MatchSpecError(kind, versionStart, token.Length == 0 ? text[at..end].Trim() : token));
        }

        if (version.IsWildcard && op is not ("=" or ""))
        {
            return MatchSpecResult.Failure(new MatchSpecError(MatchSpecErrorKind.MisplacedWildcard, versionStart, op + token));
        }

        VersionRange range;
        switch (op)
        {
            case "=" when version.IsWildcard || (version.Parts.Length < fullParts && !version.HasLabel):
            case "" when version.IsWildcard:
                range = version.Prefix();
                break;
            case "=" or "==" or "":
                range = VersionRanges.Exact(version.Value);
                break;
            case "~=":
                if (version.Parts.Length < 2 || version.HasLabel)
                {
                    return MatchSpecResult.Failure(new MatchSpecError(MatchSpecErrorKind.CompatibleNeedsTwoParts, at, op + token));
                }

                range = new VersionRange(version.Value, true, version.Bump(version.Parts.Length - 2), false);
                break;
            case ">=":
                range = new VersionRange(version.Value, true, null, false);
                break;
            case ">":
                range = new VersionRange(version.Value, false, null, false);
                break;
            case "<=":
                range = new VersionRange(null, false, version.Value, true);
                break;
            default: // "<"
                range = new VersionRange(null, false, version.Value, false);
                break;
        }

        return MatchSpecResult.Success(range, versionText: null);
    }

    /// <summary>A version as written: its numeric parts (1–4), an optional pre-release label, an optional trailing <c>*</c>.</summary>
    private sealed record ParsedVersion(NuGetVersion Value, int[] Parts, bool HasLabel, bool IsWildcard)
    {
        public static bool TryParse(string token, out ParsedVersion version, out bool misplacedWildcard)
        {
            version = null!;
            misplacedWildcard = false;
            var isWildcard = token.EndsWith('*');
            var core = isWildcard ? token[..^1].TrimEnd('.') : token;
            if (core.Contains('*'))
            {
                misplacedWildcard = true;
                return false;
            }

            if (isWildcard && core.Length == 0)
            {
                version = new ParsedVersion(new NuGetVersion(0, 0, 0), [], HasLabel: false, IsWildcard: true);
                return true;
            }

            var labelAt = core.IndexOfAny(['-', '+']);
            var numeric = labelAt < 0 ? core : core[..labelAt];
            var texts = numeric.Split('.');
            if (texts.Length is < 1 or > 4 || texts.Any(t => t.Length == 0 || t.Length > 9 || !t.All(char.IsAsciiDigit)))
            {
                return false;
            }

            if ((isWildcard && labelAt >= 0) || !NuGetVersion.TryParse(core, out var parsed))
            {
                misplacedWildcard = isWildcard && labelAt >= 0;
                return false;
            }

            version = new ParsedVersion(parsed, texts.Select(int.Parse).ToArray(), labelAt >= 0, isWildcard);
            return true;
        }

        /// <summary><c>1.2</c> → <c>[1.2.0, 1.3.0)</c>: every version starting with the given parts.</summary>
        public VersionRange Prefix() =>
            Parts.Length == 0 ? VersionRange.All : new VersionRange(Value, true, Bump(Parts.Length - 1), false);

        /// <summary>The version with part <paramref name="index"/> incremented and the later parts dropped.</summary>
        public NuGetVersion Bump(int index)
        {
            var parts = new int[4];
            Array.Copy(Parts, parts, index);
            parts[index] = Parts[index] + 1;
            return new NuGetVersion(parts[0], parts[1], parts[2], parts[3]);
        }
    }
}

/// <summary>The outcome of parsing a version part: a range (and the version text as written) or an error.</summary>
internal sealed record MatchSpecResult(VersionRange? Range, string? VersionText, MatchSpecError? Error)
{
    public static MatchSpecResult Success(VersionRange range, string? versionText) => new(range, versionText, null);

    public static MatchSpecResult Failure(MatchSpecError error) => new(null, null, error);
}
