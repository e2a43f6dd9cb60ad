using NuGet.Configuration;

namespace TorchEnv.Core.Resolution;

/// <summary>Where restore puts packages for a folder, without needing a spec or any package source.</summary>
public static class GlobalPackagesFolderLocator
{
    /// <summary>
    /// The global packages folder <c>dotnet restore</c> uses for projects in <paramref name="directory"/>: <c>NUGET_PACKAGES</c>,
    /// else <c>globalPackagesFolder</c> from the NuGet.config files that apply there, else <c>~/.nuget/packages</c>.
    /// </summary>
    public static string For(string directory) =>
        Path.GetFullPath(SettingsUtility.GetGlobalPackagesFolder(Settings.LoadDefaultSettings(directory)));
}
