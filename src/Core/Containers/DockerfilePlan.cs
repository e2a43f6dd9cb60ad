using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Lock;

namespace TorchEnv.Core.Containers;

/// <summary>
/// A generated <c>Dockerfile</c> and <c>.dockerignore</c>, with the choices behind them: the locked environment, the
/// build and runtime images, and the runtime candidates passed over (and why).
/// </summary>
public sealed record DockerfilePlan
{
    /// <summary>The locked variant × platform the image runs.</summary>
    public required LockedEnvironment Environment { get; init; }

    /// <summary>The build context: the lock's folder, where the files go.</summary>
    public required string ContextDirectory { get; init; }

    /// <summary>The entry project.</summary>
    public required EntryProject Project { get; init; }

    /// <summary>The build stage's image (<c>mcr.microsoft.com/dotnet/sdk:&lt;locked SDK&gt;-&lt;os&gt;</c>).</summary>
    public required string SdkImage { get; init; }

    /// <summary>The runtime base image and the candidates before it.</summary>
    public required BaseImageChoice Runtime { get; init; }

    /// <summary>The .NET runtime the locked SDK publishes with, null when unknown here.</summary>
    public string? RuntimeVersion { get; init; }

    /// <summary>The <c>Dockerfile</c> text.</summary>
    public required string Dockerfile { get; init; }

    /// <summary>The <c>.dockerignore</c> text.</summary>
    public required string Dockerignore { get; init; }

    /// <summary>Warnings about the result (floating tags, feeds outside the context).</summary>
    public required IReadOnlyList<Diagnostic> Warnings { get; init; }

    /// <summary>Where the Dockerfile goes.</summary>
    public string DockerfilePath => Path.Combine(ContextDirectory, "Dockerfile");

    /// <summary>Where the .dockerignore goes.</summary>
    public string DockerignorePath => Path.Combine(ContextDirectory, ".dockerignore");
}
