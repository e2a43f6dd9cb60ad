namespace TorchEnv.Core.Spec;

/// <summary>Tells source names, URLs and local folders apart, the way users write them in <c>channels:</c>.</summary>
internal static class ChannelClassifier
{
    /// <summary>Classifies a channel as written (the parser has already rejected URLs of other schemes).</summary>
    public static ChannelKind Classify(string value)
    {
        if (value.Contains("://", StringComparison.Ordinal))
        {
            return ChannelKind.Url;
        }

        return LooksLikePath(value) ? ChannelKind.LocalFolder : ChannelKind.SourceName;
    }

    /// <summary>The scheme of a URL-like channel (<c>https</c>, <c>ftp</c>…), or null.</summary>
    public static string? Scheme(string value)
    {
        var end = value.IndexOf("://", StringComparison.Ordinal);
        return end > 0 ? value[..end].ToLowerInvariant() : null;
    }

    /// <summary>The full path of a local folder channel, relative to the spec's folder.</summary>
    public static string ResolveFolder(string value, string specFile)
    {
        if (value == "~" || value.StartsWith("~/", StringComparison.Ordinal) || value.StartsWith("~\\", StringComparison.Ordinal))
        {
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            return Path.GetFullPath(Path.Join(home, value[1..]));
        }

        var baseFolder = Path.GetDirectoryName(Path.GetFullPath(specFile)) ?? Directory.GetCurrentDirectory();
        return Path.GetFullPath(value, baseFolder);
    }

    // A source name from NuGet.config (e.g. "nuget.org", "My Feed") has no slash; a folder is a path.
    private static bool LooksLikePath(string value) =>
        value.StartsWith('.') && (value.Length == 1 || value[1] is '/' or '\\' or '.')
        || value.StartsWith('/') || value.StartsWith('\\') || value.StartsWith('~')
        || (value.Length >= 2 && char.IsAsciiLetter(value[0]) && value[1] == ':')
        || value.Contains('/') || value.Contains('\\');
}
