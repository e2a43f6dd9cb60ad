using NuGet.Common;
using NuGet.Configuration;

namespace TorchEnv.Core.Packages;

/// <summary>Where restore puts packages for a folder, without needing a spec or any package source.</summary>
public static class GlobalPackagesFolderLocator
{
    /// <summary>The environment variable that, when set, wins over every NuGet.config (NuGet's documented precedence).</summary>
    public const string EnvironmentVariable = "NUGET_PACKAGES";

    /// <summary>
    /// The global packages folder <c>dotnet restore</c> uses for projects in <paramref name="directory"/>: <c>NUGET_PACKAGES</c>,
    /// else <c>globalPackagesFolder</c> from the NuGet.config files that apply there, else <c>~/.nuget/packages</c>.
    /// </summary>
    public static string For(string directory) => For(directory, Environment.GetEnvironmentVariable);

    /// <summary>
    /// As <see cref="For(string)"/>, with <c>NUGET_PACKAGES</c> read through <paramref name="getEnvironmentVariable"/>
    /// (the tool's host, so a command run in-process sees the variables its host gives, not the process's).
    /// A relative <c>NUGET_PACKAGES</c> is taken relative to <paramref name="directory"/>.
    /// </summary>
    public static string For(string directory, Func<string, string?> getEnvironmentVariable) =>
        From(Settings.LoadDefaultSettings(directory), directory, getEnvironmentVariable);

    /// <summary>
    /// The folder for already loaded <paramref name="settings"/>. NuGet's own <c>SettingsUtility.GetGlobalPackagesFolder</c>
    /// reads <c>NUGET_PACKAGES</c> from the process environment only, so the precedence is applied here.
    /// </summary>
    internal static string From(ISettings settings, string directory, Func<string, string?> getEnvironmentVariable)
    {
        if (getEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment)
        {
            return Path.GetFullPath(fromEnvironment, directory);
        }

        // isPath: a relative value is relative to the NuGet.config that sets it, as restore takes it.
        var configured = SettingsUtility.GetValueForAddItem(settings, ConfigurationConstants.Config, ConfigurationConstants.GlobalPackagesFolder, isPath: true);
        return Path.GetFullPath(string.IsNullOrEmpty(configured)
            ? Path.Combine(NuGetEnvironment.GetFolderPath(NuGetFolderPath.NuGetHome), "packages")
            : configured);
    }
}
