using NuGet.Versioning;
using TorchEnv.Core.Versioning;

namespace TorchEnv.Core.Lock;

/// <summary>
/// Whether a .NET SDK is the one the lock's <c>dotnet-sdk</c> pins: one comparison for the build (the running SDK,
/// <c>$(NETCoreSdkVersion)</c>) and <c>torchenv doctor</c> (the installed SDKs).
/// </summary>
internal static class DotnetSdkPin
{
    /// <summary>
    /// True when <paramref name="sdk"/> matches what the lock pins: the same version when the lock names one
    /// (<c>10.0.401</c>), or a version inside it when the lock records a range or float (<c>[10.0.100, 10.1)</c>, <c>10.0.*</c>).
    /// </summary>
    public static bool Matches(string locked, string sdk)
    {
        if (!NuGetVersion.TryParse(sdk, out var version))
        {
            return false;
        }

        var text = locked.Trim();
        if (NuGetVersion.TryParse(text, out var exact))
        {
            return VersionComparer.VersionRelease.Equals(exact, version);
        }

        return VersionRange.TryParse(text, allowFloating: true, out var range) && VersionRanges.Allows(range, version);
    }
}
