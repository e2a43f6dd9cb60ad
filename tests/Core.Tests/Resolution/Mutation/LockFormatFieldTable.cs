using System.Text.RegularExpressions;
using TorchEnv.TestSupport;

namespace TorchEnv.Core.Tests.Resolution.Mutation;

/// <summary>
/// The table "What each field is checked against" of docs/lock-format.md: each field (the backticked names of a row's
/// first cell) with how it is verified; a row whose second cell starts with "informational" is compared by no check.
/// </summary>
internal sealed partial class LockFormatFieldTable
{
    private LockFormatFieldTable(IReadOnlyDictionary<string, string> rows) => Rows = rows;

    /// <summary>Field → how it is verified.</summary>
    public IReadOnlyDictionary<string, string> Rows { get; }

    /// <summary>The fields no check compares.</summary>
    public IReadOnlySet<string> Informational => Rows.Where(r => r.Value.StartsWith("informational", StringComparison.Ordinal)).Select(r => r.Key).ToHashSet();

    /// <summary>The fields the table says are compared case-insensitively.</summary>
    public IReadOnlySet<string> CaseInsensitive => Rows.Where(r => r.Value.Contains("case-insensitively", StringComparison.Ordinal)).Select(r => r.Key).ToHashSet();

    [GeneratedRegex(@"`([^`]+)`")]
    private static partial Regex Backticked();

    public static LockFormatFieldTable Read()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot.Get(), "docs", "lock-format.md"));
        var start = text.IndexOf("## What each field is checked against", StringComparison.Ordinal);
        var end = text.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text[start..end].Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal)))
        {
            var cells = line.Split('|', StringSplitOptions.TrimEntries);
            foreach (Match field in Backticked().Matches(cells[1]))
            {
                rows[field.Groups[1].Value] = cells[2];
            }
        }

        return new LockFormatFieldTable(rows);
    }
}
