using System.Security;
using System.Text;

namespace TorchEnv.TestSupport;

/// <summary>
/// The NuGet.config a test project gets: no inherited sources, only the given ones, and a global packages folder of the
/// test's own, so no test reads or fills the user's packages.
/// </summary>
public static class NuGetConfigText
{
    /// <summary>A NuGet.config with <paramref name="sources"/> (key and folder or URL, in order) and <paramref name="globalPackagesFolder"/>.</summary>
    public static string For(string globalPackagesFolder, params (string Key, string Source)[] sources)
    {
        var text = new StringBuilder();
        text.Append("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <packageSources>\n    <clear />\n");
        foreach (var (key, source) in sources)
        {
            text.Append($"    <add key=\"{SecurityElement.Escape(key)}\" value=\"{SecurityElement.Escape(source)}\" />\n");
        }

        text.Append("  </packageSources>\n  <config>\n");
        text.Append($"    <add key=\"globalPackagesFolder\" value=\"{SecurityElement.Escape(globalPackagesFolder)}\" />\n");
        text.Append("  </config>\n</configuration>\n");
        return text.ToString();
    }
}
