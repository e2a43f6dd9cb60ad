using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace TorchEnv.Core.Lock;

/// <summary>A YAML node with the 1-based position where it starts.</summary>
internal abstract record LockYamlNode(int Line, int Column);

/// <summary>A scalar; <paramref name="IsPlain"/> is false for quoted and block scalars (which are never null or numbers).</summary>
internal sealed record LockYamlScalar(string Value, bool IsPlain, int Line, int Column) : LockYamlNode(Line, Column)
{
    /// <summary>True for an unquoted empty value, <c>~</c> or <c>null</c>.</summary>
    public bool IsNull => IsPlain && Value is "" or "~" or "null" or "Null" or "NULL";
}

/// <summary>A sequence.</summary>
internal sealed record LockYamlSequence(IReadOnlyList<LockYamlNode> Items, int Line, int Column) : LockYamlNode(Line, Column);

/// <summary>A mapping with its entries in document order (duplicates kept, so the reader can report them).</summary>
internal sealed record LockYamlMapping(IReadOnlyList<KeyValuePair<LockYamlScalar, LockYamlNode>> Entries, int Line, int Column)
    : LockYamlNode(Line, Column);

/// <summary>
/// Builds a <see cref="LockYamlNode"/> tree from YamlDotNet's event parser, refusing what a lock never contains and
/// what makes YAML expensive to read: anchors and aliases (no "billion laughs"), tags, more than one document,
/// non-scalar keys and nesting deeper than <see cref="MaxDepth"/>.
/// </summary>
internal static class LockYaml
{
    /// <summary>Deepest nesting accepted (a lock needs 6).</summary>
    public const int MaxDepth = 32;

    /// <summary>A structural problem, with the position it was found at.</summary>
    public sealed class Error(string message, int line, int column) : Exception(message)
    {
        public int Line { get; } = line;

        public int Column { get; } = column;
    }

    /// <summary>Parses one document; null for an empty stream.</summary>
    /// <exception cref="Error">Syntax error or a refused construct.</exception>
    public static LockYamlNode? Parse(string text)
    {
        var scanner = new Scanner(new StringReader(text));
        var parser = new Parser(scanner);
        try
        {
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out _))
            {
                return null;
            }

            parser.Consume<DocumentStart>();
            var root = ReadNode(parser, 0);
            parser.Consume<DocumentEnd>();
            if (!parser.TryConsume<StreamEnd>(out _))
            {
                throw new Error("The file holds more than one YAML document.", (int)parser.Current!.Start.Line, (int)parser.Current.Start.Column);
            }

            return root;
        }
        catch (YamlException ex)
        {
            throw new Error(ex.Message.Split('\n')[0], (int)ex.Start.Line, (int)ex.Start.Column);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IndexOutOfRangeException)
        {
            // YamlDotNet 18.1 throws these on some malformed input (an unclosed flow list) instead of a YamlException.
            var at = scanner.CurrentPosition;
            throw new Error("The YAML is malformed here (an unclosed [ or { before this point?).", (int)Math.Max(1, at.Line), (int)Math.Max(1, at.Column));
        }
    }

    private static LockYamlNode ReadNode(IParser parser, int depth)
    {
        var current = parser.Current!;
        var (line, column) = ((int)current.Start.Line, (int)current.Start.Column);
        if (depth > MaxDepth)
        {
            throw new Error($"Nesting is deeper than {MaxDepth} levels.", line, column);
        }

        if (current is AnchorAlias)
        {
            throw new Error("Aliases (*name) are not allowed in a lock file.", line, column);
        }

        if (current is NodeEvent node)
        {
            if (!node.Anchor.IsEmpty)
            {
                throw new Error("Anchors (&name) are not allowed in a lock file.", line, column);
            }

            if (!node.Tag.IsEmpty && !(node is Scalar { IsQuotedImplicit: true } or Scalar { IsPlainImplicit: true }))
            {
                throw new Error($"Tags ({node.Tag.Value}) are not allowed in a lock file.", line, column);
            }
        }

        switch (current)
        {
            case Scalar scalar:
                parser.MoveNext();
                return new LockYamlScalar(scalar.Value, scalar.Style == ScalarStyle.Plain, line, column);

            case SequenceStart:
                parser.MoveNext();
                var items = new List<LockYamlNode>();
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    items.Add(ReadNode(parser, depth + 1));
                }

                return new LockYamlSequence(items, line, column);

            case MappingStart:
                parser.MoveNext();
                var entries = new List<KeyValuePair<LockYamlScalar, LockYamlNode>>();
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var key = ReadNode(parser, depth + 1) as LockYamlScalar
                        ?? throw new Error("Mapping keys must be plain text.", line, column);
                    entries.Add(new(key, ReadNode(parser, depth + 1)));
                }

                return new LockYamlMapping(entries, line, column);

            default:
                throw new Error($"Unexpected YAML element {current.GetType().Name}.", line, column);
        }
    }
}
