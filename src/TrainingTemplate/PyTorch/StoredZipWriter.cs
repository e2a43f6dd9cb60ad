using System.Buffers.Binary;
using System.Text;
using TorchEnv.Training.Data.Images;
using TorchEnv.Training.Diagnostics;

namespace TorchEnv.Training.PyTorch;

/// <summary>
/// Writes a zip archive of uncompressed ("stored") entries, the container of PyTorch's serialisation format. Each
/// entry's data starts on a 64-byte boundary (padding in the local header's extra field, as PyTorch's own writer does),
/// so that <c>torch.load(..., mmap=True)</c> can map tensors in place. No ZIP64: an archive stays below 4 GiB and
/// 65 535 entries, else TENV0658.
/// </summary>
internal sealed class StoredZipWriter
{
    private const int Alignment = 64;
    private const ushort PaddingFieldId = 0x4246;    // "FB", the extra-field id PyTorch pads with
    private const ushort Version = 20;               // 2.0: the oldest zip version readers need for stored entries

    private readonly Stream _out;
    private readonly string _path;
    private readonly List<(string Name, uint Crc, uint Size, uint Offset)> _entries = [];

    public StoredZipWriter(Stream output, string path)
    {
        _out = output;
        _path = path;
    }

    /// <summary>Appends one entry.</summary>
    public void Add(string name, ReadOnlySpan<byte> data)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var offset = Checked(_out.Position, "offset");
        var size = Checked(data.Length, "entry size");
        var headerEnd = _out.Position + 30 + nameBytes.Length + 4;   // header, name, padding field's id and length
        var padding = (int)((Alignment - (headerEnd % Alignment)) % Alignment);
        var crc = Crc32.Compute(data, []);

        Span<byte> header = stackalloc byte[30];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0x04034b50);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], Version);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 0);                 // flags
        BinaryPrimitives.WriteUInt16LittleEndian(header[8..], 0);                 // method: stored
        BinaryPrimitives.WriteUInt16LittleEndian(header[10..], 0);                // time (reproducible files: no clock)
        BinaryPrimitives.WriteUInt16LittleEndian(header[12..], (1 << 5) | 1);     // date: 1980-01-01
        BinaryPrimitives.WriteUInt32LittleEndian(header[14..], crc);
        BinaryPrimitives.WriteUInt32LittleEndian(header[18..], size);
        BinaryPrimitives.WriteUInt32LittleEndian(header[22..], size);
        BinaryPrimitives.WriteUInt16LittleEndian(header[26..], (ushort)nameBytes.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(header[28..], (ushort)(4 + padding));
        _out.Write(header);
        _out.Write(nameBytes);
        Span<byte> field = stackalloc byte[4];
        BinaryPrimitives.WriteUInt16LittleEndian(field, PaddingFieldId);
        BinaryPrimitives.WriteUInt16LittleEndian(field[2..], (ushort)padding);
        _out.Write(field);
        _out.Write(new byte[padding]);
        _out.Write(data);
        _entries.Add((name, crc, size, offset));
    }

    /// <summary>Writes the central directory and its end record.</summary>
    public void Finish()
    {
        if (_entries.Count > ushort.MaxValue)
        {
            throw TrainingMessages.PyTorchExportTooLarge(_path, $"{_entries.Count} entries (at most {ushort.MaxValue})");
        }

        var start = Checked(_out.Position, "central directory offset");
        Span<byte> record = stackalloc byte[46];
        foreach (var (name, crc, size, offset) in _entries)
        {
            var nameBytes = Encoding.UTF8.GetBytes(name);
            record.Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(record, 0x02014b50);
            BinaryPrimitives.WriteUInt16LittleEndian(record[4..], Version);       // made by
            BinaryPrimitives.WriteUInt16LittleEndian(record[6..], Version);       // needed
            BinaryPrimitives.WriteUInt16LittleEndian(record[14..], (1 << 5) | 1);
            BinaryPrimitives.WriteUInt32LittleEndian(record[16..], crc);
            BinaryPrimitives.WriteUInt32LittleEndian(record[20..], size);
            BinaryPrimitives.WriteUInt32LittleEndian(record[24..], size);
            BinaryPrimitives.WriteUInt16LittleEndian(record[28..], (ushort)nameBytes.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(record[42..], offset);
            _out.Write(record);
            _out.Write(nameBytes);
        }

        var directorySize = Checked(_out.Position - start, "central directory size");
        Span<byte> end = stackalloc byte[22];
        BinaryPrimitives.WriteUInt32LittleEndian(end, 0x06054b50);
        BinaryPrimitives.WriteUInt16LittleEndian(end[8..], (ushort)_entries.Count);
        BinaryPrimitives.WriteUInt16LittleEndian(end[10..], (ushort)_entries.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(end[12..], directorySize);
        BinaryPrimitives.WriteUInt32LittleEndian(end[16..], start);
        _out.Write(end);
    }

    private uint Checked(long value, string what) =>
        value < uint.MaxValue ? (uint)value : throw TrainingMessages.PyTorchExportTooLarge(_path, $"{what} {value} bytes (at most 4 GiB without ZIP64)");
}
