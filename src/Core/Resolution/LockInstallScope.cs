using TorchEnv.Core.Native;
using TorchEnv.Core.Spec;
using TorchEnv.Core.Stack;

namespace TorchEnv.Core.Resolution;

/// <summary>
/// Which entries of a lock have their packages installed into the global packages folder while locking: those this
/// machine restores (so its next restore downloads nothing). Every other entry's packages are downloaded into a
/// temporary folder, read for what the lock needs, and deleted.
/// </summary>
public sealed record LockInstallScope
{
    private LockInstallScope(string? variant, string? platform, bool all)
    {
        Variant = variant;
        Platform = platform;
        IsAll = all;
    }

    /// <summary>
    /// The build's default: this machine's platform (<see cref="HostPlatform.Current"/>) in the variant a build uses
    /// without <c>TorchEnvVariant</c> (the spec's first).
    /// </summary>
    public static LockInstallScope Host { get; } = new(null, null, false);

    /// <summary>Every entry, as locking did before: everything downloaded and extracted.</summary>
    public static LockInstallScope All { get; } = new(null, null, true);

    /// <summary>Variant installed; null for the spec's first.</summary>
    public string? Variant { get; }

    /// <summary>Platform installed; null for this machine's.</summary>
    public string? Platform { get; }

    /// <summary>True when every entry is installed.</summary>
    public bool IsAll { get; }

    /// <summary>One variant × platform (null parts as in <see cref="Host"/>).</summary>
    public static LockInstallScope Only(string? variant, string? platform) => new(variant, platform, false);

    /// <summary>True when <paramref name="plan"/>'s packages are installed.</summary>
    public bool Includes(EnvironmentSpec spec, StackPlan plan)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(plan);
        if (IsAll)
        {
            return true;
        }

        var variant = Variant ?? (spec.Variants.Count > 0 ? spec.DefaultVariant.Name : plan.Variant);
        return string.Equals(plan.Variant, variant, StringComparison.OrdinalIgnoreCase)
            && string.Equals(plan.Platform, HostPlatform.Or(Platform), StringComparison.OrdinalIgnoreCase);
    }
}
