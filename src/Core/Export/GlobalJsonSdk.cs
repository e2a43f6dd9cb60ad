using System.Text.Json;
using NuGet.Versioning;

namespace TorchEnv.Core.Export;

/// <summary>The <c>sdk</c> section of <c>global.json</c>: the version and its roll-forward policy as a conda range.</summary>
internal static class GlobalJsonSdk
{
    /// <summary>The SDK version and <c>rollForward</c> (default <c>latestPatch</c>, as the .NET host applies); nulls when absent or unreadable.</summary>
    public static (NuGetVersion? Version, string RollForward) Read(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (!document.RootElement.TryGetProperty("sdk", out var sdk) || sdk.ValueKind != JsonValueKind.Object)
            {
                return (null, "latestPatch");
            }

            var version = sdk.TryGetProperty("version", out var v) && NuGetVersion.TryParse(v.GetString(), out var parsed) ? parsed : null;
            var roll = sdk.TryGetProperty("rollForward", out var r) ? r.GetString() ?? "latestPatch" : "latestPatch";
            return (version, roll);
        }
        catch (JsonException)
        {
            return (null, "latestPatch");
        }
    }

    /// <summary>
    /// The SDK versions the policy accepts, as a conda range: <c>patch</c>/<c>latestPatch</c> stay in the feature band
    /// (10.0.1xx), <c>feature</c>/<c>latestFeature</c> in the minor (10.0.x), <c>minor</c>/<c>latestMinor</c> in the major,
    /// <c>major</c>/<c>latestMajor</c> anything newer, <c>disable</c> exactly the version.
    /// </summary>
    public static string ToCondaRange(NuGetVersion version, string rollForward)
    {
        var low = ">=" + version.ToNormalizedString();
        var band = version.Patch / 100;
        return rollForward.ToLowerInvariant() switch
        {
            "disable" => "==" + version.ToNormalizedString(),
            "patch" or "latestpatch" => $"{low},<{version.Major}.{version.Minor}.{(band + 1) * 100}",
            "feature" or "latestfeature" => $"{low},<{version.Major}.{version.Minor + 1}",
            "minor" or "latestminor" => $"{low},<{version.Major + 1}",
            _ => low,
        };
    }
}
