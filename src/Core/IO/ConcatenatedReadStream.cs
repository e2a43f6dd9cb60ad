namespace TorchEnv.Core.IO;

/// <summary>
/// Several streams read one after the other as one forward-only stream: a file split into pieces (TorchSharp's CUDA
/// "-primary" and "-fragmentN" packages) read whole without ever joining the pieces on disk. Each piece is opened when
/// the previous one ends and disposed then.
/// </summary>
public sealed class ConcatenatedReadStream(IReadOnlyList<Func<Stream>> pieces) : Stream
{
    private int _next;
    private Stream? _current;
    private long _position;

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (true)
        {
            if (_current is null)
            {
                if (_next >= pieces.Count)
                {
                    return 0;
                }

                _current = pieces[_next++]();
            }

            var read = _current.Read(buffer);
            if (read > 0)
            {
                _position += read;
                return read;
            }

            _current.Dispose();
            _current = null;
        }
    }

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _current?.Dispose();
            _current = null;
            _next = pieces.Count;
        }

        base.Dispose(disposing);
    }
}
