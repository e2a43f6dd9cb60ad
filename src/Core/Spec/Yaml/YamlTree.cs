using TorchEnv.Core.Diagnostics;

namespace TorchEnv.Core.Spec.Yaml;

/// <summary>
/// A node of a spec file as read by <see cref="BoundedYamlReader"/>: our own small tree instead of YamlDotNet's
/// representation model, so that every node keeps its location and aliases stay shared references (never copies).
/// </summary>
internal abstract class YamlTreeNode
{
    protected YamlTreeNode(SourceLocation location) => Location = location;

    /// <summary>Where the node starts (for a scalar: its first character, the quote of a quoted scalar).</summary>
    public SourceLocation Location { get; }

    /// <summary>What the node is, in words a user reads in "expected a list, found a mapping".</summary>
    public abstract string KindName { get; }
}

/// <summary>A scalar: its text and how it was written.</summary>
internal sealed class YamlTreeScalar : YamlTreeNode
{
    public YamlTreeScalar(SourceLocation location, string value, YamlScalarStyle style, bool isSingleLine)
        : base(location)
    {
        Value = value;
        Style = style;
        IsSingleLine = isSingleLine;
    }

    public string Value { get; }

    public YamlScalarStyle Style { get; }

    /// <summary>True when the scalar was written on one line, so a character offset in <see cref="Value"/> maps onto a column.</summary>
    public bool IsSingleLine { get; }

    /// <summary>A plain empty value, <c>~</c> or <c>null</c>: YAML's null (e.g. <c>name:</c> with nothing after it).</summary>
    public bool IsNull => Style == YamlScalarStyle.Plain && Value is "" or "~" or "null" or "Null" or "NULL";

    public override string KindName => IsNull ? "an empty value" : "a single value";

    /// <summary>
    /// The location of the character at <paramref name="offset"/> in <see cref="Value"/>, exact for one-line plain and
    /// quoted scalars (the usual case); block scalars report their start.
    /// </summary>
    public SourceLocation LocationAt(int offset)
    {
        if (!IsSingleLine || Style is YamlScalarStyle.Literal or YamlScalarStyle.Folded)
        {
            return Location;
        }

        var quote = Style is YamlScalarStyle.SingleQuoted or YamlScalarStyle.DoubleQuoted ? 1 : 0;
        return Location with { Column = Location.Column + quote + Math.Max(0, offset) };
    }
}

/// <summary>How a scalar was written.</summary>
internal enum YamlScalarStyle
{
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

/// <summary>A sequence (<c>- a</c> or <c>[a, b]</c>).</summary>
internal sealed class YamlTreeSequence : YamlTreeNode
{
    public YamlTreeSequence(SourceLocation location, IReadOnlyList<YamlTreeNode> items)
        : base(location) => Items = items;

    public IReadOnlyList<YamlTreeNode> Items { get; }

    public override string KindName => "a list";
}

/// <summary>A mapping with scalar keys, in the order written; keys are unique (the reader rejects duplicates).</summary>
internal sealed class YamlTreeMapping : YamlTreeNode
{
    public YamlTreeMapping(SourceLocation location, IReadOnlyList<YamlTreeEntry> entries)
        : base(location) => Entries = entries;

    public IReadOnlyList<YamlTreeEntry> Entries { get; }

    public override string KindName => "a mapping";

    /// <summary>The entry with this key (ordinal), or null.</summary>
    public YamlTreeEntry? Find(string key) => Entries.FirstOrDefault(e => e.Key.Value == key);
}

/// <summary>One <c>key: value</c> of a mapping.</summary>
internal sealed record YamlTreeEntry(YamlTreeScalar Key, YamlTreeNode Value);
