using System.Buffers.Binary;
using System.Text;

namespace TorchEnv.Core.Native;

/// <summary>
/// Positioned, bounds-checked reads from an ELF file. Reads only what is asked for (never the whole file: libtorch_cpu.so
/// is hundreds of MB); every read outside the file becomes a TENV0301 "malformed ELF" error naming what was being read.
/// </summary>
internal sealed class ElfByteReader : IDisposable
{
    private readonly IElfByteSource _source;

    public ElfByteReader(string path)
        : this(path, new FileByteSource(path))
    {
    }

    /// <summary>Reads through <paramref name="source"/> (a file, or a package entry streamed without extracting it).</summary>
    public ElfByteReader(string path, IElfByteSource source)
    {
        Path = path;
        _source = source;
        Length = source.Length;
    }

    public string Path { get; }

    public long Length { get; }

    /// <summary>Reads up to <paramref name="buffer"/>.Length bytes at <paramref name="offset"/>; returns how many were read.</summary>
    public int ReadAtMost(long offset, Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = _source.Read(offset + total, buffer[total..]);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    public void ReadExactly(long offset, Span<byte> buffer, string what)
    {
        CheckRange(offset, buffer.Length, what);
        if (ReadAtMost(offset, buffer) != buffer.Length)
        {
            throw Malformed($"{what} (offset 0x{offset:x}, {buffer.Length} bytes) could not be read completely");
        }
    }

    public byte[] ReadBytes(long offset, long count, string what)
    {
        if (count < 0 || count > ElfConstants.MaxTableBytes)
        {
            throw Malformed($"{what} has an implausible size ({count} bytes)");
        }

        var bytes = new byte[count];
        ReadExactly(offset, bytes, what);
        return bytes;
    }

    public ushort ReadUInt16(long offset, string what)
    {
        Span<byte> b = stackalloc byte[2];
        ReadExactly(offset, b, what);
        return BinaryPrimitives.ReadUInt16LittleEndian(b);
    }

    public uint ReadUInt32(long offset, string what)
    {
        Span<byte> b = stackalloc byte[4];
        ReadExactly(offset, b, what);
        return BinaryPrimitives.ReadUInt32LittleEndian(b);
    }

    /// <summary>Reads a NUL-terminated string that must end before <paramref name="limit"/> (exclusive file offset).</summary>
    public string ReadCString(long offset, long limit, string what)
    {
        limit = Math.Min(limit, Length);
        if (offset < 0 || offset >= limit)
        {
            throw Malformed($"{what} points outside its string table (offset 0x{offset:x})");
        }

        var builder = new List<byte>(64);
        Span<byte> chunk = stackalloc byte[256];
        var position = offset;
        while (position < limit)
        {
            var want = (int)Math.Min(chunk.Length, limit - position);
            var read = ReadAtMost(position, chunk[..want]);
            var nul = chunk[..read].IndexOf((byte)0);
            if (nul >= 0)
            {
                AppendChecked(builder, chunk[..nul], what);
                return Encoding.UTF8.GetString(builder.ToArray());
            }

            if (read == 0)
            {
                break;
            }

            AppendChecked(builder, chunk[..read], what);
            position += read;
        }

        throw Malformed($"{what} at offset 0x{offset:x} is not NUL-terminated inside its string table");
    }

    public void CheckRange(long offset, long count, string what)
    {
        if (offset < 0 || count < 0 || offset > Length || count > Length - offset)
        {
            throw Malformed($"{what} (offset 0x{offset:x}, {count} bytes) extends beyond the end of the file ({Length} bytes)");
        }
    }

    public Diagnostics.TorchEnvException Malformed(string detail) => new(NativeMessages.MalformedElf(Path, detail));

    public void Dispose() => _source.Dispose();

    private void AppendChecked(List<byte> builder, ReadOnlySpan<byte> bytes, string what)
    {
        if (builder.Count + bytes.Length > ElfConstants.MaxStringLength)
        {
            throw Malformed($"{what} is longer than {ElfConstants.MaxStringLength} bytes");
        }

        foreach (var b in bytes)
        {
            builder.Add(b);
        }
    }
}

/// <summary>Positioned reads of an ELF file's bytes, wherever they are.</summary>
internal interface IElfByteSource : IDisposable
{
    /// <summary>Size in bytes.</summary>
    long Length { get; }

    /// <summary>Reads up to <paramref name="buffer"/>.Length bytes at <paramref name="offset"/>; 0 at the end.</summary>
    int Read(long offset, Span<byte> buffer);
}

/// <summary>An ELF file on disk, read with positioned reads.</summary>
internal sealed class FileByteSource : IElfByteSource
{
    private readonly Microsoft.Win32.SafeHandles.SafeFileHandle _handle;

    public FileByteSource(string path)
    {
        _handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        Length = RandomAccess.GetLength(_handle);
    }

    public long Length { get; }

    public int Read(long offset, Span<byte> buffer) => RandomAccess.Read(_handle, buffer, offset);

    public void Dispose() => _handle.Dispose();
}
