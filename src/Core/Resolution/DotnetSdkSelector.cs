using NuGet.Versioning;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Versioning;

namespace TorchEnv.Core.Resolution;

/// <summary>Chooses the .NET SDK version a lock pins from the spec's <c>dotnet-sdk</c> range and the installed SDKs.</summary>
public static class DotnetSdkSelector
{
    /// <summary>
    /// Keeps <paramref name="locked"/> while it satisfies the range (so a lock does not move between machines with other
    /// SDKs); otherwise the highest installed SDK the range allows, stable before prerelease.
    /// </summary>
    /// <exception cref="TorchEnvException">TENV0211 when no installed SDK satisfies the range (the message lists them).</exception>
    public static NuGetVersion Select(
        VersionRange range, IReadOnlyList<NuGetVersion> installed, NuGetVersion? locked, SourceLocation? location = null)
    {
        if (locked is not null && VersionRanges.Allows(range, locked))
        {
            return locked;
        }

        var allowed = installed.Where(v => VersionRanges.Allows(range, v)).ToList();
        var choice = allowed.Where(v => !v.IsPrerelease).DefaultIfEmpty().Max() ?? allowed.DefaultIfEmpty().Max();
        return choice ?? throw new TorchEnvException(ResolutionMessages.NoMatchingSdk(range, installed, location));
    }
}
