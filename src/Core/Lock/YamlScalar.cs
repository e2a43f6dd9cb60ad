using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace TorchEnv.Core.Lock;

/// <summary>
/// Writes YAML scalars so that every YAML reader reads back the same string: plain when it is unambiguous text,
/// double-quoted when YAML 1.1 or 1.2 would read it as something else (<c>12.8</c> a float, <c>9</c> an int,
/// <c>no</c> a boolean, <c>~</c> null) or when it holds characters with meaning in YAML.
/// </summary>
internal static partial class YamlScalar
{
    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.\-+/:@]*$")]
    private static partial Regex SafeCharacters();

    // Ints, floats, octal/hex/binary, sexagesimal-free (no colon-digit runs pass SafeCharacters anyway), dates.
    [GeneratedRegex(@"^(?:[-+]?[0-9_]+|0[xob][0-9a-fA-F_]+|[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+|\d{4}-\d\d?-\d\d?.*)$")]
    private static partial Regex LooksTyped();

    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "y", "n", "yes", "no", "true", "false", "on", "off", "null", "~",
    };

    /// <summary>The YAML text of <paramref name="value"/>.</summary>
    public static string Format(string value) => IsPlainSafe(value) ? value : Quote(value);

    /// <summary>True when <paramref name="value"/> can be written unquoted and still reads back as the same string.</summary>
    public static bool IsPlainSafe(string value) =>
        value.Length > 0
        && SafeCharacters().IsMatch(value)
        && !value.EndsWith(':')
        && !Reserved.Contains(value)
        && !LooksTyped().IsMatch(value);

    /// <summary>A double-quoted scalar with YAML escapes for quotes, backslashes and control characters.</summary>
    public static string Quote(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                default:
                    if (char.IsControl(c))
                    {
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        return text.Append('"').ToString();
    }
}
