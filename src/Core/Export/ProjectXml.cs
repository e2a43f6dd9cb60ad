using System.Xml;
using System.Xml.Linq;
using TorchEnv.Core.Diagnostics;

namespace TorchEnv.Core.Export;

/// <summary>One condition an element sits under (its own, its group's, a Choose/When's), possibly negated (Otherwise).</summary>
internal sealed record ConditionTerm(string Text, bool Negated, SourceLocation Location);

/// <summary>A property definition as written.</summary>
internal sealed record PropertyDefinition(string Name, string Value, IReadOnlyList<ConditionTerm> Conditions, SourceLocation Location);

/// <summary>Which package item.</summary>
internal enum PackageItemKind
{
    /// <summary><c>PackageReference</c>.</summary>
    Reference,

    /// <summary><c>PackageVersion</c> (central package management).</summary>
    Version,

    /// <summary><c>GlobalPackageReference</c> (central package management: a reference with its version).</summary>
    GlobalReference,
}

/// <summary>A package item as written; <paramref name="IsUpdate"/> for <c>Update=</c> items, which change the metadata of items already included.</summary>
internal sealed record PackageItem(
    PackageItemKind Kind, string Id, string? Version, string? VersionOverride, IReadOnlyList<ConditionTerm> Conditions, SourceLocation Location,
    bool IsUpdate = false);

/// <summary>A <c>ProjectReference</c> as written: the referenced project's full path.</summary>
internal sealed record ProjectReferenceItem(string Path, IReadOnlyList<ConditionTerm> Conditions, SourceLocation Location);

/// <summary>
/// The MSBuild XML of one file read without evaluating it: property definitions and package items in document order,
/// each with every condition it sits under. Other elements (targets, imports other than the Directory.*.props chain)
/// are not needed to find a project's packages.
/// </summary>
internal sealed class ProjectXml
{
    private ProjectXml(
        string path, IReadOnlyList<PropertyDefinition> properties, IReadOnlyList<PackageItem> items,
        IReadOnlyList<ProjectReferenceItem> projectReferences, bool importsParent)
    {
        Path = path;
        Properties = properties;
        Items = items;
        ProjectReferences = projectReferences;
        ImportsParent = importsParent;
    }

    public string Path { get; }

    public IReadOnlyList<PropertyDefinition> Properties { get; }

    public IReadOnlyList<PackageItem> Items { get; }

    /// <summary>The <c>ProjectReference</c> items, in document order.</summary>
    public IReadOnlyList<ProjectReferenceItem> ProjectReferences { get; }

    /// <summary>True when the file imports the same-named file of a folder above (<c>GetPathOfFileAbove</c>).</summary>
    public bool ImportsParent { get; }

    /// <summary>Reads <paramref name="path"/>; throws TENV0541 at the XML error's line and column.</summary>
    public static ProjectXml Load(string path)
    {
        XDocument document;
        try
        {
            document = XDocument.Load(path, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            throw new TorchEnvException(ExportMessages.MalformedFile(path, e));
        }

        var properties = new List<PropertyDefinition>();
        var items = new List<PackageItem>();
        var projectReferences = new List<ProjectReferenceItem>();
        var importsParent = false;
        var fileName = System.IO.Path.GetFileName(path);
        void Walk(XElement element, IReadOnlyList<ConditionTerm> conditions)
        {
            foreach (var child in element.Elements())
            {
                var own = With(conditions, child, path);
                switch (child.Name.LocalName)
                {
                    case "PropertyGroup":
                        foreach (var property in child.Elements())
                        {
                            properties.Add(new PropertyDefinition(property.Name.LocalName, property.Value.Trim(), With(own, property, path), Where(property, path)));
                        }

                        break;
                    case "ItemGroup":
                        foreach (var item in child.Elements())
                        {
                            if (Item(item, With(own, item, path), path) is { } packageItem)
                            {
                                items.Add(packageItem);
                            }
                            else if (item.Name.LocalName == "ProjectReference" && item.Attribute("Include")?.Value.Trim() is { Length: > 0 } include)
                            {
                                var referenced = System.IO.Path.GetFullPath(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(path)!, include.Replace('\\', '/')));
                                projectReferences.Add(new ProjectReferenceItem(referenced, With(own, item, path), Where(item, path)));
                            }
                        }

                        break;
                    case "Choose":
                        var previous = new List<ConditionTerm>();
                        foreach (var branch in child.Elements())
                        {
                            var branchConditions = conditions.Concat(previous).ToList();
                            if (branch.Name.LocalName == "When" && branch.Attribute("Condition") is { } when)
                            {
                                var term = new ConditionTerm(when.Value, false, Where(when, path));
                                Walk(branch, [.. branchConditions, term]);
                                previous.Add(term with { Negated = true });
                            }
                            else if (branch.Name.LocalName == "Otherwise")
                            {
                                Walk(branch, branchConditions);
                            }
                        }

                        break;
                    case "Import":
                        var project = child.Attribute("Project")?.Value ?? "";
                        importsParent |= project.Contains("GetPathOfFileAbove", StringComparison.OrdinalIgnoreCase)
                            && project.Contains(fileName, StringComparison.OrdinalIgnoreCase);
                        break;
                }
            }
        }

        if (document.Root is { } root)
        {
            Walk(root, []);
        }

        return new ProjectXml(path, properties, items, projectReferences, importsParent);
    }

    private static PackageItem? Item(XElement item, IReadOnlyList<ConditionTerm> conditions, string path)
    {
        var kind = item.Name.LocalName switch
        {
            "PackageReference" => PackageItemKind.Reference,
            "PackageVersion" => PackageItemKind.Version,
            "GlobalPackageReference" => PackageItemKind.GlobalReference,
            _ => (PackageItemKind?)null,
        };
        var include = item.Attribute("Include")?.Value.Trim();
        var update = item.Attribute("Update")?.Value.Trim();
        var id = string.IsNullOrEmpty(include) ? update : include;
        if (kind is null || string.IsNullOrEmpty(id))
        {
            return null;
        }

        string? Metadata(string name) =>
            (item.Attribute(name)?.Value ?? item.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value)?.Trim();

        return new PackageItem(kind.Value, id, Metadata("Version"), Metadata("VersionOverride"), conditions, Where(item, path), IsUpdate: string.IsNullOrEmpty(include));
    }

    private static IReadOnlyList<ConditionTerm> With(IReadOnlyList<ConditionTerm> outer, XElement element, string path) =>
        element.Attribute("Condition") is { } condition && !string.IsNullOrWhiteSpace(condition.Value)
            ? [.. outer, new ConditionTerm(condition.Value, false, Where(condition, path))]
            : outer;

    private static SourceLocation Where(XObject node, string path) =>
        node is IXmlLineInfo info && info.HasLineInfo() ? new SourceLocation(path, info.LineNumber, info.LinePosition) : new SourceLocation(path, 1, 1);
}
