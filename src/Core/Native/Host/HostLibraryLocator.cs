using System.Runtime.InteropServices;

namespace TorchEnv.Core.Native;

/// <summary>Where a host library was found and how.</summary>
/// <param name="Name">The name looked up, e.g. <c>libstdc++.so.6</c>.</param>
/// <param name="Path">The file found.</param>
/// <param name="FoundBy"><c>LD_LIBRARY_PATH</c>, <c>ld.so.cache</c> or <c>default directories</c>.</param>
public sealed record HostLibraryLocation(string Name, string Path, string FoundBy);

/// <summary>
/// Finds a host library by soname in the order glibc's loader does for a library without RPATH/RUNPATH of its own:
/// <c>LD_LIBRARY_PATH</c> (when asked to), then <c>/etc/ld.so.cache</c>, then the default directories
/// (<c>/lib/&lt;multiarch&gt;</c>, <c>/usr/lib/&lt;multiarch&gt;</c>, <c>/lib64</c>, <c>/usr/lib64</c>, <c>/lib</c>,
/// <c>/usr/lib</c>). A candidate counts only when it is a 64-bit little-endian ELF file for this machine's architecture,
/// as the loader skips files of another architecture. glibc-hwcaps subdirectories are not searched (libc and
/// libstdc++ do not live there).
/// </summary>
public sealed class HostLibraryLocator
{
    /// <summary>Creates a locator.</summary>
    /// <param name="root">Filesystem root to search under (<c>/</c> for the real host; a folder for tests).</param>
    /// <param name="machine">ELF machine a library must have (62 x86-64, 183 AArch64).</param>
    /// <param name="multiarchTriplet">Debian multiarch directory name, e.g. <c>x86_64-linux-gnu</c>.</param>
    /// <param name="ldLibraryPath">Directories to search first, like <c>LD_LIBRARY_PATH</c>; null for none.</param>
    public HostLibraryLocator(string root, ushort machine, string multiarchTriplet, string? ldLibraryPath = null)
    {
        Root = root;
        Machine = machine;
        MultiarchTriplet = multiarchTriplet;
        LdLibraryPath = ldLibraryPath;
    }

    /// <summary>The filesystem root searched.</summary>
    public string Root { get; }

    /// <summary>The ELF machine a library must have.</summary>
    public ushort Machine { get; }

    /// <summary>Debian multiarch triplet of this architecture.</summary>
    public string MultiarchTriplet { get; }

    /// <summary>Searched first, when set.</summary>
    public string? LdLibraryPath { get; }

    /// <summary>
    /// The locator for the running process (root <c>/</c>, its architecture, its <c>LD_LIBRARY_PATH</c>), or null when
    /// the process does not run on Linux or on an architecture TorchEnv knows (x64, arm64).
    /// </summary>
    public static HostLibraryLocator? ForCurrentProcess()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        return RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => new HostLibraryLocator("/", ElfConstants.EmX86_64, "x86_64-linux-gnu", Environment.GetEnvironmentVariable("LD_LIBRARY_PATH")),
            Architecture.Arm64 => new HostLibraryLocator("/", ElfConstants.EmAArch64, "aarch64-linux-gnu", Environment.GetEnvironmentVariable("LD_LIBRARY_PATH")),
            _ => null,
        };
    }

    /// <summary>The default directories, in search order, under <see cref="Root"/>.</summary>
    public IReadOnlyList<string> DefaultDirectories =>
    [
        Under($"/lib/{MultiarchTriplet}"),
        Under($"/usr/lib/{MultiarchTriplet}"),
        Under("/lib64"),
        Under("/usr/lib64"),
        Under("/lib"),
        Under("/usr/lib"),
    ];

    /// <summary>Finds <paramref name="soname"/>; null when no usable candidate exists.</summary>
    public HostLibraryLocation? Find(string soname)
    {
        ArgumentException.ThrowIfNullOrEmpty(soname);
        if (soname.Contains('/'))
        {
            return IsUsable(soname) ? new HostLibraryLocation(soname, soname, "path") : null;
        }

        if (!string.IsNullOrEmpty(LdLibraryPath))
        {
            foreach (var dir in LdLibraryPath.Split([':', ';'], StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = Path.Combine(dir, soname);
                if (IsUsable(candidate))
                {
                    return new HostLibraryLocation(soname, candidate, "LD_LIBRARY_PATH");
                }
            }
        }

        var cache = LdSoCache.TryRead(Under("/etc/ld.so.cache"));
        if (cache is not null)
        {
            foreach (var entry in cache)
            {
                var candidate = Under(entry.Path);
                if (entry.Name == soname && IsUsable(candidate))
                {
                    return new HostLibraryLocation(soname, candidate, "ld.so.cache");
                }
            }
        }

        foreach (var dir in DefaultDirectories)
        {
            var candidate = Path.Combine(dir, soname);
            if (IsUsable(candidate))
            {
                return new HostLibraryLocation(soname, candidate, "default directories");
            }
        }

        return null;
    }

    private string Under(string absolute) =>
        Root is "/" or "" ? absolute : Path.Combine(Root, absolute.TrimStart('/'));

    private bool IsUsable(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        try
        {
            using var elf = ElfFile.TryOpen(path);
            return elf is not null && elf.Header.Machine == Machine;
        }
        catch (Exception e) when (e is Diagnostics.TorchEnvException or IOException or UnauthorizedAccessException)
        {
            // The loader skips files it cannot use and goes on searching; so do we.
            return false;
        }
    }
}
