using System.Buffers.Binary;
using TorchEnv.Core.Diagnostics;

namespace TorchEnv.Core.Native;

/// <summary>
/// A read-only view of a 64-bit little-endian ELF file: headers, the dynamic section (NEEDED, SONAME, RUNPATH/RPATH),
/// version needs (<c>.gnu.version_r</c>), version definitions (<c>.gnu.version_d</c>) and dynamic symbols with their
/// versions (<c>.dynsym</c> + <c>.gnu.version</c>). Everything is found the way the dynamic loader finds it, through
/// <c>PT_DYNAMIC</c> and the <c>PT_LOAD</c> segments, so stripped section headers do not matter. The file is read by
/// positioned reads, never whole. Headers and version tables are read when the file is opened; symbols on demand.
/// </summary>
/// <remarks>
/// Errors: a file that is not ELF at all gives null from <see cref="TryOpen"/>; an ELF file of another class or byte
/// order is <c>TENV0300</c>; a truncated or inconsistent one is <c>TENV0301</c> (both as <see cref="TorchEnvException"/>).
/// All counts and sizes taken from the file are bounded, so a hostile file cannot make the reader loop or allocate
/// without limit.
/// </remarks>
public sealed class ElfFile : IDisposable
{
    private static ReadOnlySpan<byte> Magic => [0x7f, (byte)'E', (byte)'L', (byte)'F'];

    private readonly BoundedByteReader _reader;
    private readonly (long Offset, long Limit)? _stringTable;
    private int? _dynamicSymbolCount;
    private List<ElfSectionHeader>? _sectionHeaders;

    private ElfFile(BoundedByteReader reader, ElfHeader header)
    {
        _reader = reader;
        Header = header;
        ProgramHeaders = ReadProgramHeaders();
        Dynamic = ReadDynamic(out _stringTable);
        VersionNeeds = ReadVersionNeeds();
        VersionDefinitions = ReadVersionDefinitions();
    }

    /// <summary>Path the file was opened from.</summary>
    public string Path => _reader.Path;

    /// <summary>Size of the file in bytes.</summary>
    public long Length => _reader.Length;

    /// <summary>The file header.</summary>
    public ElfHeader Header { get; }

    /// <summary>Program headers in table order.</summary>
    public IReadOnlyList<ElfProgramHeader> ProgramHeaders { get; }

    /// <summary>Section headers in table order (empty when the file has none).</summary>
    /// <remarks>Read on first use: the version needs are found without them, so a streamed file is not read to its end for them.</remarks>
    public IReadOnlyList<ElfSectionHeader> SectionHeaders => _sectionHeaders ??= ReadSectionHeaders();

    /// <summary>The dynamic section, or null for a file without <c>PT_DYNAMIC</c> (static executable, object file).</summary>
    public ElfDynamicSection? Dynamic { get; }

    /// <summary>Versions needed from other libraries, per library, in file order.</summary>
    public IReadOnlyList<ElfVersionNeed> VersionNeeds { get; }

    /// <summary>Versions this file defines, in file order (the first is usually the base entry naming the file).</summary>
    public IReadOnlyList<ElfVersionDefinition> VersionDefinitions { get; }

    /// <summary>
    /// Opens <paramref name="path"/>; null when the file does not start with the ELF magic (including empty files).
    /// Throws <see cref="TorchEnvException"/> (<c>TENV0300</c>/<c>TENV0301</c>) for unsupported or malformed ELF,
    /// and the usual I/O exceptions when the file cannot be opened.
    /// </summary>
    public static ElfFile? TryOpen(string path) => OpenReader(new BoundedByteReader(path, NativeMessages.MalformedElfDescriptor));

    /// <summary>
    /// As <see cref="TryOpenSupported(string)"/>, over bytes that are not a file of their own (a package entry, or a split
    /// file's pieces read as one stream); <paramref name="name"/> names it in errors. The source is disposed with the result.
    /// </summary>
    internal static ElfFile? TryOpenSupported(string name, IByteSource source)
    {
        try
        {
            return OpenReader(new BoundedByteReader(name, source, NativeMessages.MalformedElfDescriptor));
        }
        catch (TorchEnvException e) when (e.Diagnostic.Descriptor == NativeMessages.UnsupportedElfDescriptor)
        {
            return null;
        }
    }

    private static ElfFile? OpenReader(BoundedByteReader reader)
    {
        try
        {
            var header = ReadHeader(reader);
            if (header is null)
            {
                reader.Dispose();
                return null;
            }

            return new ElfFile(reader, header);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Like <see cref="TryOpen"/>, but also null for ELF files of another class or byte order (<c>TENV0300</c>): for scans
    /// over package contents, where such files are simply not this platform's libraries.
    /// </summary>
    public static ElfFile? TryOpenSupported(string path)
    {
        try
        {
            return TryOpen(path);
        }
        catch (TorchEnvException e) when (e.Diagnostic.Descriptor == NativeMessages.UnsupportedElfDescriptor)
        {
            return null;
        }
    }

    /// <summary>Opens an ELF file, throwing <c>TENV0301</c> when it is not ELF at all.</summary>
    public static ElfFile Open(string path) =>
        TryOpen(path) ?? throw new TorchEnvException(NativeMessages.MalformedElf(path, "the file does not start with the ELF magic bytes"));

    /// <summary>True when the file starts with the ELF magic bytes (whatever its class); false for anything else, including unreadable files.</summary>
    public static bool HasElfMagic(string path)
    {
        try
        {
            using var reader = new BoundedByteReader(path, NativeMessages.MalformedElfDescriptor);
            Span<byte> magic = stackalloc byte[4];
            return reader.ReadAtMost(0, magic) == 4 && magic.SequenceEqual(Magic);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The <see cref="ElfVersionNeedEntry"/> a <c>.gnu.version</c> index refers to, with its library, or null.</summary>
    public (ElfVersionNeed Need, ElfVersionNeedEntry Entry)? FindVersionNeed(ushort versionIndex)
    {
        foreach (var need in VersionNeeds)
        {
            foreach (var entry in need.Versions)
            {
                if ((entry.Index & 0x7fff) == versionIndex)
                {
                    return (need, entry);
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Number of dynamic symbols: from the <c>.dynsym</c> section header when present, else from <c>DT_HASH</c> or
    /// <c>DT_GNU_HASH</c> (as the loader would have to). 0 when the file has no dynamic symbols.
    /// </summary>
    public int DynamicSymbolCount => _dynamicSymbolCount ??= CountDynamicSymbols();

    /// <summary>Reads dynamic symbol <paramref name="index"/> with its name and version binding.</summary>
    public ElfSymbol ReadDynamicSymbol(int index)
    {
        if (index < 0 || index >= DynamicSymbolCount)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The file has {DynamicSymbolCount} dynamic symbols.");
        }

        var versym = VersymTableOffset();
        var raw = versym is null ? ElfConstants.VersymGlobal : _reader.ReadUInt16(versym.Value + (2L * index), ".gnu.version entry");
        return ReadSymbol(index, raw);
    }

    /// <summary>
    /// The dynamic symbols bound (through <c>.gnu.version</c>) to any of <paramref name="versionIndexes"/>
    /// (indexes without the hidden bit), in symbol order. Reads the version table once and only the matching symbols.
    /// </summary>
    public IReadOnlyList<ElfSymbol> FindSymbolsBoundTo(IReadOnlySet<ushort> versionIndexes)
    {
        var versym = VersymTableOffset();
        if (versym is null || versionIndexes.Count == 0 || DynamicSymbolCount == 0)
        {
            return [];
        }

        var table = _reader.ReadBytes(versym.Value, 2L * DynamicSymbolCount, ".gnu.version table");
        var found = new List<ElfSymbol>();
        for (var i = 0; i < DynamicSymbolCount; i++)
        {
            var raw = BinaryPrimitives.ReadUInt16LittleEndian(table.AsSpan(2 * i));
            if (versionIndexes.Contains((ushort)(raw & 0x7fff)))
            {
                found.Add(ReadSymbol(i, raw));
            }
        }

        return found;
    }

    /// <summary>
    /// The dynamic symbols named <paramref name="name"/> (usually zero or one), found with two bulk reads
    /// (symbol table and string table) rather than one read per symbol.
    /// </summary>
    public IReadOnlyList<ElfSymbol> FindDynamicSymbols(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (DynamicSymbolCount == 0 || _stringTable is not { } strings)
        {
            return [];
        }

        var symtab = MapOrThrow(Dynamic!.Find(ElfConstants.DtSymtab)!.Value, (ulong)DynamicSymbolCount * ElfConstants.SymbolSize, "dynamic symbol table");
        var symbols = _reader.ReadBytes(symtab, (long)DynamicSymbolCount * ElfConstants.SymbolSize, "dynamic symbol table");
        var table = _reader.ReadBytes(strings.Offset, strings.Limit - strings.Offset, "dynamic string table");
        var wanted = System.Text.Encoding.UTF8.GetBytes(name + "\0");
        var found = new List<ElfSymbol>();
        for (var i = 0; i < DynamicSymbolCount; i++)
        {
            var nameOffset = BinaryPrimitives.ReadUInt32LittleEndian(symbols.AsSpan(i * ElfConstants.SymbolSize));
            if (nameOffset < table.Length && table.AsSpan((int)nameOffset).StartsWith(wanted))
            {
                found.Add(ReadDynamicSymbol(i));
            }
        }

        return found;
    }

    /// <summary>All dynamic symbols (use on small files; <see cref="FindSymbolsBoundTo"/> scales to libtorch).</summary>
    public IReadOnlyList<ElfSymbol> ReadDynamicSymbols()
    {
        var list = new List<ElfSymbol>(DynamicSymbolCount);
        for (var i = 0; i < DynamicSymbolCount; i++)
        {
            list.Add(ReadDynamicSymbol(i));
        }

        return list;
    }

    /// <summary>Maps a memory address range to the file offset the loader would read it from, or null.</summary>
    public long? AddressToOffset(ulong address, ulong size)
    {
        foreach (var ph in ProgramHeaders)
        {
            if (ph.Type == ElfConstants.PtLoad && address >= ph.VirtualAddress && size <= ph.FileSize
                && address - ph.VirtualAddress <= ph.FileSize - size)
            {
                return checked((long)(ph.Offset + (address - ph.VirtualAddress)));
            }
        }

        return null;
    }

    /// <inheritdoc />
    public void Dispose() => _reader.Dispose();

    /// <summary>File offset of <c>.gnu.version</c> entry 0, or null when the file has none.</summary>
    internal long? VersymTableOffset()
    {
        var address = Dynamic?.Find(ElfConstants.DtVersym);
        if (address is null || DynamicSymbolCount == 0)
        {
            return null;
        }

        return MapOrThrow(address.Value, 2UL * (ulong)DynamicSymbolCount, ".gnu.version table (DT_VERSYM)");
    }

    /// <summary>File offset of <c>.dynstr</c> and its end, as <c>DT_STRTAB</c>/<c>DT_STRSZ</c> say.</summary>
    internal (long Offset, long Limit)? StringTable => _stringTable;

    internal BoundedByteReader Reader => _reader;

    private static ElfHeader? ReadHeader(BoundedByteReader reader)
    {
        Span<byte> ident = stackalloc byte[ElfConstants.HeaderSize];
        var read = reader.ReadAtMost(0, ident);
        if (read < 4 || !ident[..4].SequenceEqual(Magic))
        {
            return null;
        }

        if (read < 16)
        {
            throw reader.Malformed("the file ends inside the ELF identification bytes");
        }

        if (ident[4] != ElfConstants.ClassElf64)
        {
            var what = ident[4] == 1 ? "a 32-bit ELF file" : $"an ELF file of unknown class {ident[4]}";
            throw new TorchEnvException(NativeMessages.UnsupportedElf(reader.Path, what));
        }

        if (ident[5] != ElfConstants.DataLittleEndian)
        {
            var what = ident[5] == 2 ? "a big-endian ELF file" : $"an ELF file of unknown byte order {ident[5]}";
            throw new TorchEnvException(NativeMessages.UnsupportedElf(reader.Path, what));
        }

        if (ident[6] != 1)
        {
            throw reader.Malformed($"unknown ELF identification version {ident[6]}");
        }

        if (read < ElfConstants.HeaderSize)
        {
            throw reader.Malformed($"the file ends inside the ELF header ({read} of {ElfConstants.HeaderSize} bytes)");
        }

        var h = (ReadOnlySpan<byte>)ident;
        var phoff = BinaryPrimitives.ReadUInt64LittleEndian(h[0x20..]);
        var shoff = BinaryPrimitives.ReadUInt64LittleEndian(h[0x28..]);
        var phentsize = BinaryPrimitives.ReadUInt16LittleEndian(h[0x36..]);
        int phnum = BinaryPrimitives.ReadUInt16LittleEndian(h[0x38..]);
        var shentsize = BinaryPrimitives.ReadUInt16LittleEndian(h[0x3a..]);
        int shnum = BinaryPrimitives.ReadUInt16LittleEndian(h[0x3c..]);
        int shstrndx = BinaryPrimitives.ReadUInt16LittleEndian(h[0x3e..]);

        // Extended numbering keeps the real counts in section header 0.
        if (shoff != 0 && (phnum == ElfConstants.PnXnum || shnum == 0 || shstrndx == ElfConstants.ShnXindex))
        {
            CheckTable(reader, shoff, 1, ElfConstants.SectionHeaderSize, "section header 0");
            Span<byte> s0 = stackalloc byte[ElfConstants.SectionHeaderSize];
            reader.ReadExactly((long)shoff, s0, "section header 0");
            if (shnum == 0)
            {
                shnum = (int)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(s0[0x20..]), int.MaxValue);
            }

            if (phnum == ElfConstants.PnXnum)
            {
                phnum = (int)BinaryPrimitives.ReadUInt32LittleEndian(s0[0x2c..]);
            }

            if (shstrndx == ElfConstants.ShnXindex)
            {
                shstrndx = (int)BinaryPrimitives.ReadUInt32LittleEndian(s0[0x28..]);
            }
        }

        if (phnum > 0 && phentsize != ElfConstants.ProgramHeaderSize)
        {
            throw reader.Malformed($"program header entries are {phentsize} bytes, not {ElfConstants.ProgramHeaderSize}");
        }

        if (shoff != 0 && shnum > 0 && shentsize != ElfConstants.SectionHeaderSize)
        {
            throw reader.Malformed($"section header entries are {shentsize} bytes, not {ElfConstants.SectionHeaderSize}");
        }

        CheckTable(reader, phoff, phnum, ElfConstants.ProgramHeaderSize, "program header table");
        if (shoff == 0)
        {
            shnum = 0;
        }

        CheckTable(reader, shoff, shnum, ElfConstants.SectionHeaderSize, "section header table");
        return new ElfHeader(
            BinaryPrimitives.ReadUInt16LittleEndian(h[0x10..]),
            BinaryPrimitives.ReadUInt16LittleEndian(h[0x12..]),
            phoff,
            phnum,
            shoff,
            shnum,
            shstrndx);
    }

    private static void CheckTable(BoundedByteReader reader, ulong offset, long count, int entrySize, string what)
    {
        if (count == 0)
        {
            return;
        }

        var size = count * entrySize;
        if (offset > long.MaxValue)
        {
            throw reader.Malformed($"{what} starts at an impossible offset 0x{offset:x}");
        }

        reader.CheckRange((long)offset, size, what);
    }

    private List<ElfProgramHeader> ReadProgramHeaders()
    {
        var list = new List<ElfProgramHeader>(Header.ProgramHeaderCount);
        if (Header.ProgramHeaderCount == 0)
        {
            return list;
        }

        var table = _reader.ReadBytes((long)Header.ProgramHeaderOffset, (long)Header.ProgramHeaderCount * ElfConstants.ProgramHeaderSize, "program header table");
        for (var i = 0; i < Header.ProgramHeaderCount; i++)
        {
            var p = table.AsSpan(i * ElfConstants.ProgramHeaderSize);
            list.Add(new ElfProgramHeader(
                i,
                BinaryPrimitives.ReadUInt32LittleEndian(p),
                BinaryPrimitives.ReadUInt32LittleEndian(p[4..]),
                BinaryPrimitives.ReadUInt64LittleEndian(p[8..]),
                BinaryPrimitives.ReadUInt64LittleEndian(p[16..]),
                BinaryPrimitives.ReadUInt64LittleEndian(p[32..]),
                BinaryPrimitives.ReadUInt64LittleEndian(p[40..]),
                BinaryPrimitives.ReadUInt64LittleEndian(p[48..])));
        }

        foreach (var ph in list)
        {
            if (ph.Type == ElfConstants.PtLoad || ph.Type == ElfConstants.PtDynamic)
            {
                if (ph.Offset > (ulong)_reader.Length || ph.FileSize > (ulong)_reader.Length - ph.Offset)
                {
                    throw _reader.Malformed($"segment {ph.Index} (offset 0x{ph.Offset:x}, {ph.FileSize} bytes) extends beyond the end of the file ({_reader.Length} bytes)");
                }
            }
        }

        return list;
    }

    private List<ElfSectionHeader> ReadSectionHeaders()
    {
        var count = Header.SectionHeaderCount;
        var list = new List<ElfSectionHeader>(count);
        if (count == 0)
        {
            return list;
        }

        var table = _reader.ReadBytes((long)Header.SectionHeaderOffset, (long)count * ElfConstants.SectionHeaderSize, "section header table");
        (long Offset, long Limit)? names = null;
        if (Header.SectionNameTableIndex > 0 && Header.SectionNameTableIndex < count)
        {
            var s = table.AsSpan(Header.SectionNameTableIndex * ElfConstants.SectionHeaderSize);
            var offset = BinaryPrimitives.ReadUInt64LittleEndian(s[0x18..]);
            var size = BinaryPrimitives.ReadUInt64LittleEndian(s[0x20..]);
            if (offset <= (ulong)_reader.Length && size <= (ulong)_reader.Length - offset)
            {
                names = ((long)offset, (long)(offset + size));
            }
            else
            {
                throw _reader.Malformed("the section name table extends beyond the end of the file");
            }
        }

        for (var i = 0; i < count; i++)
        {
            var s = table.AsSpan(i * ElfConstants.SectionHeaderSize);
            var nameOffset = BinaryPrimitives.ReadUInt32LittleEndian(s);
            var name = names is { } n && i > 0 ? _reader.ReadCString(n.Offset + nameOffset, n.Limit, $"name of section {i}") : "";
            list.Add(new ElfSectionHeader(
                i,
                name,
                BinaryPrimitives.ReadUInt32LittleEndian(s[4..]),
                BinaryPrimitives.ReadUInt64LittleEndian(s[0x10..]),
                BinaryPrimitives.ReadUInt64LittleEndian(s[0x18..]),
                BinaryPrimitives.ReadUInt64LittleEndian(s[0x20..]),
                BinaryPrimitives.ReadUInt32LittleEndian(s[0x28..]),
                BinaryPrimitives.ReadUInt64LittleEndian(s[0x38..])));
        }

        return list;
    }

    private ElfDynamicSection? ReadDynamic(out (long Offset, long Limit)? stringTable)
    {
        stringTable = null;
        var dynamics = ProgramHeaders.Where(p => p.Type == ElfConstants.PtDynamic).ToList();
        if (dynamics.Count == 0)
        {
            return null;
        }

        if (dynamics.Count > 1)
        {
            throw _reader.Malformed("the file has more than one PT_DYNAMIC segment");
        }

        var segment = dynamics[0];
        var bytes = _reader.ReadBytes((long)segment.Offset, (long)segment.FileSize, "dynamic section");
        var entries = new List<ElfDynamicEntry>();
        var spare = 0;
        var terminated = false;
        for (var at = 0; at + ElfConstants.DynamicEntrySize <= bytes.Length; at += ElfConstants.DynamicEntrySize)
        {
            var entry = new ElfDynamicEntry(
                BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(at)),
                BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(at + 8)));
            if (terminated)
            {
                if (entry.Tag != ElfConstants.DtNull)
                {
                    break;
                }

                spare++;
                continue;
            }

            entries.Add(entry);
            terminated = entry.Tag == ElfConstants.DtNull;
        }

        if (!terminated)
        {
            throw _reader.Malformed("the dynamic section has no DT_NULL terminator");
        }

        var dynamic = new ElfDynamicSection(segment.Offset, segment.VirtualAddress, entries, spare, [], null, null, null);
        var strtab = dynamic.Find(ElfConstants.DtStrtab);
        var strsz = dynamic.Find(ElfConstants.DtStrsz);
        if (strtab is null || strsz is null)
        {
            if (entries.Any(e => e.Tag is ElfConstants.DtNeeded or ElfConstants.DtSoname or ElfConstants.DtRunpath or ElfConstants.DtRpath))
            {
                throw _reader.Malformed("the dynamic section names libraries but has no string table (DT_STRTAB/DT_STRSZ)");
            }

            return dynamic;
        }

        var strOffset = MapOrThrow(strtab.Value, strsz.Value, "dynamic string table (DT_STRTAB/DT_STRSZ)");
        var table = (strOffset, strOffset + (long)strsz.Value);
        stringTable = table;

        string Str(ulong value, string what) =>
            value >= strsz.Value ? throw _reader.Malformed($"{what} points outside the dynamic string table") : _reader.ReadCString(table.strOffset + (long)value, table.Item2, what);

        var needed = entries.Where(e => e.Tag == ElfConstants.DtNeeded).Select(e => Str(e.Value, "DT_NEEDED name")).ToList();
        string? Single(long tag, string what) => dynamic.Find(tag) is { } v ? Str(v, what) : null;
        return dynamic with
        {
            Needed = needed,
            Soname = Single(ElfConstants.DtSoname, "DT_SONAME"),
            Runpath = Single(ElfConstants.DtRunpath, "DT_RUNPATH"),
            Rpath = Single(ElfConstants.DtRpath, "DT_RPATH"),
        };
    }

    private List<ElfVersionNeed> ReadVersionNeeds() =>
        ReadVersionTable(VersionNeedLayout)
            .Select(e => new ElfVersionNeed(
                StringAt(BinaryPrimitives.ReadUInt32LittleEndian(e.Entry.AsSpan(4)), "vn_file"),
                e.Aux.Select(a => new ElfVersionNeedEntry(
                    StringAt(BinaryPrimitives.ReadUInt32LittleEndian(a.Bytes.AsSpan(8)), "vna_name"),
                    BinaryPrimitives.ReadUInt16LittleEndian(a.Bytes.AsSpan(4)),
                    BinaryPrimitives.ReadUInt16LittleEndian(a.Bytes.AsSpan(6)),
                    BinaryPrimitives.ReadUInt32LittleEndian(a.Bytes))
                { FileOffset = a.Offset }).ToList()))
            .ToList();

    private List<ElfVersionDefinition> ReadVersionDefinitions() =>
        ReadVersionTable(VersionDefinitionLayout)
            .Select(e =>
            {
                var index = BinaryPrimitives.ReadUInt16LittleEndian(e.Entry.AsSpan(4));
                var names = e.Aux.Select(a => StringAt(BinaryPrimitives.ReadUInt32LittleEndian(a.Bytes), "vda_name")).ToList();
                return names.Count == 0
                    ? throw _reader.Malformed($".gnu.version_d entry {index} has no name")
                    : new ElfVersionDefinition(index, BinaryPrimitives.ReadUInt16LittleEndian(e.Entry.AsSpan(2)), names[0], names.Skip(1).ToList());
            })
            .ToList();

    /// <summary>Where the fields of <c>Elf64_Verneed</c>/<c>Elf64_Verdef</c> and their auxiliary entries are.</summary>
    private sealed record VersionTableLayout(string Name, long AddressTag, long CountTag, int EntrySize, int CountAt, int AuxAt, int NextAt, int AuxSize, int AuxNextAt);

    private static readonly VersionTableLayout VersionNeedLayout = new(".gnu.version_r", ElfConstants.DtVerneed, ElfConstants.DtVerneednum, 16, 2, 8, 12, 16, 12);

    private static readonly VersionTableLayout VersionDefinitionLayout = new(".gnu.version_d", ElfConstants.DtVerdef, ElfConstants.DtVerdefnum, 20, 6, 12, 16, 8, 4);

    /// <summary>
    /// Walks a GNU version table: <c>DT_VER…NUM</c> entries chained by a relative "next" offset, each with a chain of
    /// auxiliary entries. Every entry must lie inside the segment holding the table, and the total number of auxiliary
    /// entries is capped, so a corrupt chain can neither run off the file nor loop for long.
    /// </summary>
    private List<(byte[] Entry, List<(long Offset, byte[] Bytes)> Aux)> ReadVersionTable(VersionTableLayout layout)
    {
        var list = new List<(byte[], List<(long, byte[])>)>();
        var address = Dynamic?.Find(layout.AddressTag);
        if (address is null)
        {
            return list;
        }

        var count = Dynamic!.Find(layout.CountTag) ?? 0;
        if (count > ElfConstants.MaxVersionEntries)
        {
            throw _reader.Malformed($"the entry count of {layout.Name} is implausibly large ({count})");
        }

        var (offset, limit) = SegmentExtent(address.Value, layout.Name);
        var budget = ElfConstants.MaxVersionEntries;
        for (var i = 0UL; i < count; i++)
        {
            var entry = ReadInside(offset, layout.EntrySize, limit, $"{layout.Name} entry");
            if (BinaryPrimitives.ReadUInt16LittleEndian(entry) != 1)
            {
                throw _reader.Malformed($"{layout.Name} entry at 0x{offset:x} has unknown version {BinaryPrimitives.ReadUInt16LittleEndian(entry)}");
            }

            int auxCount = BinaryPrimitives.ReadUInt16LittleEndian(entry.AsSpan(layout.CountAt));
            var aux = new List<(long, byte[])>(auxCount);
            var auxOffset = offset + BinaryPrimitives.ReadUInt32LittleEndian(entry.AsSpan(layout.AuxAt));
            for (var j = 0; j < auxCount; j++)
            {
                if (--budget < 0)
                {
                    throw _reader.Malformed($"{layout.Name} has more than {ElfConstants.MaxVersionEntries} entries");
                }

                var bytes = ReadInside(auxOffset, layout.AuxSize, limit, $"{layout.Name} auxiliary entry");
                aux.Add((auxOffset, bytes));
                var auxNext = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(layout.AuxNextAt));
                if (auxNext == 0 && j < auxCount - 1)
                {
                    throw _reader.Malformed($"{layout.Name} entry at 0x{offset:x} ends after {j + 1} of {auxCount} auxiliary entries");
                }

                auxOffset += auxNext;
            }

            list.Add((entry, aux));
            var next = BinaryPrimitives.ReadUInt32LittleEndian(entry.AsSpan(layout.NextAt));
            if (next == 0)
            {
                if (i < count - 1)
                {
                    throw _reader.Malformed($"{layout.Name} ends after {i + 1} of {count} entries");
                }

                break;
            }

            offset += next;
        }

        return list;
    }

    private int CountDynamicSymbols()
    {
        var symtab = Dynamic?.Find(ElfConstants.DtSymtab);
        if (symtab is null)
        {
            return 0;
        }

        // The section header is exact when present and consistent with the dynamic section.
        var section = SectionHeaders.FirstOrDefault(s => s.Type == ElfConstants.ShtDynsym && s.Address == symtab.Value);
        ulong count;
        if (section is not null)
        {
            count = section.Size / ElfConstants.SymbolSize;
        }
        else if (Dynamic!.Find(ElfConstants.DtHash) is { } hash)
        {
            var at = MapOrThrow(hash, 8, "symbol hash table (DT_HASH)");
            count = _reader.ReadUInt32(at + 4, "DT_HASH nchain");
        }
        else if (Dynamic.Find(ElfConstants.DtGnuHash) is { } gnuHash)
        {
            count = CountFromGnuHash(gnuHash);
        }
        else
        {
            throw _reader.Malformed("the number of dynamic symbols cannot be determined (no .dynsym section header, DT_HASH or DT_GNU_HASH)");
        }

        if (count > int.MaxValue / ElfConstants.SymbolSize)
        {
            throw _reader.Malformed($"implausible number of dynamic symbols ({count})");
        }

        MapOrThrow(symtab.Value, count * ElfConstants.SymbolSize, "dynamic symbol table (DT_SYMTAB)");
        return (int)count;
    }

    private ulong CountFromGnuHash(ulong address)
    {
        var at = MapOrThrow(address, 16, "GNU hash table (DT_GNU_HASH)");
        var nbuckets = _reader.ReadUInt32(at, "DT_GNU_HASH nbuckets");
        var symOffset = _reader.ReadUInt32(at + 4, "DT_GNU_HASH symoffset");
        var bloomSize = _reader.ReadUInt32(at + 8, "DT_GNU_HASH bloom size");
        var buckets = at + 16 + (8L * bloomSize);
        var bucketBytes = _reader.ReadBytes(buckets, 4L * nbuckets, "DT_GNU_HASH buckets");
        uint last = 0;
        for (var i = 0; i < nbuckets; i++)
        {
            last = Math.Max(last, BinaryPrimitives.ReadUInt32LittleEndian(bucketBytes.AsSpan(4 * i)));
        }

        if (last == 0)
        {
            return symOffset;
        }

        if (last < symOffset)
        {
            throw _reader.Malformed("DT_GNU_HASH bucket points below its first hashed symbol");
        }

        // Walk the chain of the highest bucket to its end marker (low bit set), never past the segment holding it.
        var chain = buckets + (4L * nbuckets);
        var (_, limit) = SegmentExtent(address, "GNU hash table (DT_GNU_HASH)");
        var index = (long)last;
        var block = new byte[4096];
        while (true)
        {
            var position = chain + (4L * (index - symOffset));
            var want = (int)Math.Min(block.Length, limit - position);
            if (want < 4)
            {
                throw _reader.Malformed("DT_GNU_HASH chain runs past the end of its segment");
            }

            _reader.ReadExactly(position, block.AsSpan(0, want & ~3), "DT_GNU_HASH chain");
            for (var i = 0; i + 4 <= want; i += 4, index++)
            {
                if ((BinaryPrimitives.ReadUInt32LittleEndian(block.AsSpan(i)) & 1) != 0)
                {
                    return (ulong)index + 1;
                }
            }
        }
    }

    private ElfSymbol ReadSymbol(int index, ushort rawVersion)
    {
        var symtab = Dynamic!.Find(ElfConstants.DtSymtab)!.Value;
        var at = MapOrThrow(symtab + ((ulong)index * ElfConstants.SymbolSize), ElfConstants.SymbolSize, "dynamic symbol");
        Span<byte> sym = stackalloc byte[ElfConstants.SymbolSize];
        _reader.ReadExactly(at, sym, "dynamic symbol");
        var name = StringAt(BinaryPrimitives.ReadUInt32LittleEndian(sym), $"name of dynamic symbol {index}");
        var shndx = BinaryPrimitives.ReadUInt16LittleEndian(sym[6..]);
        return new ElfSymbol(index, name, shndx != 0, (ushort)(rawVersion & 0x7fff), (rawVersion & ElfConstants.VersymHidden) != 0);
    }

    private string StringAt(uint offset, string what)
    {
        if (_stringTable is not { } table)
        {
            throw _reader.Malformed($"{what} needs the dynamic string table, which is missing");
        }

        if (offset >= table.Limit - table.Offset)
        {
            throw _reader.Malformed($"{what} points outside the dynamic string table");
        }

        return _reader.ReadCString(table.Offset + offset, table.Limit, what);
    }

    private long MapOrThrow(ulong address, ulong size, string what) =>
        AddressToOffset(address, size) ?? throw _reader.Malformed($"{what} at address 0x{address:x} ({size} bytes) is not inside a loaded segment of the file");

    /// <summary>The file range from <paramref name="address"/> to the end of the PT_LOAD segment holding it.</summary>
    private (long Offset, long Limit) SegmentExtent(ulong address, string what)
    {
        foreach (var ph in ProgramHeaders)
        {
            if (ph.Type == ElfConstants.PtLoad && address >= ph.VirtualAddress && address - ph.VirtualAddress < ph.FileSize)
            {
                var offset = (long)(ph.Offset + (address - ph.VirtualAddress));
                return (offset, (long)(ph.Offset + ph.FileSize));
            }
        }

        throw _reader.Malformed($"{what} at address 0x{address:x} is not inside a loaded segment of the file");
    }

    private byte[] ReadInside(long offset, int size, long limit, string what)
    {
        if (offset < 0 || offset + size > limit)
        {
            throw _reader.Malformed($"{what} at offset 0x{offset:x} lies outside its segment");
        }

        var bytes = new byte[size];
        _reader.ReadExactly(offset, bytes, what);
        return bytes;
    }
}
