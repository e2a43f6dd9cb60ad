namespace TorchEnv.Core.IO;

/// <summary>
/// TorchEnv's per-user folder for small files it keeps between runs (the registry of known locks, the package fact
/// cache): <c>$XDG_DATA_HOME/torchenv</c> (default <c>~/.local/share/torchenv</c>) on Linux and macOS,
/// <c>%LOCALAPPDATA%\torchenv</c> on Windows.
/// </summary>
public static class UserDataFolder
{
    /// <summary>The folder's full path (not created).</summary>
    public static string Path()
    {
        string folder;
        if (OperatingSystem.IsWindows())
        {
            folder = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        }
        else
        {
            var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
            folder = !string.IsNullOrEmpty(xdg) && System.IO.Path.IsPathRooted(xdg)
                ? xdg
                : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        }

        return System.IO.Path.Combine(folder, "torchenv");
    }
}
