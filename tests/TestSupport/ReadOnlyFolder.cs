namespace TorchEnv.TestSupport;

/// <summary>
/// Makes a folder tree read-only for as long as it is held, the way a shared or mounted NuGet cache is. Permission bits
/// do not stop root (which CI machines here run as), so for root every entry gets the immutable attribute
/// (<c>chattr +i</c>), which stops root too; otherwise the write bits are removed. Disposing restores both.
/// </summary>
public sealed class ReadOnlyFolder : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);
    private readonly string _path;
    private readonly Dictionary<string, UnixFileMode> _modes = new(StringComparer.Ordinal);

    private ReadOnlyFolder(string path)
    {
        _path = path;
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Read-only folders are made with Unix file modes or chattr.");
        }

        if (Environment.IsPrivilegedProcess)
        {
            ProcessRunner.RunChecked("chattr", ["-R", "+i", path], Timeout);
            return;
        }

        foreach (var entry in Directory.EnumerateFileSystemEntries(path, "*", SearchOption.AllDirectories).Append(path))
        {
            var mode = File.GetUnixFileMode(entry);
            _modes[entry] = mode;
            File.SetUnixFileMode(entry, mode & ~(UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite));
        }
    }

    /// <summary>Makes <paramref name="path"/> and everything below it read-only until disposed.</summary>
    public static ReadOnlyFolder Make(string path) => new(Path.GetFullPath(path));

    /// <inheritdoc />
    public void Dispose()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        if (Environment.IsPrivilegedProcess)
        {
            ProcessRunner.RunChecked("chattr", ["-R", "-i", _path], Timeout);
            return;
        }

        foreach (var (entry, mode) in _modes)
        {
            File.SetUnixFileMode(entry, mode);
        }
    }
}
