using System.Text;
using System.Text.RegularExpressions;

namespace TorchEnv.Core.Export;

/// <summary>A condition's value when only some properties are known: true, false, or depends on something unknown.</summary>
internal enum Truth
{
    False,
    True,
    Unknown,
}

/// <summary>
/// Evaluates MSBuild conditions and property expansions with three-valued logic over the properties that decide a
/// TorchSharp project's platform: <c>$(OS)</c>, <c>$(RuntimeIdentifier)</c>, <c>$(TargetFramework)</c>,
/// <c>$([MSBuild]::IsOSPlatform('…'))</c>, <c>$([System.OperatingSystem]::IsWindows())</c> and the like, plus properties the
/// project defines with literal values. Anything else (Configuration, Exists(), other functions) is <see cref="Truth.Unknown"/>.
/// </summary>
internal static partial class MsBuildCondition
{
    [GeneratedRegex(@"^\[(?<type>[A-Za-z.]+)\]::(?<name>\w+)\((?<args>.*)\)$", RegexOptions.Singleline)]
    private static partial Regex StaticCall();

    [GeneratedRegex(@"^(?<name>[A-Za-z_][\w-]*)(?:\.(?<method>\w+)\((?<args>.*)\))?$", RegexOptions.Singleline)]
    private static partial Regex PropertyReference();

    /// <summary>Evaluates <paramref name="condition"/>; empty or whitespace is true, as in MSBuild.</summary>
    public static Truth Evaluate(string condition, Func<string, string?> property, string platform)
    {
        if (string.IsNullOrWhiteSpace(condition))
        {
            return Truth.True;
        }

        var parser = new Parser(Tokenize(condition), property, platform);
        var result = parser.ParseOr();
        return parser.AtEnd ? result : Truth.Unknown;
    }

    /// <summary>Expands every <c>$(…)</c> in <paramref name="text"/>; null when any of them is unknown.</summary>
    public static string? Expand(string text, Func<string, string?> property, string platform)
    {
        var result = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '$' && i + 1 < text.Length && text[i + 1] == '(')
            {
                var end = Matching(text, i + 1);
                if (end < 0)
                {
                    return null;
                }

                var value = ExpandOne(text[(i + 2)..end], property, platform);
                if (value is null)
                {
                    return null;
                }

                result.Append(value);
                i = end + 1;
            }
            else
            {
                result.Append(text[i]);
                i++;
            }
        }

        return result.ToString();
    }

    /// <summary>True for the platforms MSBuild's IsOSPlatform(<paramref name="os"/>) names.</summary>
    private static bool? IsOs(string os, string platform)
    {
        var family = platform.Split('-')[0];
        return os.ToLowerInvariant() switch
        {
            "windows" => family == "win",
            "linux" => family == "linux",
            "osx" or "macos" => family == "osx",
            "freebsd" or "android" or "ios" or "browser" or "wasi" or "illumos" or "solaris" => false,
            _ => null,
        };
    }

    private static string? ExpandOne(string inner, Func<string, string?> property, string platform)
    {
        var call = StaticCall().Match(inner);
        if (call.Success)
        {
            var type = call.Groups["type"].Value;
            var name = call.Groups["name"].Value;
            var args = Arguments(call.Groups["args"].Value, property, platform);
            bool? result = (type.ToLowerInvariant(), name.ToLowerInvariant()) switch
            {
                ("msbuild", "isosplatform") when args is [{ } os] => IsOs(os, platform),
                ("system.operatingsystem", "iswindows") => IsOs("windows", platform),
                ("system.operatingsystem", "islinux") => IsOs("linux", platform),
                ("system.operatingsystem", "ismacos" or "isosx") => IsOs("osx", platform),
                _ => null,
            };
            return result is null ? null : result.Value ? "true" : "false";
        }

        var reference = PropertyReference().Match(inner.Trim());
        if (!reference.Success)
        {
            return null;
        }

        var value = property(reference.Groups["name"].Value);
        if (value is null || !reference.Groups["method"].Success)
        {
            return value;
        }

        var methodArgs = Arguments(reference.Groups["args"].Value, property, platform);
        return (reference.Groups["method"].Value.ToLowerInvariant(), methodArgs) switch
        {
            ("startswith", [{ } a]) => Bool(value.StartsWith(a, StringComparison.OrdinalIgnoreCase)),
            ("endswith", [{ } a]) => Bool(value.EndsWith(a, StringComparison.OrdinalIgnoreCase)),
            ("contains", [{ } a]) => Bool(value.Contains(a, StringComparison.OrdinalIgnoreCase)),
            ("equals", [{ } a]) => Bool(value.Equals(a, StringComparison.OrdinalIgnoreCase)),
            ("tolower" or "tolowerinvariant", []) => value.ToLowerInvariant(),
            ("toupper" or "toupperinvariant", []) => value.ToUpperInvariant(),
            ("trim", []) => value.Trim(),
            _ => null,
        };
    }

    private static string Bool(bool value) => value ? "true" : "false";

    /// <summary>Quoted arguments of a function call, expanded; a null entry for an unknown one.</summary>
    private static IReadOnlyList<string?> Arguments(string text, Func<string, string?> property, string platform)
    {
        var list = new List<string?>();
        foreach (var part in SplitArguments(text))
        {
            var trimmed = part.Trim();
            if (trimmed.Length == 0)
            {
                continue;
            }

            var unquoted = trimmed.Length >= 2 && (trimmed[0] is '\'' or '"' or '`') && trimmed[^1] == trimmed[0] ? trimmed[1..^1] : trimmed;
            list.Add(Expand(unquoted, property, platform));
        }

        return list;
    }

    private static IEnumerable<string> SplitArguments(string text)
    {
        var depth = 0;
        char? quote = null;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }
            }
            else if (c is '\'' or '"' or '`')
            {
                quote = c;
            }
            else if (c == '(')
            {
                depth++;
            }
            else if (c == ')')
            {
                depth--;
            }
            else if (c == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        yield return text[start..];
    }

    /// <summary>The index of the ')' matching the '(' at <paramref name="open"/>, skipping quoted text; -1 when unbalanced.</summary>
    private static int Matching(string text, int open)
    {
        var depth = 0;
        char? quote = null;
        for (var i = open; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }

                continue;
            }

            switch (c)
            {
                case '\'' or '"' or '`' when i > open:
                    quote = c;
                    break;
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    if (depth == 0)
                    {
                        return i;
                    }

                    break;
            }
        }

        return -1;
    }

    private enum TokenKind
    {
        Open,
        Close,
        And,
        Or,
        Not,
        Compare,
        Value,
    }

    private sealed record Token(TokenKind Kind, string Text, bool Quoted = false);

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '(')
            {
                tokens.Add(new Token(TokenKind.Open, "("));
                i++;
            }
            else if (c == ')')
            {
                tokens.Add(new Token(TokenKind.Close, ")"));
                i++;
            }
            else if (c is '\'' or '"' or '`')
            {
                // The closing quote, skipping $(…) inside, which may quote its own arguments: '$([MSBuild]::IsOSPlatform('Linux'))'.
                var end = i + 1;
                while (end < text.Length && text[end] != c)
                {
                    end = text[end] == '$' && end + 1 < text.Length && text[end + 1] == '(' && Matching(text, end + 1) is var close and >= 0
                        ? close + 1
                        : end + 1;
                }

                tokens.Add(new Token(TokenKind.Value, text[(i + 1)..Math.Min(end, text.Length)], Quoted: true));
                i = end + 1;
            }
            else if (c is '=' or '!' or '<' or '>')
            {
                var two = i + 1 < text.Length && text[i + 1] == '=';
                var op = two ? text.Substring(i, 2) : c.ToString();
                tokens.Add(op == "!" ? new Token(TokenKind.Not, "!") : new Token(TokenKind.Compare, op));
                i += two ? 2 : 1;
            }
            else if (c == '$' && i + 1 < text.Length && text[i + 1] == '(')
            {
                var end = Matching(text, i + 1);
                end = end < 0 ? text.Length - 1 : end;
                tokens.Add(new Token(TokenKind.Value, text[i..(end + 1)]));
                i = end + 1;
            }
            else
            {
                var start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('(' or ')' or '=' or '!' or '<' or '>' or '\''))
                {
                    i++;
                }

                var word = text[start..i];
                if (i < text.Length && text[i] == '(')
                {
                    // A function such as Exists('…'): keep it whole; its value is unknown.
                    var end = Matching(text, i);
                    end = end < 0 ? text.Length - 1 : end;
                    tokens.Add(new Token(TokenKind.Value, "\u0000" + text[start..(end + 1)]));
                    i = end + 1;
                    continue;
                }

                tokens.Add(word.ToLowerInvariant() switch
                {
                    "and" => new Token(TokenKind.And, word),
                    "or" => new Token(TokenKind.Or, word),
                    _ => new Token(TokenKind.Value, word),
                });
            }
        }

        return tokens;
    }

    private sealed class Parser(List<Token> tokens, Func<string, string?> property, string platform)
    {
        private int _position;

        public bool AtEnd => _position >= tokens.Count;

        private Token? Peek => _position < tokens.Count ? tokens[_position] : null;

        public Truth ParseOr()
        {
            var left = ParseAnd();
            while (Peek?.Kind == TokenKind.Or)
            {
                _position++;
                var right = ParseAnd();
                left = left == Truth.True || right == Truth.True ? Truth.True
                    : left == Truth.False && right == Truth.False ? Truth.False : Truth.Unknown;
            }

            return left;
        }

        private Truth ParseAnd()
        {
            var left = ParseUnary();
            while (Peek?.Kind == TokenKind.And)
            {
                _position++;
                var right = ParseUnary();
                left = left == Truth.False || right == Truth.False ? Truth.False
                    : left == Truth.True && right == Truth.True ? Truth.True : Truth.Unknown;
            }

            return left;
        }

        private Truth ParseUnary()
        {
            if (Peek?.Kind == TokenKind.Not)
            {
                _position++;
                return ParseUnary() switch
                {
                    Truth.True => Truth.False,
                    Truth.False => Truth.True,
                    _ => Truth.Unknown,
                };
            }

            if (Peek?.Kind == TokenKind.Open)
            {
                _position++;
                var inner = ParseOr();
                if (Peek?.Kind == TokenKind.Close)
                {
                    _position++;
                }

                return inner;
            }

            if (Peek is not { Kind: TokenKind.Value } left)
            {
                _position = tokens.Count + 1;
                return Truth.Unknown;
            }

            _position++;
            var leftValue = Value(left);
            if (Peek?.Kind != TokenKind.Compare)
            {
                return leftValue?.ToLowerInvariant() switch
                {
                    "true" or "on" or "yes" or "!false" => Truth.True,
                    "false" or "off" or "no" or "!true" => Truth.False,
                    _ => Truth.Unknown,
                };
            }

            var op = tokens[_position++].Text;
            if (Peek is not { Kind: TokenKind.Value } right)
            {
                return Truth.Unknown;
            }

            _position++;
            var rightValue = Value(right);
            if (leftValue is null || rightValue is null)
            {
                return Truth.Unknown;
            }

            return op switch
            {
                "==" => string.Equals(leftValue, rightValue, StringComparison.OrdinalIgnoreCase) ? Truth.True : Truth.False,
                "!=" => string.Equals(leftValue, rightValue, StringComparison.OrdinalIgnoreCase) ? Truth.False : Truth.True,
                _ => Truth.Unknown,
            };
        }

        private string? Value(Token token) =>
            token.Text.StartsWith('\u0000') ? null : Expand(token.Text, property, platform);
    }
}
