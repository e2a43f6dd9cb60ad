using System.Buffers.Binary;
using System.Text;

namespace TorchEnv.Training.PyTorch;

/// <summary>
/// The few opcodes of Python's pickle protocol 2 that a PyTorch state dict needs (the protocol <c>torch.save</c> uses):
/// globals, tuples, strings, integers, booleans, persistent ids, dict items. No memo: each object is written once.
/// </summary>
internal sealed class PickleWriter
{
    private const byte Proto = 0x80, Stop = (byte)'.', Global = (byte)'c', Mark = (byte)'(', Tuple = (byte)'t',
        EmptyTuple = (byte)')', Reduce = (byte)'R', BinUnicode = (byte)'X', BinInt1 = (byte)'K', BinInt2 = (byte)'M',
        BinInt = (byte)'J', Long1 = 0x8a, NewTrue = 0x88, NewFalse = 0x89, BinPersId = (byte)'Q', SetItems = (byte)'u';

    private readonly MemoryStream _out = new();

    public PickleWriter() => _out.Write([Proto, 2]);

    /// <summary>The pickle so far, ended with STOP.</summary>
    public byte[] Finish()
    {
        _out.WriteByte(Stop);
        return _out.ToArray();
    }

    /// <summary>Pushes <c>module.name</c> (Python's <c>GLOBAL</c>, looked up by the unpickler).</summary>
    public void WriteGlobal(string module, string name) => WriteRaw(Global, $"{module}\n{name}\n");

    /// <summary>Marks the stack: the items up to <see cref="WriteTuple"/> or <see cref="WriteSetItems"/> belong together.</summary>
    public void WriteMark() => _out.WriteByte(Mark);

    /// <summary>Pops the items since the mark into a tuple.</summary>
    public void WriteTuple() => _out.WriteByte(Tuple);

    /// <summary>Pushes <c>()</c>.</summary>
    public void WriteEmptyTuple() => _out.WriteByte(EmptyTuple);

    /// <summary>Calls the callable below the argument tuple on top of the stack.</summary>
    public void WriteReduce() => _out.WriteByte(Reduce);

    /// <summary>Pops the (key, value) pairs since the mark into the dict below the mark.</summary>
    public void WriteSetItems() => _out.WriteByte(SetItems);

    /// <summary>Replaces the object on top of the stack by what the unpickler's <c>persistent_load</c> returns for it.</summary>
    public void WritePersistentId() => _out.WriteByte(BinPersId);

    public void WriteBool(bool value) => _out.WriteByte(value ? NewTrue : NewFalse);

    public void WriteString(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)bytes.Length);
        _out.WriteByte(BinUnicode);
        _out.Write(length);
        _out.Write(bytes);
    }

    /// <summary>Writes an integer in the shortest form Python reads back as the same <c>int</c>.</summary>
    public void WriteInt(long value)
    {
        Span<byte> buffer = stackalloc byte[9];
        if (value is >= 0 and <= byte.MaxValue)
        {
            _out.Write([BinInt1, (byte)value]);
        }
        else if (value is >= 0 and <= ushort.MaxValue)
        {
            buffer[0] = BinInt2;
            BinaryPrimitives.WriteUInt16LittleEndian(buffer[1..], (ushort)value);
            _out.Write(buffer[..3]);
        }
        else if (value is >= int.MinValue and <= int.MaxValue)
        {
            buffer[0] = BinInt;
            BinaryPrimitives.WriteInt32LittleEndian(buffer[1..], (int)value);
            _out.Write(buffer[..5]);
        }
        else
        {
            // LONG1: a length byte, then the value in two's complement, little-endian (8 bytes always suffice).
            _out.Write([Long1, 8]);
            BinaryPrimitives.WriteInt64LittleEndian(buffer[1..], value);
            _out.Write(buffer[1..9]);
        }
    }

    /// <summary>Writes a tuple of integers (shapes and strides).</summary>
    public void WriteIntTuple(ReadOnlySpan<long> values)
    {
        WriteMark();
        foreach (var value in values)
        {
            WriteInt(value);
        }

        WriteTuple();
    }

    private void WriteRaw(byte opcode, string text)
    {
        _out.WriteByte(opcode);
        _out.Write(Encoding.ASCII.GetBytes(text));
    }
}
