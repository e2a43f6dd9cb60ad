using System.Text;

namespace TorchEnv.Core.Adopt;

/// <summary>
/// A text file as bytes and as text, remembering its encoding and byte-order mark so that an edited text encodes back to
/// the same bytes everywhere it was not edited. UTF-8 (with or without BOM) and UTF-16 with a BOM; line endings are part
/// of the text and never touched.
/// </summary>
internal sealed class TextFileContent
{
    private readonly Encoding _encoding;

    private TextFileContent(byte[] bytes, Encoding encoding, string text)
    {
        Bytes = bytes;
        _encoding = encoding;
        Text = text;
    }

    /// <summary>The file's bytes.</summary>
    public byte[] Bytes { get; }

    /// <summary>The decoded text, without the byte-order mark.</summary>
    public string Text { get; }

    /// <summary>Decodes <paramref name="bytes"/>; null when they are not valid UTF-8 / UTF-16 (the file is then left alone).</summary>
    public static TextFileContent? Decode(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        Encoding encoding = bytes switch
        {
            [0xEF, 0xBB, 0xBF, ..] => new UTF8Encoding(encoderShouldEmitUTF8Identifier: true, throwOnInvalidBytes: true),
            [0xFF, 0xFE, ..] => new UnicodeEncoding(bigEndian: false, byteOrderMark: true, throwOnInvalidBytes: true),
            [0xFE, 0xFF, ..] => new UnicodeEncoding(bigEndian: true, byteOrderMark: true, throwOnInvalidBytes: true),
            _ => new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true),
        };
        var preamble = encoding.GetPreamble().Length;
        try
        {
            return new TextFileContent(bytes, encoding, encoding.GetString(bytes, preamble, bytes.Length - preamble));
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>The bytes of <paramref name="text"/> in this file's encoding, with its byte-order mark if it had one.</summary>
    public byte[] Encode(string text) => [.. _encoding.GetPreamble(), .. _encoding.GetBytes(text)];

    /// <summary>The line ending the file uses most (<c>\r\n</c> or <c>\n</c>), for inserted lines.</summary>
    public string LineEnding => Text.Split('\n').Count(l => l.EndsWith('\r')) * 2 > Text.Count(c => c == '\n') ? "\r\n" : "\n";
}

/// <summary>A set of non-overlapping edits of one text: each replaces a span of the original with new text.</summary>
internal sealed class TextEdits
{
    private readonly List<(int Start, int Length, string Replacement)> _edits = [];

    /// <summary>True when nothing is to change.</summary>
    public bool IsEmpty => _edits.Count == 0;

    /// <summary>Replaces <paramref name="length"/> characters at <paramref name="start"/>; edits inside an earlier one are dropped.</summary>
    public void Replace(int start, int length, string replacement)
    {
        if (_edits.Any(e => start < e.Start + e.Length && e.Start < start + length))
        {
            // An element inside a removed group goes with it.
            _edits.RemoveAll(e => e.Start >= start && e.Start + e.Length <= start + length);
            if (_edits.Any(e => start < e.Start + e.Length && e.Start < start + length))
            {
                return;
            }
        }

        _edits.Add((start, length, replacement));
    }

    /// <summary>The text with every edit applied.</summary>
    public string Apply(string original)
    {
        var text = new StringBuilder();
        var at = 0;
        foreach (var (start, length, replacement) in _edits.OrderBy(e => e.Start))
        {
            text.Append(original, at, start - at).Append(replacement);
            at = start + length;
        }

        return text.Append(original, at, original.Length - at).ToString();
    }
}
