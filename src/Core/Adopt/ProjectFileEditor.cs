using System.Xml;

namespace TorchEnv.Core.Adopt;

/// <summary>How a project names its SDK.</summary>
internal enum ProjectSdkForm
{
    /// <summary><c>Sdk="Microsoft.NET.Sdk"</c>: adoptable.</summary>
    MicrosoftNetSdk,

    /// <summary><c>Sdk="TorchEnv.Sdk"</c> (or <c>TorchEnv.Sdk/x.y.z</c>): adopted already.</summary>
    TorchEnvSdk,

    /// <summary>Another SDK (<c>Microsoft.NET.Sdk.Web</c>, several, an <c>&lt;Sdk&gt;</c> element or an <c>Import Sdk=</c>).</summary>
    Other,

    /// <summary>No SDK at all: an old-style project (<c>ToolsVersion</c>, imports of Microsoft.CSharp.targets).</summary>
    None,
}

/// <summary>
/// Edits MSBuild XML as text, never through an XML serializer: elements are found with an <see cref="XmlReader"/> (which
/// gives line and column) and the original string is spliced, so comments, indentation, attribute order, quotes,
/// entities, encoding and line endings stay byte for byte outside the edited spans. A removed element takes its own
/// line(s) with it; an item group left empty goes too.
/// </summary>
internal sealed class ProjectFileEditor
{
    private static readonly HashSet<string> PackageItems = new(StringComparer.Ordinal) { "PackageReference", "PackageVersion", "GlobalPackageReference" };

    private static readonly HashSet<string> VersionOnly = new(StringComparer.OrdinalIgnoreCase) { "Include", "Update", "Version", "VersionOverride", "Condition" };

    private readonly string _text;
    private readonly int[] _lineStarts;

    private ProjectFileEditor(string text)
    {
        _text = text;
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            // XmlReader counts \r\n, \r and \n as one line break each.
            if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                i++;
                starts.Add(i + 1);
            }
            else if (text[i] is '\r' or '\n')
            {
                starts.Add(i + 1);
            }
        }

        _lineStarts = [.. starts];
    }

    /// <summary>The SDK form of a project's text; throws <see cref="XmlException"/> when it is not well-formed.</summary>
    public static ProjectSdkForm SdkForm(string text) => new ProjectFileEditor(text).ReadSdk().Form;

    /// <summary>
    /// The text with the root's <c>Sdk="Microsoft.NET.Sdk"</c> set to <paramref name="sdk"/> (when given) and every package
    /// item for which <paramref name="remove"/> is true taken out. Items with metadata beyond their version
    /// (<c>PrivateAssets</c>, <c>GeneratePathProperty</c>, <c>Aliases</c>…) are kept: TorchEnv.Sdk keeps a user item's
    /// metadata and gives it the locked version.
    /// </summary>
    public static string Rewrite(string text, string? sdk, Func<string, bool> remove)
    {
        var editor = new ProjectFileEditor(text);
        var edits = new TextEdits();
        if (sdk is not null && editor.ReadSdk() is { Form: ProjectSdkForm.MicrosoftNetSdk, Value: var (start, length) })
        {
            edits.Replace(start, length, sdk);
        }

        editor.RemoveItems(edits, remove);
        return edits.Apply(text);
    }

    private (ProjectSdkForm Form, (int Start, int Length) Value) ReadSdk()
    {
        using var reader = Reader();
        while (reader.Read() && reader.NodeType != XmlNodeType.Element)
        {
        }

        if (reader.NodeType != XmlNodeType.Element)
        {
            return (ProjectSdkForm.None, default);
        }

        var root = (IXmlLineInfo)reader;
        (int, int) span = default;
        string? value = null;
        if (reader.MoveToAttribute("Sdk"))
        {
            value = reader.Value.Trim();
            span = AttributeValue(Offset(root.LineNumber, root.LinePosition));
        }

        reader.MoveToElement();
        if (value is null)
        {
            // <Sdk Name="…" /> and <Import Sdk="…" /> name SDKs too: not a plain project TorchEnv can rewrite.
            var depth = reader.Depth;
            while (reader.Read() && reader.Depth > depth)
            {
                if (reader.NodeType == XmlNodeType.Element && reader.Depth == depth + 1
                    && (reader.LocalName == "Sdk" || (reader.LocalName == "Import" && reader.GetAttribute("Sdk") is not null)))
                {
                    return (ProjectSdkForm.Other, default);
                }
            }

            return (ProjectSdkForm.None, default);
        }

        if (value.Equals("TorchEnv.Sdk", StringComparison.OrdinalIgnoreCase) || value.StartsWith("TorchEnv.Sdk/", StringComparison.OrdinalIgnoreCase))
        {
            return (ProjectSdkForm.TorchEnvSdk, span);
        }

        return value.Equals("Microsoft.NET.Sdk", StringComparison.OrdinalIgnoreCase) ? (ProjectSdkForm.MicrosoftNetSdk, span) : (ProjectSdkForm.Other, span);
    }

    private void RemoveItems(TextEdits edits, Func<string, bool> remove)
    {
        using var reader = Reader();
        var info = (IXmlLineInfo)reader;

        // Open elements: start offset, name, whether it holds anything that stays (an item group is removed whole when not).
        var open = new Stack<(int Start, string Name, bool Keeps, List<(int Start, int End)> Removed)>();
        while (reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                {
                    var start = Offset(info.LineNumber, info.LinePosition) - 1;
                    var name = reader.LocalName;
                    if (open.Count > 0 && PackageItems.Contains(open.Peek().Name) && !VersionOnly.Contains(name))
                    {
                        // Metadata as a child element (<PrivateAssets>all</PrivateAssets>): the item stays.
                        var item = open.Pop();
                        open.Push(item with { Keeps = true });
                    }

                    var id = reader.GetAttribute("Include") ?? reader.GetAttribute("Update");
                    var isItem = PackageItems.Contains(name) && open.Count > 0 && open.Peek().Name == "ItemGroup" && id is not null;
                    var removable = isItem && remove(id!.Trim()) && OnlyVersionAttributes(reader);
                    if (reader.IsEmptyElement)
                    {
                        Child(open, removable ? (start, EndOfStartTag(start)) : null);
                    }
                    else
                    {
                        // A package item "keeps" (stays) unless removable; any other element starts empty.
                        open.Push((start, isItem ? name : name == "ItemGroup" ? name : "other:" + name, isItem && !removable, []));
                    }

                    break;
                }

                case XmlNodeType.EndElement:
                {
                    var element = open.Pop();
                    var end = _text.IndexOf('>', Offset(info.LineNumber, info.LinePosition)) + 1;
                    if (PackageItems.Contains(element.Name) && open.Count > 0 && open.Peek().Name == "ItemGroup")
                    {
                        Child(open, element.Keeps ? null : (element.Start, end));
                    }
                    else if (element.Name == "ItemGroup" && !element.Keeps && element.Removed.Count > 0)
                    {
                        Child(open, (element.Start, end));
                    }
                    else
                    {
                        foreach (var removed in element.Removed)
                        {
                            RemoveLines(edits, removed.Start, removed.End);
                        }

                        Child(open, null);
                    }

                    break;
                }

                case XmlNodeType.Comment or XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.ProcessingInstruction:
                    Child(open, null);
                    break;
            }
        }
    }

    /// <summary>Records a child of the innermost open element: a span to remove, or (null) something that stays.</summary>
    private static void Child(Stack<(int Start, string Name, bool Keeps, List<(int Start, int End)> Removed)> open, (int Start, int End)? removed)
    {
        if (open.Count == 0)
        {
            return;
        }

        var parent = open.Pop();
        if (removed is { } span)
        {
            parent.Removed.Add(span);
        }
        else if (!PackageItems.Contains(parent.Name))
        {
            // Inside a package item, child elements (Version, PrivateAssets) were judged when they started.
            parent = parent with { Keeps = true };
        }

        open.Push(parent);
    }

    /// <summary>True when the element's attributes say nothing but its id, version and condition (child elements are judged as they come).</summary>
    private static bool OnlyVersionAttributes(XmlReader reader)
    {
        var only = true;
        for (var more = reader.MoveToFirstAttribute(); more; more = reader.MoveToNextAttribute())
        {
            only &= VersionOnly.Contains(reader.LocalName) || reader.Prefix == "xmlns" || reader.LocalName == "xmlns";
        }

        reader.MoveToElement();
        return only;
    }

    /// <summary>Removes [start, end) and, when nothing else is on its lines, the lines themselves.</summary>
    private void RemoveLines(TextEdits edits, int start, int end)
    {
        var lineStart = start;
        while (lineStart > 0 && _text[lineStart - 1] is ' ' or '\t')
        {
            lineStart--;
        }

        var lineEnd = end;
        while (lineEnd < _text.Length && _text[lineEnd] is ' ' or '\t')
        {
            lineEnd++;
        }

        var ownLine = (lineStart == 0 || _text[lineStart - 1] is '\n' or '\r') && (lineEnd == _text.Length || _text[lineEnd] is '\r' or '\n');
        if (!ownLine)
        {
            edits.Replace(start, end - start, "");
            return;
        }

        if (lineEnd < _text.Length && _text[lineEnd] == '\r')
        {
            lineEnd++;
        }

        if (lineEnd < _text.Length && _text[lineEnd] == '\n')
        {
            lineEnd++;
        }

        edits.Replace(lineStart, lineEnd - lineStart, "");
    }

    private XmlReader Reader() => XmlReader.Create(new StringReader(_text), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, IgnoreWhitespace = false });

    private int Offset(int line, int column) => _lineStarts[line - 1] + column - 1;

    /// <summary>The offset just after the <c>&gt;</c> of the start tag beginning at <paramref name="start"/>, skipping quoted values.</summary>
    private int EndOfStartTag(int start)
    {
        var quote = '\0';
        for (var i = start; i < _text.Length; i++)
        {
            var c = _text[i];
            if (quote != '\0')
            {
                quote = c == quote ? '\0' : quote;
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '>')
            {
                return i + 1;
            }
        }

        throw new XmlException("Unterminated start tag.");
    }

    /// <summary>The span of an attribute's value (inside the quotes), the attribute's name starting at <paramref name="nameStart"/>.</summary>
    private (int Start, int Length) AttributeValue(int nameStart)
    {
        var open = _text.IndexOfAny(['"', '\''], nameStart);
        var close = _text.IndexOf(_text[open], open + 1);
        return (open + 1, close - open - 1);
    }
}
