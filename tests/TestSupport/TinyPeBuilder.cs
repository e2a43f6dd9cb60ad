using System.Buffers.Binary;
using System.Text;

namespace TorchEnv.TestSupport;

/// <summary>
/// Builds small, well-formed Windows PE DLLs in memory: DOS header, PE signature, COFF header, a PE32+ (or PE32)
/// optional header with 16 data directories, one <c>.rdata</c> section holding an export directory with the chosen
/// names (sorted, as the loader's binary search needs), their ordinals and addresses. <c>objdump -p</c> lists their
/// exports like a real DLL's; they contain no code and are never meant to run.
/// </summary>
/// <example>
/// <code>
/// var bytes = new TinyPeBuilder("torch_cpu.dll").Export("?clear_cache@autocast@at@@YAXXZ").Build();
/// </code>
/// </example>
public sealed class TinyPeBuilder(string dllName)
{
    private const int PeOffset = 0x40;
    private const uint SectionRva = 0x1000;
    private const int SectionFileOffset = 0x200;

    private readonly SortedSet<string> _exports = new(StringComparer.Ordinal);
    private ushort _machine = 0x8664;
    private bool _pe32Plus = true;

    /// <summary>Adds an exported name.</summary>
    public TinyPeBuilder Export(string name)
    {
        _exports.Add(name);
        return this;
    }

    /// <summary>Sets the COFF machine (default AMD64, 0x8664) and whether the optional header is PE32+ (default) or PE32.</summary>
    public TinyPeBuilder Machine(ushort machine, bool pe32Plus = true)
    {
        (_machine, _pe32Plus) = (machine, pe32Plus);
        return this;
    }

    /// <summary>The file's bytes.</summary>
    public byte[] Build()
    {
        // The section: export directory, address table, name pointer table, ordinal table, DLL name, names.
        var names = _exports.ToList();
        var n = names.Count;
        var functions = 40;
        var pointers = functions + (4 * n);
        var ordinals = pointers + (4 * n);
        var dll = ordinals + (2 * n);
        var strings = new List<byte>(Encoding.ASCII.GetBytes(dllName + "\0"));
        var nameOffsets = new List<int>();
        foreach (var name in names)
        {
            nameOffsets.Add(dll + strings.Count);
            strings.AddRange(Encoding.ASCII.GetBytes(name + "\0"));
        }

        var section = new byte[Align(dll + strings.Count, 0x200)];
        var exportSize = dll + strings.Count;
        BinaryPrimitives.WriteUInt32LittleEndian(section.AsSpan(12), SectionRva + (uint)dll);              // Name
        BinaryPrimitives.WriteUInt32LittleEndian(section.AsSpan(16), 1);                                    // OrdinalBase
        BinaryPrimitives.WriteUInt32LittleEndian(section.AsSpan(20), (uint)n);                              // NumberOfFunctions
        BinaryPrimitives.WriteUInt32LittleEndian(section.AsSpan(24), (uint)n);                              // NumberOfNames
        BinaryPrimitives.WriteUInt32LittleEndian(section.AsSpan(28), SectionRva + (uint)functions);
        BinaryPrimitives.WriteUInt32LittleEndian(section.AsSpan(32), SectionRva + (uint)pointers);
        BinaryPrimitives.WriteUInt32LittleEndian(section.AsSpan(36), SectionRva + (uint)ordinals);
        for (var i = 0; i < n; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(section.AsSpan(functions + (4 * i)), 0x2000 + (16u * (uint)i));   // beyond the section: no code
            BinaryPrimitives.WriteUInt32LittleEndian(section.AsSpan(pointers + (4 * i)), SectionRva + (uint)nameOffsets[i]);
            BinaryPrimitives.WriteUInt16LittleEndian(section.AsSpan(ordinals + (2 * i)), (ushort)i);
        }

        strings.CopyTo(section, dll);

        var optionalSize = _pe32Plus ? 240 : 224;
        var file = new byte[SectionFileOffset + section.Length];
        file[0] = (byte)'M';
        file[1] = (byte)'Z';
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(0x3C), PeOffset);
        var pe = file.AsSpan(PeOffset);
        "PE\0\0"u8.CopyTo(pe);
        BinaryPrimitives.WriteUInt16LittleEndian(pe[4..], _machine);
        BinaryPrimitives.WriteUInt16LittleEndian(pe[6..], 1);                                               // sections
        BinaryPrimitives.WriteUInt16LittleEndian(pe[20..], (ushort)optionalSize);
        BinaryPrimitives.WriteUInt16LittleEndian(pe[22..], 0x2022);                                         // DLL, executable, large addresses
        var optional = pe[24..];
        BinaryPrimitives.WriteUInt16LittleEndian(optional, (ushort)(_pe32Plus ? 0x20b : 0x10b));
        BinaryPrimitives.WriteUInt32LittleEndian(optional[32..], 0x1000);                                   // SectionAlignment
        BinaryPrimitives.WriteUInt32LittleEndian(optional[36..], 0x200);                                    // FileAlignment
        BinaryPrimitives.WriteUInt32LittleEndian(optional[56..], SectionRva + (uint)Align(section.Length, 0x1000));   // SizeOfImage
        BinaryPrimitives.WriteUInt32LittleEndian(optional[60..], SectionFileOffset);                        // SizeOfHeaders
        BinaryPrimitives.WriteUInt16LittleEndian(optional[68..], 3);                                        // subsystem: console
        var directories = _pe32Plus ? 112 : 96;
        BinaryPrimitives.WriteUInt32LittleEndian(optional[(directories - 4)..], 16);                        // NumberOfRvaAndSizes
        BinaryPrimitives.WriteUInt32LittleEndian(optional[directories..], SectionRva);                      // export directory
        BinaryPrimitives.WriteUInt32LittleEndian(optional[(directories + 4)..], (uint)exportSize);
        var header = pe[(24 + optionalSize)..];
        ".rdata\0\0"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], (uint)exportSize);                            // VirtualSize
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], SectionRva);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], (uint)section.Length);                       // SizeOfRawData
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], SectionFileOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(header[36..], 0x40000040);                                 // initialised data, readable
        section.CopyTo(file, SectionFileOffset);
        return file;
    }

    private static int Align(int value, int alignment) => (value + alignment - 1) / alignment * alignment;
}
