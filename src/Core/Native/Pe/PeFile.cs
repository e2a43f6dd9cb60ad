using System.Buffers.Binary;
using System.Text;
using Microsoft.Win32.SafeHandles;
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
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        var reader = new Reader(path, handle);
        if (reader.Length < 2 || reader.UInt16(0, "DOS header") != 0x5A4D)
        {
            return null;
        }

        return Read(reader);
    }

    /// <summary>Reads <paramref name="path"/>, throwing <c>TENV0305</c> when it is not a valid PE file.</summary>
    public static PeFile Read(string path) =>
        TryRead(path) ?? throw new TorchEnvException(NativeMessages.MalformedPe(path, "the file does not start with the 'MZ' of a DOS header"));

    private static PeFile Read(Reader reader)
    {
        var pe = reader.UInt32(0x3C, "DOS header e_lfanew");
        if (reader.UInt32(pe, "PE signature") != 0x00004550)
        {
            throw reader.Malformed($"no 'PE\\0\\0' signature at 0x{pe:x}");
        }

        var machine = reader.UInt16(pe + 4, "COFF header");
        var sectionCount = reader.UInt16(pe + 6, "COFF header");
        var optionalSize = reader.UInt16(pe + 20, "COFF header");
        var optional = pe + 24;
        var magic = reader.UInt16(optional, "optional header");
        var isPe32Plus = magic switch
        {
            0x20b => true,
            0x10b => false,
            _ => throw reader.Malformed($"unknown optional header magic 0x{magic:x}"),
        };
        var directories = optional + (isPe32Plus ? 112 : 96);
        var directoryCount = reader.UInt32(optional + (isPe32Plus ? 108 : 92), "optional header NumberOfRvaAndSizes");
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
                reader.UInt32(at + 12, "section header"), Math.Max(reader.UInt32(at + 8, "section header"), reader.UInt32(at + 16, "section header")),
                reader.UInt32(at + 20, "section header"), reader.UInt32(at + 16, "section header")));
        }

        var map = new RvaMap(reader, sections);
        if (directoryCount == 0 || (long)directories + 8 > optional + optionalSize || reader.UInt32(directories, "export data directory") is not (var exportRva and not 0))
        {
            return new PeFile(reader.Path, machine, isPe32Plus, null, []);
        }

        var directory = map.Offset(exportRva, 40, "export directory");
        var nameCount = reader.UInt32(directory + 24, "export directory NumberOfNames");
        var namePointers = reader.UInt32(directory + 32, "export directory AddressOfNames");
        if ((long)nameCount * 4 > reader.Length)
        {
            throw reader.Malformed($"the export directory claims {nameCount} names, more than the file can hold");
        }

        var pointers = nameCount == 0 ? [] : reader.Bytes(map.Offset(namePointers, nameCount * 4L, "export name pointer table"), nameCount * 4L, "export name pointer table");
        var names = new List<string>((int)nameCount);
        for (var i = 0; i < nameCount; i++)
        {
            names.Add(reader.String(map.Offset(BinaryPrimitives.ReadUInt32LittleEndian(pointers.AsSpan(4 * i)), 1, "export name"), "export name"));
        }

        var dllName = reader.String(map.Offset(reader.UInt32(directory + 12, "export directory Name"), 1, "export DLL name"), "export DLL name");
        return new PeFile(reader.Path, machine, isPe32Plus, dllName, names);
    }

    private sealed record Section(uint VirtualAddress, uint VirtualSize, uint RawOffset, uint RawSize);

    /// <summary>Relative virtual addresses to file offsets, through the section that holds them.</summary>
    private sealed class RvaMap(Reader reader, List<Section> sections)
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

    /// <summary>Bounds-checked little-endian reads; every failure is TENV0305 naming what was read.</summary>
    private sealed class Reader(string path, SafeFileHandle handle)
    {
        private readonly byte[] _chunk = new byte[MaxNameLength];

        public string Path { get; } = path;

        public long Length { get; } = RandomAccess.GetLength(handle);

        public ushort UInt16(long offset, string what)
        {
            Span<byte> b = stackalloc byte[2];
            Exactly(offset, b, what);
            return BinaryPrimitives.ReadUInt16LittleEndian(b);
        }

        public uint UInt32(long offset, string what)
        {
            Span<byte> b = stackalloc byte[4];
            Exactly(offset, b, what);
            return BinaryPrimitives.ReadUInt32LittleEndian(b);
        }

        public byte[] Bytes(long offset, long count, string what)
        {
            var bytes = new byte[count];
            Exactly(offset, bytes, what);
            return bytes;
        }

        /// <summary>A NUL-terminated ASCII string of at most <see cref="MaxNameLength"/> bytes.</summary>
        public string String(long offset, string what)
        {
            var read = offset >= 0 && offset < Length ? RandomAccess.Read(handle, _chunk, offset) : 0;
            var end = Array.IndexOf(_chunk, (byte)0, 0, read);
            if (end < 0)
            {
                throw Malformed($"{what} at 0x{offset:x} has no terminating NUL within {MaxNameLength} bytes");
            }

            return Encoding.ASCII.GetString(_chunk, 0, end);
        }

        public TorchEnvException Malformed(string detail) => new(NativeMessages.MalformedPe(Path, detail));

        private void Exactly(long offset, Span<byte> buffer, string what)
        {
            if (offset < 0 || offset + buffer.Length > Length)
            {
                throw Malformed($"{what} (offset 0x{offset:x}, {buffer.Length} bytes) lies beyond the end of the file ({Length} bytes)");
            }

            var total = 0;
            while (total < buffer.Length && RandomAccess.Read(handle, buffer[total..], offset + total) is var n and > 0)
            {
                total += n;
            }

            if (total != buffer.Length)
            {
                throw Malformed($"{what} (offset 0x{offset:x}) could not be read completely");
            }
        }
    }
}
