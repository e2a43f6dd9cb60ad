using System.Text.Json;
using System.Text.RegularExpressions;
using NuGet.Versioning;
using TorchEnv.Core.Diagnostics;

namespace TorchEnv.Core.Export;

/// <summary>
/// What restore recorded in <c>obj/project.assets.json</c>: the package versions it chose per target framework, and
/// the .NET SDK that ran it (from the path of the SDK's runtime-identifier graph).
/// </summary>
internal sealed partial class RestoredAssets
{
    private readonly Dictionary<string, Dictionary<string, NuGetVersion>> _packages;

    private RestoredAssets(string path, Dictionary<string, Dictionary<string, NuGetVersion>> packages, string? sdkVersion)
    {
        Path = path;
        _packages = packages;
        SdkVersion = sdkVersion;
    }

    /// <summary>The assets file.</summary>
    public string Path { get; }

    /// <summary>The .NET SDK version that restored, when the file shows it.</summary>
    public string? SdkVersion { get; }

    [GeneratedRegex(@"[/\\]sdk[/\\](?<version>\d+\.\d+\.\d+[^/\\]*)[/\\]", RegexOptions.IgnoreCase)]
    private static partial Regex SdkFolder();

    /// <summary>Reads the file; null when it does not exist; TENV0541 when it is not JSON of the expected shape.</summary>
    public static RestoredAssets? TryRead(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var root = document.RootElement;
            var packages = new Dictionary<string, Dictionary<string, NuGetVersion>>(StringComparer.OrdinalIgnoreCase);
            if (root.TryGetProperty("targets", out var targets))
            {
                foreach (var target in targets.EnumerateObject())
                {
                    // "net10.0" and "net10.0/linux-x64" hold the same package versions; the first one read wins.
                    var framework = target.Name.Split('/')[0];
                    var map = packages.TryGetValue(framework, out var existing) ? existing : packages[framework] = new(StringComparer.OrdinalIgnoreCase);
                    foreach (var library in target.Value.EnumerateObject())
                    {
                        if (library.Value.TryGetProperty("type", out var type) && type.GetString() != "package")
                        {
                            continue;
                        }

                        var slash = library.Name.IndexOf('/');
                        if (slash > 0 && NuGetVersion.TryParse(library.Name[(slash + 1)..], out var version))
                        {
                            map.TryAdd(library.Name[..slash], version);
                        }
                    }
                }
            }

            string? sdk = null;
            if (root.TryGetProperty("project", out var project) && project.TryGetProperty("frameworks", out var frameworks))
            {
                foreach (var framework in frameworks.EnumerateObject())
                {
                    if (framework.Value.TryGetProperty("runtimeIdentifierGraphPath", out var graph)
                        && SdkFolder().Match(graph.GetString() ?? "") is { Success: true } match)
                    {
                        sdk = match.Groups["version"].Value;
                    }
                }
            }

            return new RestoredAssets(path, packages, sdk);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new TorchEnvException(ExportMessages.MalformedFile(new Diagnostics.SourceLocation(path, 1, 1), e.Message));
        }
    }

    /// <summary>The version restore chose for <paramref name="id"/> under <paramref name="framework"/> (short folder name), or null.</summary>
    public NuGetVersion? VersionOf(string id, string framework) =>
        _packages.TryGetValue(framework, out var map) && map.TryGetValue(id, out var version) ? version : null;

    /// <summary>Every package id restored for <paramref name="framework"/>.</summary>
    public IEnumerable<string> Ids(string framework) => _packages.TryGetValue(framework, out var map) ? map.Keys : [];
}
