using System.Buffers.Binary;
using System.Text;
using TorchEnv.Core.Native;
using TorchEnv.TestSupport;

namespace TorchEnv.Core.Tests.Native;

/// <summary>A fake Linux filesystem root with tiny glibc/libstdc++ libraries that define chosen versions.</summary>
internal sealed class FakeHost : IDisposable
{
    public const string Triplet = "x86_64-linux-gnu";

    private readonly TempDirectory _root = new("torchenv-host");

    public string Root => _root.Path;

    public static IEnumerable<string> Glibc(params string[] newest) => newest;

    /// <summary>Puts a library defining <paramref name="versions"/> at <paramref name="relativeDirectory"/>/<paramref name="soname"/>.</summary>
    public string AddLibrary(string relativeDirectory, string soname, IEnumerable<string> versions, ushort machine = 62)
    {
        var builder = new TinyElfBuilder(soname) { Machine = machine };
        foreach (var version in versions)
        {
            builder.Define(version);
        }

        return builder.WriteTo(_root.Combine(relativeDirectory.TrimStart('/'), soname));
    }

    /// <summary>A Debian-12-like host: glibc 2.36, libstdc++ of GCC 12 (GLIBCXX 3.4.30, CXXABI 1.3.13).</summary>
    public FakeHost WithDebian12()
    {
        var lib = $"lib/{Triplet}";
        AddLibrary(lib, "libc.so.6", Series("GLIBC_2.", ["2.5", "3", "3.2", "3.4", "4", "14", "17", "28", "29", "32", "34", "35", "36"]).Append("GLIBC_ABI_DT_RELR"));
        AddLibrary(lib, "libm.so.6", Series("GLIBC_2.", ["2.5", "4", "27", "29", "35"]));
        AddLibrary(lib, "libstdc++.so.6", Series("GLIBCXX_3.4", ["", ".9", ".21", ".26", ".29", ".30"]).Concat(Series("CXXABI_1.3", ["", ".9", ".13"])));
        AddLibrary(lib, "libgcc_s.so.1", ["GCC_3.0", "GCC_3.4", "GCC_4.2.0"]);
        return this;
    }

    public HostLibraryLocator Locator(string? ldLibraryPath = null) => new(Root, 62, Triplet, ldLibraryPath);

    public HostAbi Detect(string? ldLibraryPath = null) => HostAbi.Detect(Locator(ldLibraryPath));

    /// <summary>Writes <c>etc/ld.so.cache</c> in glibc's new format with the given (soname, absolute path) entries.</summary>
    public void WriteLdSoCache(params (string Name, string Path, int Flags)[] entries)
    {
        Directory.CreateDirectory(_root.Combine("etc"));
        File.WriteAllBytes(_root.Combine("etc", "ld.so.cache"), LdSoCacheBytes(entries));
    }

    /// <summary>
    /// glibc's <c>glibc-ld.so.cache1.1</c> format (string offsets count from its header); with
    /// <paramref name="oldTablePrefix"/> preceded by an empty <c>ld.so-1.7.0</c> table, as glibc before 2.32 wrote it.
    /// </summary>
    public static byte[] LdSoCacheBytes((string Name, string Path, int Flags)[] entries, bool oldTablePrefix = false)
    {
        var strings = new List<byte>();
        var headerAndEntries = 48 + (24 * entries.Length);
        var offsets = new List<(uint Key, uint Value)>();
        foreach (var (name, path, _) in entries)
        {
            var key = (uint)(headerAndEntries + strings.Count);
            strings.AddRange(Encoding.UTF8.GetBytes(name));
            strings.Add(0);
            var value = (uint)(headerAndEntries + strings.Count);
            strings.AddRange(Encoding.UTF8.GetBytes(path));
            strings.Add(0);
            offsets.Add((key, value));
        }

        var bytes = new byte[headerAndEntries + strings.Count];
        Encoding.ASCII.GetBytes("glibc-ld.so.cache1.1").CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(20), (uint)entries.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(24), (uint)strings.Count);
        bytes[28] = 2;
        for (var i = 0; i < entries.Length; i++)
        {
            var e = bytes.AsSpan(48 + (24 * i));
            BinaryPrimitives.WriteInt32LittleEndian(e, entries[i].Flags);
            BinaryPrimitives.WriteUInt32LittleEndian(e[4..], offsets[i].Key);
            BinaryPrimitives.WriteUInt32LittleEndian(e[8..], offsets[i].Value);
        }

        strings.ToArray().CopyTo(bytes, headerAndEntries);
        if (!oldTablePrefix)
        {
            return bytes;
        }

        var old = new byte[16]; // "ld.so-1.7.0", padding, nlibs = 0; the new table follows 8-aligned
        Encoding.ASCII.GetBytes("ld.so-1.7.0").CopyTo(old, 0);
        return [.. old, .. bytes];
    }

    public void Dispose() => _root.Dispose();

    private static IEnumerable<string> Series(string prefix, IEnumerable<string> suffixes) => suffixes.Select(s => prefix + s);
}
