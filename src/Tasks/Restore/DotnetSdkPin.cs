using NuGet.Versioning;

namespace TorchEnv.Sdk.Tasks.Restore;

/// <summary>Compares the running .NET SDK (<c>$(NETCoreSdkVersion)</c>) with the lock's <c>dotnet-sdk</c>.</summary>
internal static class DotnetSdkPin
{
    /// <summary>
    /// True when <paramref name="running"/> matches what the lock pins: the same version when the lock names one
    /// (<c>10.0.401</c>), or a version inside it when the lock records a range or float (<c>[10.0.100, 10.1)</c>, <c>10.0.*</c>).
    /// </summary>
    public static bool Matches(string locked, string running)
    {
        if (!NuGetVersion.TryParse(running, out var version))
        {
            return false;
        }

        var text = locked.Trim();
        if (NuGetVersion.TryParse(text, out var exact))
        {
            return VersionComparer.VersionRelease.Equals(exact, version);
        }

        return VersionRange.TryParse(text, allowFloating: true, out var range)
            && range.Satisfies(version)
            && (!range.IsFloating || range.Float.Satisfies(version));
    }
}
