namespace TorchEnv.Core.Diagnostics;

/// <summary>"Did you mean …?" for misspelt keys and names: the closest candidate by edit distance, if close enough.</summary>
internal static class NameSuggestions
{
    /// <summary>
    /// The candidate closest to <paramref name="written"/> (case-insensitive, transpositions count as one edit), or null
    /// when none is within a third of the word's length (at least one edit, at most three), so "platfrom" suggests
    /// "platforms" but "foo" suggests nothing.
    /// </summary>
    public static string? Closest(string written, IEnumerable<string> candidates)
    {
        var budget = Math.Clamp(written.Length / 3, 1, 3);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = Distance(written.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return bestDistance <= budget ? best : null;
    }

    /// <summary>
    /// The sentence <c> Did you mean 'x'?</c> (with its leading space) for the <see cref="Closest"/> candidate, or an
    /// empty string when none is close enough: appended to a message that names what was written.
    /// </summary>
    public static string DidYouMean(string written, IEnumerable<string> candidates) =>
        Closest(written, candidates) is { } match ? $" Did you mean '{match}'?" : "";

    /// <summary>Optimal string alignment distance (Levenshtein plus adjacent transpositions).</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
