using System.Xml;
using TorchEnv.Core.Diagnostics;

namespace TorchEnv.Sdk.Tasks.Restore;

/// <summary>
/// Finds where an item is declared in a project file, for error locations: MSBuild gives tasks the declaring file
/// (<c>DefiningProjectFullPath</c>) but not the line, so the file is scanned for the element whose Include or Update
/// names the id.
/// </summary>
internal static class ProjectFileLocator
{
    /// <summary>
    /// The line and column of the first <paramref name="elementName"/> element that includes or updates <paramref name="id"/>
    /// in <paramref name="file"/>; the file itself (line 1) when none is found or the file cannot be read.
    /// </summary>
    public static SourceLocation Locate(string file, string elementName, string id)
    {
        try
        {
            using var reader = XmlReader.Create(file, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            var lineInfo = (IXmlLineInfo)reader;
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element
                    && string.Equals(reader.LocalName, elementName, StringComparison.Ordinal)
                    && (Names(reader.GetAttribute("Include"), id) || Names(reader.GetAttribute("Update"), id)))
                {
                    // LinePosition points after '<'; editors and MSBuild count the '<'.
                    return new SourceLocation(file, lineInfo.LineNumber, Math.Max(1, lineInfo.LinePosition - 1));
                }
            }
        }
        catch (Exception e) when (e is IOException or XmlException or UnauthorizedAccessException)
        {
            // The location is a convenience; the error is reported either way.
        }

        return new SourceLocation(file, 1, 1);
    }

    private static bool Names(string? include, string id) =>
        include is not null
        && include.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Any(part => string.Equals(part, id, StringComparison.OrdinalIgnoreCase));
}
