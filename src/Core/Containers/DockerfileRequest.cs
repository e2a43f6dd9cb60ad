using TorchEnv.Core.Lock;
using TorchEnv.Core.Resolution;

namespace TorchEnv.Core.Containers;

/// <summary>What <see cref="DockerfileGenerator.Plan"/> needs.</summary>
public sealed record DockerfileRequest
{
    /// <summary>The lock the image is built from.</summary>
    public required EnvironmentLock Lock { get; init; }

    /// <summary>Path of the lock file; its folder is the build context and where the files are written.</summary>
    public required string LockPath { get; init; }

    /// <summary>The variant to build; null for the lock's first (default) variant.</summary>
    public string? Variant { get; init; }

    /// <summary>The entry project (absolute or relative to the current directory); null to find it in the build context.</summary>
    public string? Project { get; init; }

    /// <summary>The .NET installation to read the runtime bundled with the locked SDK from; null for the running one.</summary>
    public DotnetInstallation? Dotnet { get; init; }
}
