using System.Text;

namespace TorchEnv.Core.Adopt;

/// <summary>A unified diff (<c>git diff</c>'s format, three lines of context) of two texts, for <c>adopt --dry-run</c>.</summary>
internal static class UnifiedDiff
{
    private const int Context = 3;

    /// <summary>The diff of <paramref name="before"/> (null: a new file) and <paramref name="after"/>, headed by <paramref name="path"/>.</summary>
    public static string Of(string path, string? before, string after)
    {
        var a = Lines(before ?? "");
        var b = Lines(after);

        // Longest common subsequence of lines (project files are small).
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var ops = new List<(char Kind, string Line, int A, int B)>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                ops.Add((' ', a[x], x++, y++));
            }
            else if (x < a.Length && (y == b.Length || lcs[x + 1, y] >= lcs[x, y + 1]))
            {
                ops.Add(('-', a[x], x++, y));
            }
            else
            {
                ops.Add(('+', b[y], x, y++));
            }
        }

        var text = new StringBuilder();
        text.Append("--- ").Append(before is null ? "/dev/null" : "a/" + path).Append('\n');
        text.Append("+++ b/").Append(path).Append('\n');
        var changed = ops.Select((o, i) => (o, i)).Where(p => p.o.Kind != ' ').Select(p => p.i).ToList();
        var k = 0;
        while (k < changed.Count)
        {
            var first = Math.Max(0, changed[k] - Context);
            var last = changed[k];
            while (k + 1 < changed.Count && changed[k + 1] - last <= 2 * Context)
            {
                last = changed[++k];
            }

            k++;
            last = Math.Min(ops.Count - 1, last + Context);
            var hunk = ops.GetRange(first, last - first + 1);
            var aCount = hunk.Count(o => o.Kind != '+');
            var bCount = hunk.Count(o => o.Kind != '-');
            text.Append($"@@ -{(aCount == 0 ? hunk[0].A : hunk[0].A + 1)},{aCount} +{(bCount == 0 ? hunk[0].B : hunk[0].B + 1)},{bCount} @@\n");
            foreach (var op in hunk)
            {
                text.Append(op.Kind).Append(op.Line.TrimEnd('\r')).Append('\n');
            }
        }

        return text.ToString();
    }

    private static string[] Lines(string text) =>
        text.Length == 0 ? [] : text.EndsWith('\n') ? text[..^1].Split('\n') : text.Split('\n');
}
