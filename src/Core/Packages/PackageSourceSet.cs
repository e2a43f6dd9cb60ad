using NuGet.Configuration;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Spec;

namespace TorchEnv.Core.Packages;

/// <summary>
/// The NuGet side of a spec: settings loaded the way <c>dotnet restore</c> loads them (the NuGet.config hierarchy from the
/// spec's folder up, user and machine configs, <c>packageSourceCredentials</c>), the sources the spec's <c>channels:</c>
/// select, and the global packages folder (<c>NUGET_PACKAGES</c>, <c>globalPackagesFolder</c>, or <c>~/.nuget/packages</c>).
/// </summary>
public sealed class PackageSourceSet
{
    private PackageSourceSet(ISettings settings, string specDirectory, string globalPackagesFolder, IReadOnlyList<PackageSource> sources)
    {
        Settings = settings;
        SpecDirectory = specDirectory;
        GlobalPackagesFolder = globalPackagesFolder;
        Sources = sources;
    }

    /// <summary>The loaded NuGet settings.</summary>
    public ISettings Settings { get; }

    /// <summary>Folder of the spec; relative local channels and recorded local sources are relative to it.</summary>
    public string SpecDirectory { get; }

    /// <summary>Full path of the global packages folder packages are read from and installed into.</summary>
    public string GlobalPackagesFolder { get; }

    /// <summary>The sources to resolve against, in priority order (a version is taken from the first source that has it).</summary>
    public IReadOnlyList<PackageSource> Sources { get; }

    /// <summary>Loads settings and sources for a spec (its folder and its channels).</summary>
    /// <param name="spec">The spec.</param>
    /// <param name="globalPackagesFolder">
    /// The global packages folder (the tool's, read through its host; tests that need isolation); null = as restore finds it
    /// from this process's environment and NuGet.config.
    /// </param>
    public static PackageSourceSet Load(EnvironmentSpec spec, string? globalPackagesFolder = null) =>
        Load(spec.FilePath, spec.Channels, globalPackagesFolder);

    /// <summary>Loads settings from the folder of <paramref name="specPath"/> and selects the sources the channels name.</summary>
    /// <exception cref="TorchEnvException">A channel names no configured source, a missing folder, or nothing is configured.</exception>
    public static PackageSourceSet Load(string specPath, IReadOnlyList<ChannelSpec> channels, string? globalPackagesFolder = null)
    {
        var specDirectory = Path.GetDirectoryName(Path.GetFullPath(specPath))!;
        var settings = NuGet.Configuration.Settings.LoadDefaultSettings(specDirectory);
        var configured = new PackageSourceProvider(settings).LoadPackageSources().ToList();
        var folder = Path.GetFullPath(globalPackagesFolder ?? GlobalPackagesFolderLocator.From(settings, specDirectory, Environment.GetEnvironmentVariable));

        var sources = channels.Count == 0
            ? SourcesFromConfig(configured, specPath)
            : SourcesFromChannels(channels, configured);
        return new PackageSourceSet(settings, specDirectory, folder, sources);
    }

    /// <summary>
    /// How a source is written in the lock: the URL for HTTP sources, and for local folders the path relative to the
    /// spec's folder with forward slashes (so a lock stays valid in a clone elsewhere).
    /// </summary>
    public string Describe(PackageSource source) => DescribeSource(source.Source, SpecDirectory);

    /// <summary>The configured source that <see cref="Describe"/> turned into <paramref name="recorded"/>, or null.</summary>
    public PackageSource? FindByDescription(string recorded) =>
        Sources.FirstOrDefault(s => string.Equals(Describe(s), recorded, StringComparison.Ordinal));

    /// <summary>The configured source whose location equals <paramref name="location"/> (URL or full folder path), or null.</summary>
    public PackageSource? FindByLocation(string? location)
    {
        if (string.IsNullOrEmpty(location))
        {
            return null;
        }

        return Sources.FirstOrDefault(s => SameLocation(s.Source, location));
    }

    internal static string DescribeSource(string source, string specDirectory)
    {
        if (IsHttp(source))
        {
            return source;
        }

        var local = LocalPath(source);
        var relative = Path.GetRelativePath(specDirectory, local);
        return relative.Replace('\\', '/');
    }

    private static IReadOnlyList<PackageSource> SourcesFromConfig(List<PackageSource> configured, string specPath)
    {
        var enabled = configured.Where(s => s.IsEnabled).ToList();
        if (enabled.Count == 0)
        {
            throw new TorchEnvException(PackageMessages.NoSources(specPath));
        }

        return enabled;
    }

    private static IReadOnlyList<PackageSource> SourcesFromChannels(
        IReadOnlyList<ChannelSpec> channels, List<PackageSource> configured)
    {
        var sources = new List<PackageSource>();
        var errors = new List<Diagnostic>();
        foreach (var channel in channels)
        {
            var source = SourceForChannel(channel, configured, errors);
            if (source is not null && !sources.Any(s => SameLocation(s.Source, source.Source)))
            {
                sources.Add(source);
            }
        }

        if (errors.Count > 0)
        {
            throw new TorchEnvException(errors);
        }

        return sources;
    }

    private static PackageSource? SourceForChannel(ChannelSpec channel, List<PackageSource> configured, List<Diagnostic> errors)
    {
        var value = channel.Value.Trim();
        switch (channel.Kind)
        {
            case ChannelKind.Url:
                // A URL that NuGet.config also lists gets that entry, so its packageSourceCredentials apply as in restore.
                return configured.FirstOrDefault(s => SameLocation(s.Source, value)) ?? new PackageSource(value);

            case ChannelKind.LocalFolder:
                var full = channel.ResolveFolder();
                if (!Directory.Exists(full))
                {
                    errors.Add(PackageMessages.MissingFolder(channel, full));
                    return null;
                }

                return new PackageSource(full, value);

            default:
                var named = configured.FirstOrDefault(s => string.Equals(s.Name, value, StringComparison.OrdinalIgnoreCase));
                if (named is null)
                {
                    errors.Add(PackageMessages.UnknownChannel(channel, configured.Select(s => s.Name).ToList()));
                    return null;
                }

                if (!named.IsEnabled)
                {
                    errors.Add(PackageMessages.DisabledSource(channel, named.Name));
                    return null;
                }

                return named;
        }
    }

    internal static bool IsHttp(string value) =>
        value.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("http://", StringComparison.OrdinalIgnoreCase);

    private static string LocalPath(string source) =>
        source.StartsWith("file://", StringComparison.OrdinalIgnoreCase) ? new Uri(source).LocalPath : Path.GetFullPath(source);

    internal static bool SameLocation(string a, string b)
    {
        if (IsHttp(a) || IsHttp(b))
        {
            return string.Equals(a.TrimEnd('/'), b.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);
        }

        return string.Equals(
            Path.TrimEndingDirectorySeparator(LocalPath(a)),
            Path.TrimEndingDirectorySeparator(LocalPath(b)),
            OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);
    }
}
