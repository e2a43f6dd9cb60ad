using System.Xml.Linq;

namespace TorchEnv.Sdk.Tests.Support;

/// <summary>An item read back from a generated items file, with MSBuild escaping undone.</summary>
internal sealed record ReadItem(string Include, IReadOnlyDictionary<string, string> Metadata)
{
    public string this[string name] => Metadata.TryGetValue(name, out var value) ? value : "";
}

/// <summary>Reads the items files the tasks write (as MSBuild would see them).</summary>
internal static class ItemsFileReader
{
    public static IReadOnlyList<ReadItem> Read(string path) =>
        XDocument.Load(path).Root!.Elements("ItemGroup").Elements()
            .Select(e => new ReadItem(
                Uri.UnescapeDataString((string)e.Attribute("Include")!),
                e.Elements().ToDictionary(m => m.Name.LocalName, m => Uri.UnescapeDataString(m.Value))))
            .ToList();
}
