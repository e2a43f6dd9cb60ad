using System.Buffers.Binary;
using System.Text;

namespace TorchEnv.TestSupport;

/// <summary>
/// Builds small, well-formed 64-bit little-endian ELF shared objects in memory, with chosen <c>DT_NEEDED</c>,
/// <c>DT_SONAME</c>, <c>DT_RUNPATH</c>, version needs (<c>.gnu.version_r</c>), version definitions (<c>.gnu.version_d</c>)
/// and dynamic symbols bound to those versions. They carry program headers, a dynamic section, a SysV hash table and
/// section headers, so that <c>readelf</c> and TorchEnv's reader see them like real libraries; they contain no real code
/// and are never meant to run.
/// </summary>
/// <example>
/// <code>
/// var bytes = new TinyElfBuilder("libcudnn.so.9")
///     .Need("libstdc++.so.6", "GLIBCXX_3.4.32")
///     .Need("libc.so.6", "GLIBC_2.34")
///     .Import("_ZSt21ios_base_library_initv", "GLIBCXX_3.4.32")
///     .Define("libcudnn.so.9.1")
///     .Export("cudnnCreate", "libcudnn.so.9.1")
///     .Build();
/// </code>
/// </example>
public sealed class TinyElfBuilder
{
    /// <summary>How the single note segment (if any) looks.</summary>
    public enum NoteKind
    {
        /// <summary>No <c>PT_NOTE</c>.</summary>
        None,

        /// <summary>A <c>.note.gnu.build-id</c> note, as linkers write by default.</summary>
        BuildId,

        /// <summary>A <c>.note.gnu.property</c> note (x86 feature markings), without a <c>PT_GNU_PROPERTY</c> header.</summary>
        GnuProperty,
    }

    private const ulong Page = 0x1000;
    private const ushort EmX86_64 = 62;

    private readonly List<string> _needed = [];
    private readonly List<(string Library, string Version, bool Weak)> _needs = [];
    private readonly List<(string Version, string? Parent)> _definitions = [];
    private readonly List<(string Name, string? Version, bool Defined)> _symbols = [];

    /// <summary>Starts a shared object; <paramref name="soname"/> null leaves out <c>DT_SONAME</c>.</summary>
    public TinyElfBuilder(string? soname = "libtiny.so")
    {
        Soname = soname;
    }

    /// <summary><c>DT_SONAME</c>, or null.</summary>
    public string? Soname { get; }

    /// <summary><c>e_machine</c>; default x86-64 (62).</summary>
    public ushort Machine { get; set; } = EmX86_64;

    /// <summary><c>DT_RUNPATH</c>, or null.</summary>
    public string? Runpath { get; set; }

    /// <summary>The note segment; default a build-id note (as real libraries have).</summary>
    public NoteKind Note { get; set; } = NoteKind.BuildId;

    /// <summary>Put the note's program header before the <c>PT_LOAD</c> headers (default: after them, as GNU ld does).</summary>
    public bool NoteHeaderFirst { get; set; }

    /// <summary>Adds an unused <c>PT_NULL</c> program header (some linkers leave one).</summary>
    public bool SpareProgramHeader { get; set; }

    /// <summary>Adds <c>DT_SYMBOLIC</c> and <c>DT_FLAGS</c>=<c>DF_SYMBOLIC</c>, as libLibTorchSharp.so has.</summary>
    public bool Symbolic { get; set; }

    /// <summary>Extra <c>DT_NULL</c> entries after the terminating one.</summary>
    public int SpareDynamicEntries { get; set; }

    /// <summary>Leave out the section header table (like <c>sstrip</c>); the loader does not need it.</summary>
    public bool OmitSectionHeaders { get; set; }

    /// <summary>Adds a <c>DT_NEEDED</c> (kept in call order, no duplicates).</summary>
    public TinyElfBuilder Needed(string library)
    {
        if (!_needed.Contains(library))
        {
            _needed.Add(library);
        }

        return this;
    }

    /// <summary>Needs <paramref name="version"/> from <paramref name="library"/> (adds the <c>DT_NEEDED</c> too).</summary>
    public TinyElfBuilder Need(string library, string version, bool weak = false)
    {
        Needed(library);
        _needs.Add((library, version, weak));
        return this;
    }

    /// <summary>Defines a version (the base entry naming the file is added automatically).</summary>
    public TinyElfBuilder Define(string version, string? parent = null)
    {
        _definitions.Add((version, parent));
        return this;
    }

    /// <summary>An undefined symbol, bound to a needed <paramref name="version"/> or unversioned (global) when null.</summary>
    public TinyElfBuilder Import(string name, string? version = null)
    {
        _symbols.Add((name, version, false));
        return this;
    }

    /// <summary>A defined symbol, bound to a defined <paramref name="version"/> or unversioned (global) when null.</summary>
    public TinyElfBuilder Export(string name, string? version = null)
    {
        _symbols.Add((name, version, true));
        return this;
    }

    /// <summary>Writes the file (creating its folder) and returns its path.</summary>
    public string WriteTo(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllBytes(path, Build());
        return path;
    }

    /// <summary>The version index <c>.gnu.version</c> uses for <paramref name="version"/> in the built file.</summary>
    public ushort VersionIndexOf(string version)
    {
        var (defined, needed) = VersionIndexes();
        return defined.TryGetValue(version, out var d) ? d
            : needed.TryGetValue(version, out var n) ? n
            : throw new ArgumentException($"'{version}' is neither defined nor needed.", nameof(version));
    }

    /// <summary>Builds the file.</summary>
    public byte[] Build()
    {
        var strings = new StringTable();
        var (definedIndex, neededIndex) = VersionIndexes();
        foreach (var (_, version, _) in _symbols)
        {
            if (version is not null && !definedIndex.ContainsKey(version) && !neededIndex.ContainsKey(version))
            {
                throw new InvalidOperationException($"Symbol version '{version}' is neither defined nor needed.");
            }
        }

        // Allocated content, laid out from the end of the program headers; addresses equal file offsets.
        var phdrCount = 3 + (Note == NoteKind.None ? 0 : 1) + (SpareProgramHeader ? 1 : 0); // 2 LOAD, DYNAMIC, [NOTE], [NULL]
        var image = new Image(64 + (56 * phdrCount));
        var sections = new List<Section>();

        if (Note != NoteKind.None)
        {
            var note = Note == NoteKind.BuildId ? BuildIdNote() : GnuPropertyNote();
            var align = Note == NoteKind.BuildId ? 4 : 8;
            sections.Add(image.Add(Note == NoteKind.BuildId ? ".note.gnu.build-id" : ".note.gnu.property", 7, note, align, flags: 2));
        }

        var symbolCount = _symbols.Count + 1;
        var hash = new byte[8 + (4 * symbolCount) + 4];
        BinaryPrimitives.WriteUInt32LittleEndian(hash, 1);
        BinaryPrimitives.WriteUInt32LittleEndian(hash.AsSpan(4), (uint)symbolCount);
        BinaryPrimitives.WriteUInt32LittleEndian(hash.AsSpan(8), (uint)(symbolCount - 1));
        for (var i = 1; i < symbolCount; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(hash.AsSpan(12 + (4 * i)), (uint)(i - 1));
        }

        var text = image.Reserve(16, 16);
        var dynsym = new byte[24 * symbolCount];
        var versym = new byte[2 * symbolCount];
        for (var i = 1; i < symbolCount; i++)
        {
            var (name, version, defined) = _symbols[i - 1];
            var s = dynsym.AsSpan(24 * i);
            BinaryPrimitives.WriteUInt32LittleEndian(s, strings.Add(name));
            s[4] = 0x12; // STB_GLOBAL, STT_FUNC
            BinaryPrimitives.WriteUInt16LittleEndian(s[6..], defined ? (ushort)0xfff1 : (ushort)0); // defined: SHN_ABS keeps it simple
            BinaryPrimitives.WriteUInt64LittleEndian(s[8..], defined ? text : 0);
            var index = version is null ? (ushort)1 : definedIndex.TryGetValue(version, out var d) ? d : neededIndex[version];
            BinaryPrimitives.WriteUInt16LittleEndian(versym.AsSpan(2 * i), index);
        }

        var verdef = BuildVerdef(strings, definedIndex);
        var verneed = BuildVerneed(strings, neededIndex);
        var neededOffsets = _needed.Select(strings.Add).ToList();
        var sonameOffset = Soname is null ? (uint?)null : strings.Add(Soname);
        var runpathOffset = Runpath is null ? (uint?)null : strings.Add(Runpath);
        var dynstr = strings.ToArray();

        var hashAt = image.Reserve(hash.Length, 8);
        var dynsymAt = image.Reserve(dynsym.Length, 8);
        var dynstrAt = image.Reserve(dynstr.Length, 1);
        var versymAt = image.Reserve(versym.Length, 2);
        var verdefAt = verdef.Length == 0 ? 0 : image.Reserve(verdef.Length, 8);
        var verneedAt = verneed.Length == 0 ? 0 : image.Reserve(verneed.Length, 8);
        var textEnd = image.Length;

        var dyn = new List<(long Tag, ulong Value)>();
        dyn.AddRange(neededOffsets.Select(o => (1L, (ulong)o)));
        if (sonameOffset is { } so)
        {
            dyn.Add((14, so));
        }

        if (Symbolic)
        {
            dyn.Add((16, 0));
        }

        if (runpathOffset is { } rp)
        {
            dyn.Add((29, rp));
        }

        dyn.Add((4, hashAt));
        dyn.Add((5, dynstrAt));
        dyn.Add((6, dynsymAt));
        dyn.Add((10, (ulong)dynstr.Length));
        dyn.Add((11, 24));
        if (Symbolic)
        {
            dyn.Add((30, 2));
        }

        dyn.Add((0x6ffffff0, versymAt));
        if (verdef.Length > 0)
        {
            dyn.Add((0x6ffffffc, verdefAt));
            dyn.Add((0x6ffffffd, (ulong)(_definitions.Count + 1)));
        }

        if (verneed.Length > 0)
        {
            dyn.Add((0x6ffffffe, verneedAt));
            dyn.Add((0x6fffffff, (ulong)_needs.Select(n => n.Library).Distinct().Count()));
        }

        for (var i = 0; i <= SpareDynamicEntries; i++)
        {
            dyn.Add((0, 0));
        }

        var dynamic = new byte[16 * dyn.Count];
        for (var i = 0; i < dyn.Count; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(dynamic.AsSpan(16 * i), dyn[i].Tag);
            BinaryPrimitives.WriteUInt64LittleEndian(dynamic.AsSpan((16 * i) + 8), dyn[i].Value);
        }

        // The writable segment starts on its own page, as linkers place .dynamic.
        image.PadTo((ulong)image.Length + Page - ((ulong)image.Length % Page));
        var dynamicAt = image.Reserve(dynamic.Length, 8);
        var end = image.Length;

        image.Write(text, [0xc3]);
        image.Write(hashAt, hash);
        image.Write(dynsymAt, dynsym);
        image.Write(dynstrAt, dynstr);
        image.Write(versymAt, versym);
        if (verdef.Length > 0)
        {
            image.Write(verdefAt, verdef);
        }

        if (verneed.Length > 0)
        {
            image.Write(verneedAt, verneed);
        }

        image.Write(dynamicAt, dynamic);

        sections.Add(new Section(".text", 1, 6, text, 16, 0, 0, 16, 0));
        var dynsymIndex = sections.Count + 2;
        var dynstrIndex = dynsymIndex + 1;
        sections.Add(new Section(".hash", 5, 2, hashAt, (ulong)hash.Length, (uint)dynsymIndex, 0, 8, 4));
        sections.Add(new Section(".dynsym", 11, 2, dynsymAt, (ulong)dynsym.Length, (uint)dynstrIndex, 1, 8, 24));
        sections.Add(new Section(".dynstr", 3, 2, dynstrAt, (ulong)dynstr.Length, 0, 0, 1, 0));
        sections.Add(new Section(".gnu.version", 0x6fffffff, 2, versymAt, (ulong)versym.Length, (uint)dynsymIndex, 0, 2, 2));
        if (verdef.Length > 0)
        {
            sections.Add(new Section(".gnu.version_d", 0x6ffffffd, 2, verdefAt, (ulong)verdef.Length, (uint)dynstrIndex, (uint)(_definitions.Count + 1), 8, 0));
        }

        if (verneed.Length > 0)
        {
            sections.Add(new Section(".gnu.version_r", 0x6ffffffe, 2, verneedAt, (ulong)verneed.Length, (uint)dynstrIndex, (uint)_needs.Select(n => n.Library).Distinct().Count(), 8, 0));
        }

        sections.Add(new Section(".dynamic", 6, 3, dynamicAt, (ulong)dynamic.Length, (uint)dynstrIndex, 0, 8, 16));

        // Section names and headers come after the loaded content.
        var shstrtab = new StringTable();
        var nameOffsets = sections.Select(s => shstrtab.Add(s.Name)).ToList();
        var shstrtabName = shstrtab.Add(".shstrtab");
        var shstrtabBytes = shstrtab.ToArray();
        var shstrtabAt = image.Reserve(shstrtabBytes.Length, 1);
        image.Write(shstrtabAt, shstrtabBytes);
        var shoff = OmitSectionHeaders ? 0 : image.Reserve(64 * (sections.Count + 2), 8);
        if (!OmitSectionHeaders)
        {
            var table = new byte[64 * (sections.Count + 2)];
            for (var i = 0; i < sections.Count; i++)
            {
                WriteSectionHeader(table.AsSpan(64 * (i + 1)), nameOffsets[i], sections[i]);
            }

            WriteSectionHeader(table.AsSpan(64 * (sections.Count + 1)), shstrtabName, new Section(".shstrtab", 3, 0, 0, (ulong)shstrtabBytes.Length, 0, 0, 1, 0) { FileOffset = shstrtabAt });
            image.Write(shoff, table);
        }

        var bytes = image.ToArray();
        WriteHeader(bytes, phdrCount, shoff, OmitSectionHeaders ? 0 : sections.Count + 2);
        WriteProgramHeaders(bytes.AsSpan(64), (ulong)textEnd, dynamicAt, (ulong)dynamic.Length, (ulong)end, sections.FirstOrDefault(s => s.Name.StartsWith(".note", StringComparison.Ordinal)));
        return bytes;
    }

    private (Dictionary<string, ushort> Defined, Dictionary<string, ushort> Needed) VersionIndexes()
    {
        var defined = new Dictionary<string, ushort>(StringComparer.Ordinal);
        ushort next = 2;
        foreach (var (version, _) in _definitions)
        {
            defined[version] = next++;
        }

        var needed = new Dictionary<string, ushort>(StringComparer.Ordinal);
        foreach (var group in _needs.GroupBy(n => n.Library))
        {
            foreach (var (_, version, _) in group)
            {
                needed.TryAdd(version, next++);
            }
        }

        return (defined, needed);
    }

    private byte[] BuildVerdef(StringTable strings, Dictionary<string, ushort> index)
    {
        if (_definitions.Count == 0)
        {
            return [];
        }

        var entries = new List<(ushort Flags, ushort Index, string Name, string? Parent)> { (1, 1, Soname ?? "libtiny.so", null) };
        entries.AddRange(_definitions.Select(d => ((ushort)0, index[d.Version], d.Version, d.Parent)));
        var bytes = new List<byte>();
        for (var i = 0; i < entries.Count; i++)
        {
            var (flags, ndx, name, parent) = entries[i];
            var count = parent is null ? 1 : 2;
            var entry = new byte[20 + (8 * count)];
            BinaryPrimitives.WriteUInt16LittleEndian(entry, 1);
            BinaryPrimitives.WriteUInt16LittleEndian(entry.AsSpan(2), flags);
            BinaryPrimitives.WriteUInt16LittleEndian(entry.AsSpan(4), ndx);
            BinaryPrimitives.WriteUInt16LittleEndian(entry.AsSpan(6), (ushort)count);
            BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(8), ElfHash(name));
            BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(12), 20);
            BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(16), i == entries.Count - 1 ? 0u : (uint)entry.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(20), strings.Add(name));
            BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(24), count == 2 ? 8u : 0u);
            if (parent is not null)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(28), strings.Add(parent));
            }

            bytes.AddRange(entry);
        }

        return bytes.ToArray();
    }

    private byte[] BuildVerneed(StringTable strings, Dictionary<string, ushort> index)
    {
        var groups = _needs.GroupBy(n => n.Library).ToList();
        var bytes = new List<byte>();
        for (var g = 0; g < groups.Count; g++)
        {
            var versions = groups[g].ToList();
            var entry = new byte[16 + (16 * versions.Count)];
            BinaryPrimitives.WriteUInt16LittleEndian(entry, 1);
            BinaryPrimitives.WriteUInt16LittleEndian(entry.AsSpan(2), (ushort)versions.Count);
            BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(4), strings.Add(groups[g].Key));
            BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(8), 16);
            BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(12), g == groups.Count - 1 ? 0u : (uint)entry.Length);
            for (var v = 0; v < versions.Count; v++)
            {
                var a = entry.AsSpan(16 + (16 * v));
                BinaryPrimitives.WriteUInt32LittleEndian(a, ElfHash(versions[v].Version));
                BinaryPrimitives.WriteUInt16LittleEndian(a[4..], versions[v].Weak ? (ushort)2 : (ushort)0);
                BinaryPrimitives.WriteUInt16LittleEndian(a[6..], index[versions[v].Version]);
                BinaryPrimitives.WriteUInt32LittleEndian(a[8..], strings.Add(versions[v].Version));
                BinaryPrimitives.WriteUInt32LittleEndian(a[12..], v == versions.Count - 1 ? 0u : 16u);
            }

            bytes.AddRange(entry);
        }

        return bytes.ToArray();
    }

    private void WriteHeader(Span<byte> b, int phnum, ulong shoff, int shnum)
    {
        b[0] = 0x7f;
        b[1] = (byte)'E';
        b[2] = (byte)'L';
        b[3] = (byte)'F';
        b[4] = 2; // ELFCLASS64
        b[5] = 1; // little-endian
        b[6] = 1; // EV_CURRENT
        BinaryPrimitives.WriteUInt16LittleEndian(b[0x10..], 3); // ET_DYN
        BinaryPrimitives.WriteUInt16LittleEndian(b[0x12..], Machine);
        BinaryPrimitives.WriteUInt32LittleEndian(b[0x14..], 1);
        BinaryPrimitives.WriteUInt64LittleEndian(b[0x20..], 64);
        BinaryPrimitives.WriteUInt64LittleEndian(b[0x28..], shoff);
        BinaryPrimitives.WriteUInt16LittleEndian(b[0x34..], 64);
        BinaryPrimitives.WriteUInt16LittleEndian(b[0x36..], 56);
        BinaryPrimitives.WriteUInt16LittleEndian(b[0x38..], (ushort)phnum);
        BinaryPrimitives.WriteUInt16LittleEndian(b[0x3a..], 64);
        BinaryPrimitives.WriteUInt16LittleEndian(b[0x3c..], (ushort)shnum);
        BinaryPrimitives.WriteUInt16LittleEndian(b[0x3e..], (ushort)(shnum == 0 ? 0 : shnum - 1));
    }

    private void WriteProgramHeaders(Span<byte> table, ulong textEnd, ulong dynamicAt, ulong dynamicSize, ulong end, Section? note)
    {
        var rows = new List<byte[]>
        {
            Phdr(1, 5, 0, 0, textEnd, Page),                          // PT_LOAD R+X: headers … versions
            Phdr(1, 6, dynamicAt, dynamicAt, end - dynamicAt, Page), // PT_LOAD R+W: .dynamic
            Phdr(2, 6, dynamicAt, dynamicAt, dynamicSize, 8),        // PT_DYNAMIC
        };
        if (note is not null)
        {
            var row = Phdr(4, 4, note.Address, note.Address, note.Size, note.Align);
            if (NoteHeaderFirst)
            {
                rows.Insert(0, row);
            }
            else
            {
                rows.Add(row);
            }
        }

        if (SpareProgramHeader)
        {
            rows.Add(new byte[56]);
        }

        for (var i = 0; i < rows.Count; i++)
        {
            rows[i].CopyTo(table[(56 * i)..]);
        }
    }

    private static byte[] Phdr(uint type, uint flags, ulong offset, ulong address, ulong size, ulong align)
    {
        var p = new byte[56];
        BinaryPrimitives.WriteUInt32LittleEndian(p, type);
        BinaryPrimitives.WriteUInt32LittleEndian(p.AsSpan(4), flags);
        BinaryPrimitives.WriteUInt64LittleEndian(p.AsSpan(8), offset);
        BinaryPrimitives.WriteUInt64LittleEndian(p.AsSpan(16), address);
        BinaryPrimitives.WriteUInt64LittleEndian(p.AsSpan(24), address);
        BinaryPrimitives.WriteUInt64LittleEndian(p.AsSpan(32), size);
        BinaryPrimitives.WriteUInt64LittleEndian(p.AsSpan(40), size);
        BinaryPrimitives.WriteUInt64LittleEndian(p.AsSpan(48), align);
        return p;
    }

    private static void WriteSectionHeader(Span<byte> s, uint name, Section section)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(s, name);
        BinaryPrimitives.WriteUInt32LittleEndian(s[4..], section.Type);
        BinaryPrimitives.WriteUInt64LittleEndian(s[8..], section.Flags);
        BinaryPrimitives.WriteUInt64LittleEndian(s[0x10..], section.Address);
        BinaryPrimitives.WriteUInt64LittleEndian(s[0x18..], section.FileOffset ?? section.Address);
        BinaryPrimitives.WriteUInt64LittleEndian(s[0x20..], section.Size);
        BinaryPrimitives.WriteUInt32LittleEndian(s[0x28..], section.Link);
        BinaryPrimitives.WriteUInt32LittleEndian(s[0x2c..], section.Info);
        BinaryPrimitives.WriteUInt64LittleEndian(s[0x30..], section.Align);
        BinaryPrimitives.WriteUInt64LittleEndian(s[0x38..], section.EntrySize);
    }

    private static byte[] BuildIdNote()
    {
        var note = new byte[16 + 20];
        BinaryPrimitives.WriteUInt32LittleEndian(note, 4);
        BinaryPrimitives.WriteUInt32LittleEndian(note.AsSpan(4), 20);
        BinaryPrimitives.WriteUInt32LittleEndian(note.AsSpan(8), 3); // NT_GNU_BUILD_ID
        "GNU\0"u8.CopyTo(note.AsSpan(12));
        for (var i = 0; i < 20; i++)
        {
            note[16 + i] = (byte)(0xa0 + i);
        }

        return note;
    }

    private static byte[] GnuPropertyNote()
    {
        // One property: GNU_PROPERTY_X86_FEATURE_1_AND (0xc0000002) = IBT | SHSTK.
        var note = new byte[16 + 16];
        BinaryPrimitives.WriteUInt32LittleEndian(note, 4);
        BinaryPrimitives.WriteUInt32LittleEndian(note.AsSpan(4), 16);
        BinaryPrimitives.WriteUInt32LittleEndian(note.AsSpan(8), 5); // NT_GNU_PROPERTY_TYPE_0
        "GNU\0"u8.CopyTo(note.AsSpan(12));
        BinaryPrimitives.WriteUInt32LittleEndian(note.AsSpan(16), 0xc0000002);
        BinaryPrimitives.WriteUInt32LittleEndian(note.AsSpan(20), 4);
        BinaryPrimitives.WriteUInt32LittleEndian(note.AsSpan(24), 3);
        return note;
    }

    /// <summary>The System V ELF hash, as <c>vna_hash</c>/<c>vd_hash</c> hold it.</summary>
    public static uint ElfHash(string name)
    {
        uint h = 0;
        foreach (var c in Encoding.UTF8.GetBytes(name))
        {
            h = (h << 4) + c;
            var g = h & 0xf0000000;
            if (g != 0)
            {
                h ^= g >> 24;
            }

            h &= ~g;
        }

        return h;
    }

    private sealed record Section(string Name, uint Type, ulong Flags, ulong Address, ulong Size, uint Link, uint Info, ulong Align, ulong EntrySize)
    {
        public ulong? FileOffset { get; init; }
    }

    /// <summary>A growing byte image whose offsets are also the load addresses.</summary>
    private sealed class Image(int start)
    {
        private readonly List<byte> _bytes = [.. new byte[start]];

        public int Length => _bytes.Count;

        public ulong Reserve(int size, int align)
        {
            PadTo((ulong)((_bytes.Count + align - 1) / align * align));
            var at = (ulong)_bytes.Count;
            _bytes.AddRange(new byte[size]);
            return at;
        }

        public Section Add(string name, uint type, byte[] content, int align, ulong flags)
        {
            var at = Reserve(content.Length, align);
            Write(at, content);
            return new Section(name, type, flags, at, (ulong)content.Length, 0, 0, (ulong)align, 0);
        }

        public void PadTo(ulong length)
        {
            while ((ulong)_bytes.Count < length)
            {
                _bytes.Add(0);
            }
        }

        public void Write(ulong at, ReadOnlySpan<byte> content)
        {
            for (var i = 0; i < content.Length; i++)
            {
                _bytes[(int)at + i] = content[i];
            }
        }

        public byte[] ToArray() => [.. _bytes];
    }

    /// <summary>A string table starting with the empty string; equal strings share one entry.</summary>
    private sealed class StringTable
    {
        private readonly List<byte> _bytes = [0];
        private readonly Dictionary<string, uint> _offsets = new(StringComparer.Ordinal) { [""] = 0 };

        public uint Add(string value)
        {
            if (!_offsets.TryGetValue(value, out var offset))
            {
                offset = (uint)_bytes.Count;
                _bytes.AddRange(Encoding.UTF8.GetBytes(value));
                _bytes.Add(0);
                _offsets[value] = offset;
            }

            return offset;
        }

        public byte[] ToArray() => [.. _bytes];
    }
}
