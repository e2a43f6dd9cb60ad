using System.Buffers.Binary;
using TorchEnv.Core.Diagnostics;

namespace TorchEnv.Core.Native;

/// <summary>
/// The export table of a Windows PE file (a DLL such as libtorch's <c>torch_cpu.dll</c>): the machine it is built for
/// and the names it exports, read the way the Windows loader finds them (optional header → export data directory →
/// name pointer table, RVAs mapped through the section table). The counterpart of <see cref="ElfFile"/> for Windows
/// packages, so that a Linux machine can check a win-x64 lock's natives. Read by positioned reads, never whole.
/// </summary>
/// <remarks>
/// Errors: a file that does not start with <c>MZ</c> gives null from <see cref="TryRead"/>; a truncated or inconsistent
/// one is <c>TENV0305</c>. Every count and offset taken from the file is bounded by the file's size, so a hostile file
/// cannot make the reader loop or allocate without limit.
/// </remarks>
public sealed class PeFile
{
    /// <summary><c>IMAGE_FILE_MACHINE_AMD64</c>.</summary>
    public const ushort MachineAmd64 = 0x8664;

    /// <summary><c>IMAGE_FILE_MACHINE_ARM64</c>.</summary>
    public const ushort MachineArm64 = 0xAA64;

    /// <summary><c>IMAGE_FILE_MACHINE_I386</c>.</summary>
    public const ushort MachineI386 = 0x14c;

    private const int MaxSections = 96;                 // the PE format's own limit
    private const int MaxNameLength = 4096;             // MSVC truncates decorated names far below this

    private readonly HashSet<string> _exports;

    private PeFile(string path, ushort machine, bool isPe32Plus, string? dllName, List<string> exports)
    {
        Path = path;
        Machine = machine;
        IsPe32Plus = isPe32Plus;
        DllName = dllName;
        ExportedNames = exports;
        _exports = new HashSet<string>(exports, StringComparer.Ordinal);
    }

    /// <summary>Path the file was read from.</summary>
    public string Path { get; }

    /// <summary>The COFF machine field (<see cref="MachineAmd64"/>, <see cref="MachineArm64"/>, …).</summary>
    public ushort Machine { get; }

    /// <summary>True for a PE32+ (64-bit) image.</summary>
    public bool IsPe32Plus { get; }

    /// <summary>The DLL name the export directory records, or null when the file exports nothing.</summary>
    public string? DllName { get; }

    /// <summary>Every exported name, in the table's (sorted) order; empty for a file without exports.</summary>
    public IReadOnlyList<string> ExportedNames { get; }

    /// <summary>True when the file exports <paramref name="name"/> by name (exact, case-sensitive, as GetProcAddress).</summary>
    public bool Exports(string name) => _exports.Contains(name);

    /// <summary>Reads <paramref name="path"/>; null when it does not start with <c>MZ</c>. Throws <c>TENV0305</c> when malformed.</summary>
    public static PeFile? TryRead(string path)
    {
        using var reader = new BoundedByteReader(path, NativeMessages.MalformedPeDescriptor);
        if (reader.Length < 2 || reader.ReadUInt16(0, "DOS header") != 0x5A4D)
        {
            return null;
        }

        return Read(reader);
    }

    /// <summary>Reads <paramref name="path"/>, throwing <c>TENV0305</c> when it is not a valid PE file.</summary>
    public static PeFile Read(string path) =>
        TryRead(path) ?? throw new TorchEnvException(NativeMessages.MalformedPe(path, "the file does not start with the 'MZ' of a DOS header"));

    private static PeFile Read(BoundedByteReader reader)
    {
        var pe = reader.ReadUInt32(0x3C, "DOS header e_lfanew");
        if (reader.ReadUInt32(pe, "PE signature") != 0x00004550)
        {
            throw reader.Malformed($"no 'PE\\0\\0' signature at 0x{pe:x}");
        }

        var machine = reader.ReadUInt16(pe + 4, "COFF header");
        var sectionCount = reader.ReadUInt16(pe + 6, "COFF header");
        var optionalSize = reader.ReadUInt16(pe + 20, "COFF header");
        var optional = pe + 24;
        var magic = reader.ReadUInt16(optional, "optional header");
        var isPe32Plus = magic switch
        {
            0x20b => true,
            0x10b => false,
            _ => throw reader.Malformed($"unknown optional header magic 0x{magic:x}"),
        };
        var directories = optional + (isPe32Plus ? 112 : 96);
        var directoryCount = reader.ReadUInt32(optional + (isPe32Plus ? 108 : 92), "optional header NumberOfRvaAndSizes");
        if (sectionCount > MaxSections)
        {
            throw reader.Malformed($"{sectionCount} sections (the format allows {MaxSections})");
        }

        var sections = new List<Section>(sectionCount);
        var table = optional + optionalSize;
        for (var i = 0; i < sectionCount; i++)
        {
            var at = table + (40L * i);
            sections.Add(new Section(
                reader.ReadUInt32(at + 12, "section header"), Math.Max(reader.ReadUInt32(at + 8, "section header"), reader.ReadUInt32(at + 16, "section header")),
                reader.ReadUInt32(at + 20, "section header"), reader.ReadUInt32(at + 16, "section header")));
        }

        var map = new RvaMap(reader, sections);
        if (directoryCount == 0 || (long)directories + 8 > optional + optionalSize || reader.ReadUInt32(directories, "export data directory") is not (var exportRva and not 0))
        {
            return new PeFile(reader.Path, machine, isPe32Plus, null, []);
        }

        var directory = map.Offset(exportRva, 40, "export directory");
        var nameCount = reader.ReadUInt32(directory + 24, "export directory NumberOfNames");
        var namePointers = reader.ReadUInt32(directory + 32, "export directory AddressOfNames");
        if ((long)nameCount * 4 > reader.Length)
        {
            throw reader.Malformed($"the export directory claims {nameCount} names, more than the file can hold");
        }

        var pointers = nameCount == 0 ? [] : reader.ReadBytes(map.Offset(namePointers, nameCount * 4L, "export name pointer table"), nameCount * 4L, "export name pointer table");
        var names = new List<string>((int)nameCount);
        for (var i = 0; i < nameCount; i++)
        {
            names.Add(reader.ReadCString(map.Offset(BinaryPrimitives.ReadUInt32LittleEndian(pointers.AsSpan(4 * i)), 1, "export name"), reader.Length, "export name", MaxNameLength));
        }

        var dllName = reader.ReadCString(map.Offset(reader.ReadUInt32(directory + 12, "export directory Name"), 1, "export DLL name"), reader.Length, "export DLL name", MaxNameLength);
        return new PeFile(reader.Path, machine, isPe32Plus, dllName, names);
    }

    private sealed record Section(uint VirtualAddress, uint VirtualSize, uint RawOffset, uint RawSize);

    /// <summary>Relative virtual addresses to file offsets, through the section that holds them.</summary>
    private sealed class RvaMap(BoundedByteReader reader, List<Section> sections)
    {
        public long Offset(uint rva, long length, string what)
        {
            foreach (var s in sections)
            {
                if (rva >= s.VirtualAddress && rva - s.VirtualAddress < s.VirtualSize)
                {
                    var inSection = rva - s.VirtualAddress;
                    if (inSection + length > s.RawSize)
                    {
                        throw reader.Malformed($"{what} at RVA 0x{rva:x} runs past the end of its section's data");
                    }

                    return s.RawOffset + inSection;
                }
            }

            throw reader.Malformed($"{what} at RVA 0x{rva:x} is in no section");
        }
    }
}
