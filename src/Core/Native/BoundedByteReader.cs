using System.Buffers.Binary;
using System.Text;
using TorchEnv.Core.Diagnostics;

namespace TorchEnv.Core.Native;

/// <summary>
/// Positioned, bounds-checked little-endian reads from a native library (ELF or PE). Reads only what is asked for (never
/// the whole file: libtorch_cpu.so is hundreds of MB); every read outside the file, every implausible size and every
/// unterminated string becomes the format's "malformed file" error (<see cref="NativeMessages.MalformedElfDescriptor"/>,
/// TENV0301; <see cref="NativeMessages.MalformedPeDescriptor"/>, TENV0305) naming what was being read.
/// </summary>
internal sealed class BoundedByteReader : IDisposable
{
    /// <summary>The largest block one read may ask for (a table far bigger than any real library's is a corrupt size).</summary>
    public const long MaxBlockBytes = 256L * 1024 * 1024;

    /// <summary>The longest string a read may return unless the caller asks for less.</summary>
    public const int MaxStringLength = 64 * 1024;

    private readonly IByteSource _source;
    private readonly DiagnosticDescriptor _malformed;

    /// <summary>Reads the file at <paramref name="path"/>; <paramref name="malformed"/> takes the path and what is wrong.</summary>
    public BoundedByteReader(string path, DiagnosticDescriptor malformed)
        : this(path, new FileByteSource(path), malformed)
    {
    }

    /// <summary>Reads through <paramref name="source"/> (a file, or a package entry streamed without extracting it).</summary>
    public BoundedByteReader(string path, IByteSource source, DiagnosticDescriptor malformed)
    {
        Path = path;
        _source = source;
        _malformed = malformed;
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
        if (count < 0 || count > MaxBlockBytes)
        {
            throw Malformed($"{what} has an implausible size ({count} bytes)");
        }

        CheckRange(offset, count, what);
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

    /// <summary>
    /// Reads a NUL-terminated UTF-8 string that must end before <paramref name="limit"/> (exclusive file offset) and be at
    /// most <paramref name="maxLength"/> bytes long.
    /// </summary>
    public string ReadCString(long offset, long limit, string what, int maxLength = MaxStringLength)
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
                AppendChecked(builder, chunk[..nul], what, maxLength);
                return Encoding.UTF8.GetString(builder.ToArray());
            }

            if (read == 0)
            {
                break;
            }

            AppendChecked(builder, chunk[..read], what, maxLength);
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

    /// <summary>The format's malformed-file error for this file.</summary>
    public TorchEnvException Malformed(string detail) => new(_malformed.Create(null, Path, detail));

    public void Dispose() => _source.Dispose();

    private void AppendChecked(List<byte> builder, ReadOnlySpan<byte> bytes, string what, int maxLength)
    {
        if (builder.Count + bytes.Length > maxLength)
        {
            throw Malformed($"{what} is longer than {maxLength} bytes");
        }

        foreach (var b in bytes)
        {
            builder.Add(b);
        }
    }
}

/// <summary>Positioned reads of a native library's bytes, wherever they are.</summary>
internal interface IByteSource : IDisposable
{
    /// <summary>Size in bytes.</summary>
    long Length { get; }

    /// <summary>Reads up to <paramref name="buffer"/>.Length bytes at <paramref name="offset"/>; 0 at the end.</summary>
    int Read(long offset, Span<byte> buffer);
}

/// <summary>A file on disk, read with positioned reads.</summary>
internal sealed class FileByteSource : IByteSource
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
