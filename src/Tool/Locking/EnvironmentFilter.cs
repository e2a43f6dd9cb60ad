using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Lock;
using TorchEnv.Tool.Cli;

namespace TorchEnv.Tool.Locking;

/// <summary><c>--variant</c> / <c>--platform</c> against the environments of a lock: unknown names are usage errors.</summary>
internal static class EnvironmentFilter
{
    /// <summary>Throws TENV0507 (exit 64) when the lock has no such variant, platform, or pair.</summary>
    public static void Validate(EnvironmentLock lockFile, string? variant, string? platform)
    {
        Require("variant", variant, lockFile.Environments.Select(e => e.Variant));
        Require("platform", platform, lockFile.Environments.Select(e => e.Platform));
        if (variant is not null && platform is not null && lockFile.Find(variant, platform) is null)
        {
            Require("variant × platform", $"{variant}/{platform}", lockFile.Environments.Select(e => e.Key));
        }
    }

    /// <summary>True when <paramref name="environment"/> passes the filters (null: any).</summary>
    public static bool Matches(LockedEnvironment environment, string? variant, string? platform) =>
        (variant is null || string.Equals(environment.Variant, variant, StringComparison.OrdinalIgnoreCase))
        && (platform is null || string.Equals(environment.Platform, platform, StringComparison.OrdinalIgnoreCase));

    private static void Require(string what, string? value, IEnumerable<string> known)
    {
        var names = known.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (value is not null && !names.Contains(value, StringComparer.OrdinalIgnoreCase))
        {
            throw new TorchEnvException(ToolMessages.UnknownEnvironment(what, value, names));
        }
    }
}
