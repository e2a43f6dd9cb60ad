using Microsoft.Build.Framework;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Native;

namespace TorchEnv.Sdk.Tasks;

/// <summary>A task that works on one variant × platform of an existing lock (after the exact-restore step resolved it).</summary>
public abstract class LockEntryTask : TaskBase
{
    /// <summary>Full path of <c>environment.lock.yml</c>.</summary>
    [Required]
    public string LockFile { get; set; } = "";

    /// <summary>The variant the exact-restore step resolved (<c>$(TorchEnvResolvedVariant)</c>); empty when it resolved none.</summary>
    public string? Variant { get; set; }

    /// <summary>The platform whose packages were restored; empty (not passed) for this host's (Core's <see cref="HostPlatform"/>).</summary>
    public string Platform { get => _platform; set => _platform = HostPlatform.Or(value); }

    private string _platform = HostPlatform.Current;

    /// <summary>
    /// The lock and its entry, or null when there is nothing to work on: no resolved variant (a design-time build
    /// without lock), no lock, or no entry — the exact-restore step has already reported why.
    /// </summary>
    private protected (EnvironmentLock Lock, LockedEnvironment Entry)? ReadEntry()
    {
        if (string.IsNullOrEmpty(Variant) || !File.Exists(LockFile))
        {
            return null;
        }

        var environmentLock = Core.ReadLock(LockFile);
        return environmentLock.Find(Variant!, Platform) is { } entry ? (environmentLock, entry) : null;
    }
}
