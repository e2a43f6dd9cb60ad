using System.Buffers.Binary;
using System.Text;

namespace TorchEnv.Core.Native;

/// <summary>One library entry of <c>/etc/ld.so.cache</c>.</summary>
/// <param name="Name">The name it is looked up by (its soname), e.g. <c>libc.so.6</c>.</param>
/// <param name="Path">Full path of the file.</param>
/// <param name="Flags">glibc's entry flags (type in the low byte, architecture in the next: 0x0303 is x86-64 libc6).</param>
public sealed record LdSoCacheEntry(string Name, string Path, int Flags);

/// <summary>
/// Reads glibc's <c>ld.so.cache</c> in the "new" format (<c>glibc-ld.so.cache1.1</c>), which glibc has written since
/// 2.32 on its own and before that after the old <c>ld.so-1.7.0</c> table; the old-only format is not read (callers
/// fall back to the standard directories). Entries keep the file's order, which is the order the loader searches.
/// </summary>
public static class LdSoCache
{
    private const string OldMagic = "ld.so-1.7.0";
    private const string NewMagic = "glibc-ld.so.cache1.1";
    private const int NewHeaderSize = 48;
    private const int NewEntrySize = 24;
    private const int OldEntrySize = 12;
    private const long MaxCacheBytes = 64L * 1024 * 1024;

    /// <summary>Reads the cache at <paramref name="path"/>; null when it is missing, unreadable or in an unknown format.</summary>
    public static IReadOnlyList<LdSoCacheEntry>? TryRead(string path)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists || info.Length > MaxCacheBytes)
            {
                return null;
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return TryParse(bytes);
    }

    /// <summary>Parses cache bytes; null when the format is unknown or the content inconsistent.</summary>
    public static IReadOnlyList<LdSoCacheEntry>? TryParse(ReadOnlySpan<byte> bytes)
    {
        var start = 0;
        if (StartsWith(bytes, OldMagic))
        {
            // Old table first: magic (11 bytes + pad to 12), nlibs, then 12-byte entries; the new table follows, 8-aligned.
            if (bytes.Length < 16)
            {
                return null;
            }

            var oldCount = BinaryPrimitives.ReadUInt32LittleEndian(bytes[12..]);
            var afterOld = 16L + (oldCount * OldEntrySize);
            start = (int)Math.Min((afterOld + 7) & ~7L, bytes.Length);
        }

        if (!StartsWith(bytes[start..], NewMagic) || bytes.Length - start < NewHeaderSize)
        {
            return null;
        }

        var cache = bytes[start..];
        var count = BinaryPrimitives.ReadUInt32LittleEndian(cache[20..]);
        if (count > (cache.Length - NewHeaderSize) / NewEntrySize)
        {
            return null;
        }

        var entries = new List<LdSoCacheEntry>((int)count);
        for (var i = 0; i < count; i++)
        {
            var e = cache[(NewHeaderSize + (i * NewEntrySize))..];
            var flags = BinaryPrimitives.ReadInt32LittleEndian(e);
            var key = ReadString(cache, BinaryPrimitives.ReadUInt32LittleEndian(e[4..]));
            var value = ReadString(cache, BinaryPrimitives.ReadUInt32LittleEndian(e[8..]));
            if (key is null || value is null)
            {
                return null;
            }

            entries.Add(new LdSoCacheEntry(key, value, flags));
        }

        return entries;
    }

    // String offsets of the new format count from the start of its header.
    private static string? ReadString(ReadOnlySpan<byte> cache, uint offset)
    {
        if (offset >= cache.Length)
        {
            return null;
        }

        var rest = cache[(int)offset..];
        var end = rest.IndexOf((byte)0);
        return end < 0 ? null : Encoding.UTF8.GetString(rest[..end]);
    }

    private static bool StartsWith(ReadOnlySpan<byte> bytes, string magic) =>
        bytes.Length >= magic.Length && bytes[..magic.Length].SequenceEqual(Encoding.ASCII.GetBytes(magic));
}
