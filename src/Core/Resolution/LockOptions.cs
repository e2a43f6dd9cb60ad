using NuGet.Common;

namespace TorchEnv.Core.Resolution;

/// <summary>How <see cref="EnvironmentLocker"/> resolves and where it puts packages.</summary>
public sealed record LockOptions
{
    /// <summary>Global packages folder to read and install into; null means the one restore uses (NuGet.config, <c>NUGET_PACKAGES</c>).</summary>
    public string? GlobalPackagesFolder { get; init; }

    /// <summary>Which locked versions to forget and resolve fresh (<c>lock --update</c>); default none.</summary>
    public LockUpdate Update { get; init; } = LockUpdate.None;

    /// <summary>
    /// Which entries' packages are installed into the global packages folder; the others are read from temporary
    /// downloads and never extracted. Default: this machine's platform in the spec's first variant.
    /// </summary>
    public LockInstallScope Install { get; init; } = LockInstallScope.Host;

    /// <summary>
    /// The fact cache file (<see cref="PackageFactCache.DefaultPath(Func{string, string?})"/> for the user's); null for none:
    /// every package not installed is then downloaded to read it.
    /// </summary>
    public string? FactCachePath { get; init; }

    /// <summary>Folder for temporary downloads; null for the system's temporary folder.</summary>
    public string? TemporaryFolder { get; init; }

    /// <summary>Counts what the lock read (thread-safe); null for none.</summary>
    public LockStatistics? Statistics { get; init; }

    /// <summary>How many packages may download at once.</summary>
    public int MaxConcurrentDownloads { get; init; } = 4;

    /// <summary>Receives download progress (from several threads); null for none.</summary>
    public IProgress<PackageDownloadProgress>? Progress { get; init; }

    /// <summary>NuGet's log (source requests, installs); null for none.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>The .NET installation whose SDKs and pruning data apply; null means the one running TorchEnv.</summary>
    public DotnetInstallation? Dotnet { get; init; }

    /// <summary>Version written as <c>tool:</c>; null means this assembly's version.</summary>
    public string? ToolVersion { get; init; }
}

/// <summary>Which packages <c>lock --update</c> re-resolves fresh instead of keeping their locked versions.</summary>
public sealed record LockUpdate
{
    private LockUpdate(bool all, IReadOnlySet<string> ids)
    {
        IsAll = all;
        Ids = ids;
    }

    /// <summary>Keep every locked version that still satisfies its constraints (plain <c>lock</c>).</summary>
    public static LockUpdate None { get; } = new(false, new HashSet<string>());

    /// <summary>Ignore the existing lock entirely (<c>lock --update</c> without ids).</summary>
    public static LockUpdate All { get; } = new(true, new HashSet<string>());

    /// <summary>True when every package is re-resolved.</summary>
    public bool IsAll { get; }

    /// <summary>Package ids re-resolved (case-insensitive); <c>dotnet-sdk</c> names the .NET SDK.</summary>
    public IReadOnlySet<string> Ids { get; }

    /// <summary>Re-resolve only these ids.</summary>
    public static LockUpdate Packages(IEnumerable<string> ids) =>
        new(false, new HashSet<string>(ids, StringComparer.OrdinalIgnoreCase));

    /// <summary>True when the locked version of <paramref name="id"/> must not be kept.</summary>
    public bool Includes(string id) => IsAll || Ids.Contains(id);
}
