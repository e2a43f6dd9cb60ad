using TorchEnv.Core.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace TorchEnv.Core.Spec.Yaml;

/// <summary>
/// Reads YAML text into a <see cref="YamlTreeNode"/> tree through YamlDotNet's event parser (never its object
/// deserializer), enforcing <see cref="SpecLimits"/>, rejecting explicit tags and duplicate keys, and turning
/// YamlDotNet's exceptions into coded diagnostics at YamlDotNet's line and column.
/// </summary>
internal sealed class BoundedYamlReader
{
    private readonly string _file;
    private readonly Scanner _scanner;
    private readonly Parser _parser;
    private readonly DiagnosticBag _diagnostics;
    private readonly Dictionary<string, Measured> _anchors = new(StringComparer.Ordinal);
    private int _nodes;
    private int _aliases;
    private bool _peeked;

    private BoundedYamlReader(string text, string file, DiagnosticBag diagnostics)
    {
        _file = file;
        _diagnostics = diagnostics;
        _scanner = new Scanner(new StringReader(text), skipComments: true);
        _parser = new Parser(_scanner);
    }

    /// <summary>
    /// Reads the single document of <paramref name="text"/>. Returns null for a file without content. Faults that stop
    /// reading (syntax, limits, tags) throw <see cref="TorchEnvException"/>; duplicate keys are collected in
    /// <paramref name="diagnostics"/> and reading goes on (the first occurrence is kept).
    /// </summary>
    public static YamlTreeNode? Read(string text, string file, DiagnosticBag diagnostics) =>
        new BoundedYamlReader(text, file, diagnostics).ReadStream();

    private YamlTreeNode? ReadStream()
    {
        Expect<StreamStart>();
        if (Peek() is StreamEnd)
        {
            return null;
        }

        Expect<DocumentStart>();
        var root = ReadNode(depth: 0).Node;
        Expect<DocumentEnd>();
        if (Peek() is DocumentStart second)
        {
            throw Fatal(SpecMessages.MultipleDocuments(At(second.Start)));
        }

        Expect<StreamEnd>();
        return root;
    }

    private Measured ReadNode(int depth)
    {
        var start = Next();
        if (start is NodeEvent { Tag.IsEmpty: false } tagged)
        {
            // YamlDotNet expands "!!x" to "tag:yaml.org,2002:x"; show it the way the user wrote it.
            const string CoreSchema = "tag:yaml.org,2002:";
            var tag = tagged.Tag.Value.StartsWith(CoreSchema, StringComparison.Ordinal) ? "!!" + tagged.Tag.Value[CoreSchema.Length..] : tagged.Tag.Value;
            throw Fatal(SpecMessages.TagNotAllowed(At(tagged.Start), tag));
        }

        var measured = start switch
        {
            AnchorAlias alias => ReadAlias(alias, depth),
            Scalar scalar => ReadScalar(scalar),
            SequenceStart sequence => ReadSequence(sequence, depth),
            MappingStart mapping => ReadMapping(mapping, depth),
            _ => throw Fatal(SpecMessages.YamlSyntax(At(start.Start), $"Unexpected {start.GetType().Name}.")),
        };

        if (start is NodeEvent { Anchor.IsEmpty: false } anchored)
        {
            _anchors[anchored.Anchor.Value] = measured;
        }

        return measured;
    }

    private Measured ReadAlias(AnchorAlias alias, int depth)
    {
        var location = At(alias.Start);
        if (++_aliases > SpecLimits.MaxAliases)
        {
            throw Fatal(SpecMessages.TooManyAliases(location));
        }

        if (!_anchors.TryGetValue(alias.Value.Value, out var target))
        {
            throw Fatal(SpecMessages.YamlSyntax(location, $"The alias *{alias.Value.Value} refers to no anchor &{alias.Value.Value} defined before it."));
        }

        // The alias stands for the whole anchored node: count it expanded, so nested aliases cannot multiply unseen.
        if (depth + target.Height > SpecLimits.MaxDepth)
        {
            throw Fatal(SpecMessages.TooDeep(location));
        }

        CountNodes(target.Size, alias.Start);
        return target;
    }

    private Measured ReadScalar(Scalar scalar)
    {
        CountNodes(1, scalar.Start);
        return new Measured(ToNode(scalar), Size: 1, Height: 0);
    }

    private Measured ReadSequence(SequenceStart start, int depth)
    {
        var location = Enter(start.Start, depth);
        var items = new List<YamlTreeNode>();
        var size = 1;
        var height = 0;
        while (Peek() is not SequenceEnd)
        {
            var item = ReadNode(depth + 1);
            items.Add(item.Node);
            size += item.Size;
            height = Math.Max(height, item.Height);
        }

        Next();
        return new Measured(new YamlTreeSequence(location, items), size, height + 1);
    }

    private Measured ReadMapping(MappingStart start, int depth)
    {
        var location = Enter(start.Start, depth);
        var entries = new List<YamlTreeEntry>();
        var size = 1;
        var height = 0;
        while (Peek() is not MappingEnd)
        {
            var key = ReadNode(depth + 1);
            var value = ReadNode(depth + 1);
            size += key.Size + value.Size;
            height = Math.Max(height, Math.Max(key.Height, value.Height));
            if (key.Node is not YamlTreeScalar keyScalar)
            {
                _diagnostics.Add(SpecMessages.KeyNotScalar(key.Node.Location, key.Node.KindName));
                continue;
            }

            var first = entries.FirstOrDefault(e => e.Key.Value == keyScalar.Value);
            if (first is not null)
            {
                _diagnostics.Add(SpecMessages.DuplicateKey(keyScalar.Location, keyScalar.Value, first.Key.Location));
                continue;
            }

            entries.Add(new YamlTreeEntry(keyScalar, value.Node));
        }

        Next();
        return new Measured(new YamlTreeMapping(location, entries), size, height + 1);
    }

    private SourceLocation Enter(Mark start, int depth)
    {
        var location = At(start);
        if (depth + 1 > SpecLimits.MaxDepth)
        {
            throw Fatal(SpecMessages.TooDeep(location));
        }

        CountNodes(1, start);
        return location;
    }

    private void CountNodes(int count, Mark at)
    {
        _nodes += count;
        if (_nodes > SpecLimits.MaxNodes)
        {
            throw Fatal(SpecMessages.TooManyNodes(At(at)));
        }
    }

    private YamlTreeScalar ToNode(Scalar scalar) => new(
        At(scalar.Start),
        scalar.Value,
        scalar.Style switch
        {
            ScalarStyle.SingleQuoted => YamlScalarStyle.SingleQuoted,
            ScalarStyle.DoubleQuoted => YamlScalarStyle.DoubleQuoted,
            ScalarStyle.Literal => YamlScalarStyle.Literal,
            ScalarStyle.Folded => YamlScalarStyle.Folded,
            _ => YamlScalarStyle.Plain,
        },
        isSingleLine: scalar.Start.Line == scalar.End.Line);

    private T Expect<T>()
        where T : ParsingEvent
    {
        var next = Next();
        return next as T ?? throw Fatal(SpecMessages.YamlSyntax(At(next.Start), $"Expected {typeof(T).Name}, found {next.GetType().Name}."));
    }

    private ParsingEvent Peek()
    {
        Advance(consume: false);
        return _parser.Current!;
    }

    private ParsingEvent Next()
    {
        Advance(consume: true);
        return _parser.Current!;
    }

    // YamlDotNet's parser is pull-based; we peek by remembering that Current has not been consumed yet.
    private void Advance(bool consume)
    {
        if (!_peeked)
        {
            try
            {
                if (!_parser.MoveNext())
                {
                    throw Fatal(SpecMessages.YamlSyntax(At(_scanner.CurrentPosition), "Unexpected end of file."));
                }
            }
            catch (YamlException ex)
            {
                throw Fatal(SpecMessages.YamlSyntax(At(ex.Start), ex.Message), ex);
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IndexOutOfRangeException)
            {
                // YamlDotNet 18.1 throws InvalidOperationException on some malformed input (e.g. an unclosed flow list
                // followed by a mapping) instead of a YamlException; report it as the syntax error it is.
                throw Fatal(SpecMessages.YamlSyntax(At(_scanner.CurrentPosition), "The YAML is malformed here (an unclosed [ or { before this point?)."), ex);
            }
        }

        _peeked = !consume;
    }

    private SourceLocation At(Mark mark) => new(_file, (int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column));

    private TorchEnvException Fatal(Diagnostic diagnostic, Exception? inner = null)
    {
        _diagnostics.Add(diagnostic);
        return new TorchEnvException(_diagnostics.Diagnostics, inner);
    }

    private readonly record struct Measured(YamlTreeNode Node, int Size, int Height);
}
