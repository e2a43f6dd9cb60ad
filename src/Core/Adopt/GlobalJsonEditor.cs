using System.Text;
using System.Text.Json;

namespace TorchEnv.Core.Adopt;

/// <summary>
/// Pins an MSBuild project SDK in <c>global.json</c>'s <c>msbuild-sdks</c> (where MSBuild's SDK resolver reads the
/// version of <c>Sdk="TorchEnv.Sdk"</c>): a new file, or the member spliced into an existing one with everything else
/// (other members, comments, indentation, line endings) kept byte for byte.
/// </summary>
internal static class GlobalJsonEditor
{
    private const string SdksProperty = "msbuild-sdks";

    /// <summary>A new <c>global.json</c> that pins <paramref name="sdk"/> at <paramref name="version"/>.</summary>
    public static string Create(string sdk, string version) =>
        $"{{\n  \"{SdksProperty}\": {{\n    \"{sdk}\": \"{version}\"\n  }}\n}}\n";

    /// <summary>
    /// The text of <paramref name="content"/> with <paramref name="sdk"/> pinned at <paramref name="version"/>; the same
    /// text when it is pinned so already. Throws <see cref="JsonException"/> when the file is not a JSON object.
    /// </summary>
    public static string Pin(TextFileContent content, string sdk, string version)
    {
        var text = content.Text;
        var bytes = Encoding.UTF8.GetBytes(text);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("global.json is not a JSON object.");
        }

        long rootEnd = -1, lastMemberEnd = -1, sdksOpen = -1, sdksEnd = -1, valueStart = -1, valueEnd = -1;
        string? current = null;
        var newline = content.LineEnding;
        while (reader.Read())
        {
            if (reader.CurrentDepth == 0 && reader.TokenType == JsonTokenType.EndObject)
            {
                rootEnd = reader.TokenStartIndex;
                break;
            }

            if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName)
            {
                current = reader.GetString();
                reader.Read();
                if (current == SdksProperty && reader.TokenType == JsonTokenType.StartObject)
                {
                    sdksOpen = reader.TokenStartIndex;
                    while (reader.Read() && !(reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.EndObject))
                    {
                        if (reader.CurrentDepth == 2 && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals(sdk))
                        {
                            reader.Read();
                            valueStart = reader.TokenStartIndex;
                            valueEnd = reader.BytesConsumed;
                        }
                    }

                    sdksEnd = reader.TokenStartIndex;
                }
                else
                {
                    reader.Skip();
                }

                lastMemberEnd = reader.BytesConsumed;
            }
        }

        if (rootEnd < 0)
        {
            throw new JsonException("global.json ends before its object closes.");
        }

        var quoted = JsonSerializer.Serialize(version);
        string result;
        if (valueStart >= 0)
        {
            result = Splice(bytes, valueStart, valueEnd - valueStart, quoted);
        }
        else if (sdksOpen >= 0)
        {
            var indent = IndentOf(bytes, sdksOpen);
            var empty = Encoding.UTF8.GetString(bytes, (int)sdksOpen + 1, (int)(sdksEnd - sdksOpen - 1)).Trim().Length == 0;
            var member = $"{newline}{indent}{indent}\"{sdk}\": {quoted}{(empty ? newline + indent : ",")}";
            result = Splice(bytes, sdksOpen + 1, empty ? sdksEnd - sdksOpen - 1 : 0, member);
        }
        else
        {
            var indent = lastMemberEnd < 0 ? "  " : IndentOf(bytes, FirstMemberStart(bytes));
            var member = $"{(lastMemberEnd < 0 ? "" : ",")}{newline}{indent}\"{SdksProperty}\": {{{newline}{indent}{indent}\"{sdk}\": {quoted}{newline}{indent}}}";
            var at = lastMemberEnd < 0 ? rootEnd : lastMemberEnd;
            result = Splice(bytes, at, 0, member + (lastMemberEnd < 0 ? newline : ""));
        }

        return result;
    }

    private static string Splice(byte[] bytes, long start, long length, string replacement) =>
        Encoding.UTF8.GetString(bytes, 0, (int)start) + replacement + Encoding.UTF8.GetString(bytes, (int)(start + length), bytes.Length - (int)(start + length));

    /// <summary>The byte offset of the root object's first property name.</summary>
    private static long FirstMemberStart(byte[] bytes)
    {
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        reader.Read();
        reader.Read();
        return reader.TokenStartIndex;
    }

    /// <summary>The whitespace that starts the line holding byte <paramref name="offset"/> (two spaces when there is none).</summary>
    private static string IndentOf(byte[] bytes, long offset)
    {
        var before = Encoding.UTF8.GetString(bytes, 0, (int)offset);
        var line = before[(before.LastIndexOfAny(['\n', '\r']) + 1)..];
        var indent = line[..(line.Length - line.TrimStart(' ', '\t').Length)];
        return indent.Length > 0 ? indent : "  ";
    }
}
