namespace TorchEnv.Core.Native;

/// <summary>
/// Positioned reads over bytes that can only be read forward (a zip entry of a .nupkg, or a split file's pieces as one
/// stream), so an ELF file is read where it lies instead of being extracted. Reads are served in blocks kept in a small
/// cache; a read behind the stream's position opens the stream again and skips forward. The ELF reader touches only the
/// headers, the dynamic section and the version tables, so a library is decompressed about once.
/// </summary>
internal sealed class StreamedByteSource(Func<Stream> open, long length) : IByteSource
{
    private const int BlockSize = 64 * 1024;
    private const int MaxBlocks = 128; // 8 MB at most per file being read

    private readonly Dictionary<long, byte[]> _blocks = [];
    private readonly Queue<long> _order = new();
    private Stream? _stream;
    private long _position;

    public long Length { get; } = length;

    /// <summary>How many times the stream was opened (1 for a file read strictly forward).</summary>
    public int Opens { get; private set; }

    public int Read(long offset, Span<byte> buffer)
    {
        if (offset < 0 || offset >= Length || buffer.IsEmpty)
        {
            return 0;
        }

        var index = offset / BlockSize;
        var block = Block(index);
        var within = (int)(offset - (index * BlockSize));
        var count = Math.Min(buffer.Length, block.Length - within);
        block.AsSpan(within, count).CopyTo(buffer);
        return count;
    }

    public void Dispose()
    {
        _stream?.Dispose();
        _stream = null;
        _blocks.Clear();
    }

    private byte[] Block(long index)
    {
        if (_blocks.TryGetValue(index, out var cached))
        {
            return cached;
        }

        var start = index * BlockSize;
        if (_stream is null || _position > start)
        {
            _stream?.Dispose();
            _stream = open();
            _position = 0;
            Opens++;
        }

        Skip(start - _position);
        var block = new byte[(int)Math.Min(BlockSize, Length - start)];
        var filled = 0;
        while (filled < block.Length)
        {
            var read = _stream.Read(block, filled, block.Length - filled);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        _position += filled;
        if (filled < block.Length)
        {
            Array.Resize(ref block, filled);
        }

        _blocks[index] = block;
        _order.Enqueue(index);
        if (_order.Count > MaxBlocks)
        {
            _blocks.Remove(_order.Dequeue());
        }

        return block;
    }

    private void Skip(long count)
    {
        if (count <= 0)
        {
            return;
        }

        var scratch = new byte[Math.Min(count, 1 << 20)];
        while (count > 0)
        {
            var read = _stream!.Read(scratch, 0, (int)Math.Min(scratch.Length, count));
            if (read == 0)
            {
                return;
            }

            _position += read;
            count -= read;
        }
    }
}
