using System.Text.Json;
using System.Text.Json.Serialization;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.IO;
using TorchEnv.Core.Lock;

namespace TorchEnv.Core.Cache;

/// <summary>A lock the registry knows: where it is and when TorchEnv last wrote or built with it.</summary>
/// <param name="Path">Full path of the lock file.</param>
/// <param name="LastUsed">When it was last recorded (UTC).</param>
public sealed record RegisteredLock(string Path, DateTimeOffset LastUsed);

/// <summary>
/// The per-user registry of the locks TorchEnv has written or built with, so that <c>torchenv cache</c> knows which
/// cached packages are still needed (conda knows its environments; NuGet's global packages folder does not know its
/// projects). A small JSON file, by default <c>$XDG_DATA_HOME/torchenv/locks.json</c> (<c>~/.local/share/torchenv/</c>)
/// on Linux and macOS and <c>%LOCALAPPDATA%\torchenv\locks.json</c> on Windows; <c>TORCHENV_LOCK_REGISTRY</c> names
/// another file. Writers take a cross-process file lock and replace the file atomically, so concurrent builds never
/// lose each other's entries and readers never see half a file. Locks whose files are gone drop out.
/// </summary>
/// <remarks>
/// Call <see cref="Record"/> after writing a lock (<c>torchenv lock</c>) and when a build uses one (TorchEnv.Sdk); it is
/// cheap (one small file) and never throws for an unwritable registry unless asked to (<see cref="TryRecord"/>).
/// </remarks>
public sealed class LockRegistry
{
    /// <summary>The environment variable that overrides the registry file's path.</summary>
    public const string PathVariable = "TORCHENV_LOCK_REGISTRY";

    private const int FormatVersion = 1;
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Uses the registry file at <paramref name="path"/>.</summary>
    public LockRegistry(string path) => Path = System.IO.Path.GetFullPath(path);

    /// <summary>Full path of the registry file.</summary>
    public string Path { get; }

    /// <summary>The registry of the current user (<see cref="DefaultPath()"/>).</summary>
    public static LockRegistry Default() => new(DefaultPath());

    /// <summary><c>TORCHENV_LOCK_REGISTRY</c> when set, else the per-user data folder's <c>torchenv/locks.json</c>.</summary>
    public static string DefaultPath() => DefaultPath(Environment.GetEnvironmentVariable);

    /// <summary><see cref="DefaultPath()"/> with the override variable read through <paramref name="getVariable"/> (a tool host's environment).</summary>
    public static string DefaultPath(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        if (getVariable(PathVariable) is { Length: > 0 } overridden)
        {
            return overridden;
        }

        return System.IO.Path.Combine(UserDataFolder.Path(), "locks.json");
    }

    /// <summary>
    /// Adds <paramref name="lockPath"/> (or refreshes its time) and drops entries whose files are gone. A registry that
    /// cannot be parsed is moved aside (<c>locks.json.corrupt-…</c>) and started afresh. Throws
    /// <see cref="TorchEnvException"/> TENV0572 when another process holds the registry for 30 s.
    /// </summary>
    public void Record(string lockPath)
    {
        ArgumentNullException.ThrowIfNull(lockPath);
        var full = System.IO.Path.GetFullPath(lockPath);
        Update(entries =>
        {
            entries.RemoveAll(e => PathsEqual(e.Path, full));
            entries.Add(new RegisteredLock(full, DateTimeOffset.UtcNow));
        });
    }

    /// <summary>
    /// <see cref="Record"/>, but never throws: for callers (a build) whose own work must not fail because the registry
    /// cannot be written. Returns the problem, or null when recorded.
    /// </summary>
    public string? TryRecord(string lockPath)
    {
        try
        {
            Record(lockPath);
            return null;
        }
        catch (Exception e) when (e is TorchEnvException or IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }

    /// <summary>Removes <paramref name="lockPath"/> from the registry.</summary>
    public void Forget(string lockPath)
    {
        var full = System.IO.Path.GetFullPath(lockPath);
        Update(entries => entries.RemoveAll(e => PathsEqual(e.Path, full)));
    }

    /// <summary>
    /// The registered locks whose files exist, ordered by path. Throws <see cref="TorchEnvException"/> TENV0570 (as
    /// <paramref name="severity"/>) when the registry exists but cannot be read. An absent registry is empty.
    /// </summary>
    public IReadOnlyList<RegisteredLock> List(DiagnosticSeverity severity = DiagnosticSeverity.Error)
    {
        if (!File.Exists(Path))
        {
            return [];
        }

        try
        {
            return Parse(File.ReadAllText(Path)).Where(e => File.Exists(e.Path)).OrderBy(e => e.Path, StringComparer.Ordinal).ToList();
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or FormatException)
        {
            throw new TorchEnvException(CacheMessages.RegistryUnreadable(Path, e.Message, severity), e);
        }
    }

    /// <summary>
    /// The known locks, read: each registered lock file parsed with <see cref="LockFileReader"/>. A lock that cannot be
    /// read is reported (TENV0571, as <paramref name="severity"/>) in <paramref name="problems"/> and left out.
    /// </summary>
    public IReadOnlyList<(RegisteredLock Entry, EnvironmentLock Lock)> ReadKnownLocks(ICollection<Diagnostic> problems, DiagnosticSeverity severity = DiagnosticSeverity.Error)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var result = new List<(RegisteredLock, EnvironmentLock)>();
        foreach (var entry in List(severity))
        {
            try
            {
                result.Add((entry, LockFileReader.Read(entry.Path)));
            }
            catch (TorchEnvException e)
            {
                problems.Add(CacheMessages.KnownLockUnreadable(entry.Path, e.Diagnostic.Code + ": " + e.Diagnostic.Message, severity));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add(CacheMessages.KnownLockUnreadable(entry.Path, e.Message, severity));
            }
        }

        return result;
    }

    private void Update(Action<List<RegisteredLock>> change)
    {
        ExclusiveFileLock guard;
        try
        {
            guard = ExclusiveFileLock.Acquire(Path + ".lock", LockTimeout);
        }
        catch (TimeoutException e)
        {
            throw new TorchEnvException(CacheMessages.RegistryBusy(Path, LockTimeout), e);
        }

        using (guard)
        {
            var entries = new List<RegisteredLock>();
            if (File.Exists(Path))
            {
                try
                {
                    entries = Parse(File.ReadAllText(Path)).ToList();
                }
                catch (Exception e) when (e is JsonException or FormatException)
                {
                    // Keep the damaged file for inspection; a registry is only a cache of what builds record again.
                    File.Move(Path, $"{Path}.corrupt-{DateTime.UtcNow:yyyyMMddHHmmss}", overwrite: true);
                }
            }

            change(entries);
            entries.RemoveAll(e => !File.Exists(e.Path));
            var document = new RegistryDocument(FormatVersion, entries.OrderBy(e => e.Path, StringComparer.Ordinal).Select(e => new RegistryEntry(e.Path, e.LastUsed)).ToList());
            AtomicFile.Write(Path, JsonSerializer.SerializeToUtf8Bytes(document, Json));
        }
    }

    private static IEnumerable<RegisteredLock> Parse(string text)
    {
        var document = JsonSerializer.Deserialize<RegistryDocument>(text, Json) ?? throw new FormatException("the file is empty");
        if (document.Version > FormatVersion)
        {
            throw new FormatException($"format version {document.Version} is newer than this torchenv understands ({FormatVersion})");
        }

        return (document.Locks ?? []).Where(e => !string.IsNullOrEmpty(e.Path)).Select(e => new RegisteredLock(e.Path, e.LastUsed));
    }

    private static bool PathsEqual(string a, string b) =>
        string.Equals(a, b, OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);

    private sealed record RegistryDocument(
        [property: JsonPropertyName("version")] int Version,
        [property: JsonPropertyName("locks")] IReadOnlyList<RegistryEntry>? Locks);

    private sealed record RegistryEntry(
        [property: JsonPropertyName("path")] string Path,
        [property: JsonPropertyName("lastUsed")] DateTimeOffset LastUsed);
}
