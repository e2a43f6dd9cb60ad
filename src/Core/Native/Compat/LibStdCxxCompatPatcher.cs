using System.Buffers.Binary;
using System.Text;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.IO;

namespace TorchEnv.Core.Native;

/// <summary>
/// The libstdc++ compatibility step: writes a copy of a shared library that needs a newer <c>GLIBCXX_</c> version than
/// the host has, for no other reason than GCC 13's <c>std::ios_base_library_init()</c> marker, such that it loads on
/// the older libstdc++ (Debian 12, Ubuntu 22.04) together with a small shim library that supplies the marker and the
/// iostream initialisation GCC 13 moved into libstdc++.
/// </summary>
/// <remarks>
/// <para>Three changes, made to a copy; the input is never modified and the output is written atomically:</para>
/// <list type="number">
/// <item>the <c>.gnu.version_r</c> entry of the version (e.g. <c>GLIBCXX_3.4.32</c>) gets <c>VER_FLG_WEAK</c>, so glibc's
/// loader accepts a libstdc++ that lacks it;</item>
/// <item>the <c>.gnu.version</c> entry of <c>_ZSt21ios_base_library_initv</c> becomes 1 (global, unversioned), so the
/// symbol resolves against any definition;</item>
/// <item>a <c>DT_NEEDED</c> on the shim is added after the existing ones.</item>
/// </list>
/// <para>
/// Step 3 needs room the file does not have: its dynamic section has no free slot and its string table no spare bytes.
/// As patchelf does, the patcher appends one segment at the end of the file holding a copy of <c>.dynstr</c> with the
/// shim's name added and a copy of <c>.dynamic</c> with the new entry, and maps it with a new <c>PT_LOAD</c> (R+W: glibc
/// relocates pointers inside the dynamic section in place). Unlike patchelf it moves no existing section: the new
/// <c>PT_LOAD</c> takes the place of a <c>PT_NULL</c> or <c>PT_NOTE</c> program header (the note stays in the section
/// table; a GNU property note is never dropped unless <c>PT_GNU_PROPERTY</c> also covers it). <c>PT_DYNAMIC</c>,
/// <c>DT_STRTAB</c>/<c>DT_STRSZ</c> and the section headers of <c>.dynamic</c>/<c>.dynstr</c> point to the copies; all
/// other bytes stay as they were. Every precondition is checked first (TENV0320, TENV0321), and the output is re-read
/// and checked before it replaces anything (TENV0323).
/// </para>
/// </remarks>
public static class LibStdCxxCompatPatcher
{
    /// <summary>File name of the shim shipped with TorchEnv.Sdk (built from <c>src/Sdk/native/torchenv_stdcxx_compat.cpp</c>).</summary>
    public const string DefaultShimFileName = "libtorchenv_stdcxx_compat.so";

    private const int MinimumPageSize = 0x1000;

    /// <summary>
    /// Writes the patched copy of <paramref name="inputPath"/> to <paramref name="outputPath"/> (a different path; its
    /// folder is created). An input already patched by this step is copied unchanged (<see cref="CompatPatchResult.AlreadyPatched"/>).
    /// Throws <see cref="TorchEnvException"/>: TENV0320 when the file is not the known case, TENV0321 when its layout
    /// cannot be extended safely, TENV0322 for bad arguments, TENV0323 when the output fails its check; TENV0300/0301
    /// for unsupported or malformed ELF. Nothing is written when it throws.
    /// </summary>
    public static CompatPatchResult Patch(string inputPath, string outputPath, string shimFileName = DefaultShimFileName)
    {
        ArgumentNullException.ThrowIfNull(inputPath);
        ArgumentNullException.ThrowIfNull(outputPath);
        ArgumentNullException.ThrowIfNull(shimFileName);
        var input = Path.GetFullPath(inputPath);
        var output = Path.GetFullPath(outputPath);
        ValidateArguments(input, output, shimFileName);

        // Refuse before touching the output folder; the edits themselves are computed again from the copy they are
        // applied to, so that they always match the bytes being edited.
        PlanFor(input, shimFileName);
        return AtomicFile.Write(output, temp =>
        {
            File.Copy(input, temp, overwrite: true);
            var plan = PlanFor(temp, shimFileName);
            if (!plan.AlreadyPatched)
            {
                Apply(temp, plan);
                Verify(input, temp, plan);
            }

            return new CompatPatchResult
            {
                InputPath = input,
                OutputPath = output,
                AlreadyPatched = plan.AlreadyPatched,
                WeakenedVersion = plan.Version,
                Library = HostAbi.LibStdCxxName,
                UnversionedSymbols = [NativeGapAnalyzer.IosBaseLibraryInitSymbol],
                AddedNeeded = shimFileName,
                Changes = plan.Changes,
                InputLength = plan.InputLength,
                OutputLength = new FileInfo(temp).Length,
                Notes = plan.Notes,
            };
        });
    }

    /// <summary>
    /// True when <paramref name="path"/> is a library this step already patched with <paramref name="shimFileName"/>
    /// (weak version need, unversioned marker symbol, shim needed); false for anything else, including non-ELF files.
    /// </summary>
    public static bool IsPatched(string path, string shimFileName = DefaultShimFileName)
    {
        try
        {
            using var elf = ElfFile.TryOpen(path);
            return elf is not null && PatchPlan.Create(elf, shimFileName).AlreadyPatched;
        }
        catch (Exception e) when (e is TorchEnvException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static PatchPlan PlanFor(string path, string shimFileName)
    {
        using var elf = ElfFile.TryOpen(path) ?? throw NotApplicable(path, "it is not an ELF file");
        return PatchPlan.Create(elf, shimFileName);
    }

    private static void ValidateArguments(string input, string output, string shimFileName)
    {
        if (string.Equals(input, output, StringComparison.Ordinal))
        {
            throw new TorchEnvException(NativeMessages.PatchArguments($"the output '{output}' is the input itself; the input must stay untouched"));
        }

        if (shimFileName.Length == 0 || shimFileName.Contains('/') || shimFileName.Contains('\0') || shimFileName is "." or ".."
            || Encoding.UTF8.GetByteCount(shimFileName) > 255)
        {
            throw new TorchEnvException(NativeMessages.PatchArguments($"the shim name '{shimFileName}' is not a plain file name"));
        }

        if (!File.Exists(input))
        {
            throw new FileNotFoundException($"The library to patch does not exist: {input}", input);
        }
    }

    private static void Apply(string path, PatchPlan plan)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        foreach (var edit in plan.Edits)
        {
            stream.Position = edit.Offset;
            stream.Write(edit.Bytes);
        }

        stream.Flush(flushToDisk: true);
    }

    /// <summary>Re-reads the output with the ELF reader and checks that it says what the plan meant, and nothing else changed.</summary>
    private static void Verify(string inputPath, string outputPath, PatchPlan plan)
    {
        void Check(bool condition, string what)
        {
            if (!condition)
            {
                throw new TorchEnvException(NativeMessages.PatchVerification(inputPath, what));
            }
        }

        using var before = ElfFile.Open(inputPath);
        ElfFile after;
        try
        {
            after = ElfFile.Open(outputPath);
        }
        catch (TorchEnvException e)
        {
            throw new TorchEnvException(NativeMessages.PatchVerification(inputPath, "the output is not readable as ELF: " + e.Diagnostic.Message), e);
        }

        using (after)
        {
            Check(after.Dynamic is not null, "the dynamic section is gone");
            var expectedNeeded = before.Dynamic!.Needed.ToList();
            expectedNeeded.Insert(plan.NeededPosition, plan.ShimFileName);
            Check(after.Dynamic!.Needed.SequenceEqual(expectedNeeded, StringComparer.Ordinal), "DT_NEEDED list differs from the intended one");
            Check(after.Dynamic.Soname == before.Dynamic.Soname && after.Dynamic.Runpath == before.Dynamic.Runpath && after.Dynamic.Rpath == before.Dynamic.Rpath, "SONAME, RUNPATH or RPATH changed");
            Check(after.Dynamic.Entries.Count == before.Dynamic.Entries.Count + 1, "the dynamic section does not have exactly one more entry");
            foreach (var (b, a) in before.VersionNeeds.Zip(after.VersionNeeds))
            {
                Check(a.Library == b.Library && a.Versions.Count == b.Versions.Count, $"version needs of {b.Library} changed");
                foreach (var (vb, va) in b.Versions.Zip(a.Versions))
                {
                    var expectedFlags = vb.Name == plan.Version && b.Library == HostAbi.LibStdCxxName ? (ushort)(vb.Flags | ElfConstants.VerFlgWeak) : vb.Flags;
                    Check(va.Name == vb.Name && va.Index == vb.Index && va.Flags == expectedFlags, $"version need {vb.Name} is not as intended");
                }
            }

            Check(after.VersionNeeds.Count == before.VersionNeeds.Count, "number of version needs changed");
            Check(after.DynamicSymbolCount == before.DynamicSymbolCount, "number of dynamic symbols changed");
            var symbol = after.ReadDynamicSymbol(plan.SymbolIndex);
            Check(symbol.Name == NativeGapAnalyzer.IosBaseLibraryInitSymbol && symbol.VersionIndex == ElfConstants.VersymGlobal, "the marker symbol is not unversioned");
            var loads = after.ProgramHeaders.Where(p => p.Type == ElfConstants.PtLoad).ToList();
            Check(loads.Count == before.ProgramHeaders.Count(p => p.Type == ElfConstants.PtLoad) + 1, "not exactly one PT_LOAD was added");
            for (var i = 1; i < loads.Count; i++)
            {
                Check(loads[i].VirtualAddress >= loads[i - 1].VirtualAddress + loads[i - 1].MemorySize, "PT_LOAD segments overlap or are out of order");
            }

            Check(after.Length == plan.InputLength + plan.AppendedLength, "the output has an unexpected size");
            Check(PatchPlan.Create(after, plan.ShimFileName).AlreadyPatched, "the output is not recognised as patched");
        }
    }

    private static TorchEnvException NotApplicable(string path, string detail) => new(NativeMessages.PatchNotApplicable(path, detail));

    private static TorchEnvException Layout(string path, string detail) => new(NativeMessages.PatchLayout(path, detail));

    private sealed record Edit(long Offset, byte[] Bytes, string Description);

    /// <summary>Everything the patch will write, computed from the input before anything is written.</summary>
    private sealed class PatchPlan
    {
        private PatchPlan(string version, string shimFileName)
        {
            Version = version;
            ShimFileName = shimFileName;
        }

        public string Version { get; }

        public string ShimFileName { get; }

        public bool AlreadyPatched { get; private init; }

        public int SymbolIndex { get; private init; }

        public int NeededPosition { get; private init; }

        public long InputLength { get; private init; }

        public long AppendedLength { get; private set; }

        public List<Edit> Edits { get; } = [];

        public List<string> Notes { get; } = [];

        public IReadOnlyList<CompatPatchChange> Changes => Edits.Select(e => new CompatPatchChange(e.Offset, e.Bytes.Length, e.Description)).ToList();

        public static PatchPlan Create(ElfFile elf, string shimFileName)
        {
            var path = elf.Path;
            if (!elf.Header.IsSharedObject)
            {
                throw NotApplicable(path, $"it is not a shared library (ELF type {elf.Header.Type})");
            }

            var dynamic = elf.Dynamic ?? throw NotApplicable(path, "it has no dynamic section");
            var symbols = elf.FindDynamicSymbols(NativeGapAnalyzer.IosBaseLibraryInitSymbol).Where(s => !s.IsDefined).ToList();
            if (symbols.Count != 1)
            {
                throw NotApplicable(path, symbols.Count == 0
                    ? $"it does not reference std::ios_base_library_init() ({NativeGapAnalyzer.IosBaseLibraryInitSymbol}), so its libstdc++ need is not the case this step handles"
                    : $"it references {NativeGapAnalyzer.IosBaseLibraryInitSymbol} {symbols.Count} times");
            }

            var symbol = symbols[0];
            var shimPresent = dynamic.Needed.Contains(shimFileName, StringComparer.Ordinal);
            var libstdcxx = elf.VersionNeeds.Where(n => n.Library == HostAbi.LibStdCxxName).SelectMany(n => n.Versions).ToList();

            if (symbol.VersionIndex == ElfConstants.VersymGlobal)
            {
                // Our own output: marker unversioned, shim needed, a GLIBCXX need weak with nothing bound to it.
                var weak = libstdcxx.Where(v => v.IsWeak && SymbolVersion.Parse(v.Name).Family == "GLIBCXX").ToList();
                var unbound = weak.Where(v => elf.FindSymbolsBoundTo(new HashSet<ushort> { (ushort)(v.Index & 0x7fff) }).Count == 0).ToList();
                if (shimPresent && unbound.Count > 0)
                {
                    return new PatchPlan(unbound.Select(v => SymbolVersion.Parse(v.Name)).Max()!.Name, shimFileName)
                    {
                        AlreadyPatched = true,
                        SymbolIndex = symbol.Index,
                        InputLength = elf.Length,
                    };
                }

                throw NotApplicable(path, $"{NativeGapAnalyzer.IosBaseLibraryInitSymbol} is already unversioned but the file is not in the state this step leaves it in (changed by another tool?); use the original file from the package");
            }

            var found = elf.FindVersionNeed(symbol.VersionIndex);
            if (found is not { } bound)
            {
                throw NotApplicable(path, $"{NativeGapAnalyzer.IosBaseLibraryInitSymbol} is bound to version index {symbol.VersionIndex}, which is not a version the file needs");
            }

            if (bound.Need.Library != HostAbi.LibStdCxxName || SymbolVersion.Parse(bound.Entry.Name).Family != "GLIBCXX")
            {
                throw NotApplicable(path, $"{NativeGapAnalyzer.IosBaseLibraryInitSymbol} is bound to {bound.Entry.Name} of {bound.Need.Library}, not to a GLIBCXX version of {HostAbi.LibStdCxxName}");
            }

            if (bound.Entry.IsWeak || shimPresent)
            {
                throw NotApplicable(path, "it is partly patched already (weak version need or shim already needed); use the original file from the package");
            }

            var others = elf.FindSymbolsBoundTo(new HashSet<ushort> { symbol.VersionIndex }).Where(s => s.Index != symbol.Index).Select(s => s.Name).ToList();
            if (others.Count > 0)
            {
                throw NotApplicable(path, $"{others.Count} other symbol(s) also need {bound.Entry.Name} ({string.Join(", ", others.Take(5))}{(others.Count > 5 ? ", …" : "")}); marking it weak would leave them unresolved");
            }

            var plan = new PatchPlan(bound.Entry.Name, shimFileName)
            {
                SymbolIndex = symbol.Index,
                InputLength = elf.Length,
                NeededPosition = dynamic.Needed.Count, // the shim goes right after the last DT_NEEDED
            };
            plan.AddVersionEdits(elf, bound.Entry, symbol);
            plan.AddSegmentEdits(elf, dynamic);
            return plan;
        }

        private static int LastNeededIndex(ElfDynamicSection dynamic)
        {
            for (var i = dynamic.Entries.Count - 1; i >= 0; i--)
            {
                if (dynamic.Entries[i].Tag == ElfConstants.DtNeeded)
                {
                    return i;
                }
            }

            return -1;
        }

        private static byte[] UInt16(ushort value)
        {
            var bytes = new byte[2];
            BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
            return bytes;
        }

        private static ulong RoundUp(ulong value, ulong align) => (value + align - 1) & ~(align - 1);

        private void AddVersionEdits(ElfFile elf, ElfVersionNeedEntry entry, ElfSymbol symbol)
        {
            Edits.Add(new Edit(entry.FileOffset + 4, UInt16((ushort)(entry.Flags | ElfConstants.VerFlgWeak)), $"vna_flags of {entry.Name}: VER_FLG_WEAK set"));
            var versym = elf.VersymTableOffset() ?? throw Layout(elf.Path, "it has no .gnu.version table");
            Edits.Add(new Edit(versym + (2L * symbol.Index), UInt16(ElfConstants.VersymGlobal), $".gnu.version of {symbol.Name} (symbol {symbol.Index}): {entry.Name} -> 1 (global)"));
        }

        private void AddSegmentEdits(ElfFile elf, ElfDynamicSection dynamic)
        {
            var path = elf.Path;
            var phdrs = elf.ProgramHeaders;
            var loads = phdrs.Where(p => p.Type == ElfConstants.PtLoad).ToList();
            if (loads.Count == 0)
            {
                throw Layout(path, "it has no PT_LOAD segment");
            }

            var align = Math.Max(loads.Max(l => l.Align), MinimumPageSize);
            if ((align & (align - 1)) != 0)
            {
                throw Layout(path, $"its segment alignment 0x{align:x} is not a power of two");
            }

            var dynamicHeader = phdrs.Single(p => p.Type == ElfConstants.PtDynamic);
            var slot = ChooseSlot(elf) ?? throw Layout(path, "it has no PT_NULL or droppable PT_NOTE program header to turn into the PT_LOAD of the appended segment (adding one would mean moving sections)");
            var (stringsOffset, stringsLimit) = elf.StringTable ?? throw Layout(path, "it has no dynamic string table");

            // The appended segment: a copy of .dynstr with the shim's name, then the dynamic section with DT_NEEDED added.
            var oldStrings = elf.Reader.ReadBytes(stringsOffset, stringsLimit - stringsOffset, "dynamic string table");
            var newStrings = oldStrings.Concat(Encoding.UTF8.GetBytes(ShimFileName)).Append((byte)0).ToArray();
            var segmentOffset = RoundUp((ulong)elf.Length, align);
            var segmentAddress = RoundUp(loads.Max(l => l.VirtualAddress + l.MemorySize), align);
            var dynamicInSegment = RoundUp((ulong)newStrings.Length, 8);
            var entries = new List<ElfDynamicEntry>();
            var insertAt = LastNeededIndex(dynamic) + 1;
            for (var i = 0; i < dynamic.Entries.Count - 1; i++)
            {
                if (i == insertAt)
                {
                    entries.Add(new ElfDynamicEntry(ElfConstants.DtNeeded, (ulong)oldStrings.Length));
                }

                var e = dynamic.Entries[i];
                entries.Add(e.Tag switch
                {
                    ElfConstants.DtStrtab => e with { Value = segmentAddress },
                    ElfConstants.DtStrsz => e with { Value = (ulong)newStrings.Length },
                    _ => e,
                });
            }

            if (insertAt == dynamic.Entries.Count - 1)
            {
                entries.Add(new ElfDynamicEntry(ElfConstants.DtNeeded, (ulong)oldStrings.Length));
            }

            for (var i = 0; i <= dynamic.SpareNullEntries; i++)
            {
                entries.Add(new ElfDynamicEntry(ElfConstants.DtNull, 0));
            }

            var segmentSize = dynamicInSegment + ((ulong)entries.Count * ElfConstants.DynamicEntrySize);
            var appended = new byte[segmentOffset - (ulong)elf.Length + segmentSize];
            var segment = appended.AsSpan((int)(segmentOffset - (ulong)elf.Length));
            newStrings.CopyTo(segment);
            for (var i = 0; i < entries.Count; i++)
            {
                var at = segment[(int)(dynamicInSegment + ((ulong)i * ElfConstants.DynamicEntrySize))..];
                BinaryPrimitives.WriteInt64LittleEndian(at, entries[i].Tag);
                BinaryPrimitives.WriteUInt64LittleEndian(at[8..], entries[i].Value);
            }

            var newDynamicOffset = segmentOffset + dynamicInSegment;
            var newDynamicAddress = segmentAddress + dynamicInSegment;
            var newDynamicSize = (ulong)entries.Count * ElfConstants.DynamicEntrySize;

            // Program headers: the slot becomes the new PT_LOAD, placed after the last PT_LOAD (the loader wants them sorted).
            var table = elf.Reader.ReadBytes((long)elf.Header.ProgramHeaderOffset, (long)phdrs.Count * ElfConstants.ProgramHeaderSize, "program header table");
            var rows = Enumerable.Range(0, phdrs.Count).Select(i => table.AsSpan(i * ElfConstants.ProgramHeaderSize, ElfConstants.ProgramHeaderSize).ToArray()).ToList();
            var load = new byte[ElfConstants.ProgramHeaderSize];
            BinaryPrimitives.WriteUInt32LittleEndian(load, ElfConstants.PtLoad);
            BinaryPrimitives.WriteUInt32LittleEndian(load.AsSpan(4), ElfConstants.PfR | ElfConstants.PfW);
            WriteSegment(load, segmentOffset, segmentAddress, segmentSize);
            BinaryPrimitives.WriteUInt64LittleEndian(load.AsSpan(48), align);
            WriteSegment(rows[dynamicHeader.Index], newDynamicOffset, newDynamicAddress, newDynamicSize);
            var lastLoad = loads.Max(l => l.Index);
            rows.RemoveAt(slot.Index);
            rows.Insert(slot.Index > lastLoad ? slot.Index : lastLoad, load);
            for (var i = 0; i < rows.Count; i++)
            {
                if (!rows[i].AsSpan().SequenceEqual(table.AsSpan(i * ElfConstants.ProgramHeaderSize, ElfConstants.ProgramHeaderSize)))
                {
                    var what = ReferenceEquals(rows[i], load) ? $"PT_LOAD of the appended segment (was {TypeName(slot.Type)})"
                        : ReferenceEquals(rows[i], rows.Find(r => BinaryPrimitives.ReadUInt32LittleEndian(r) == ElfConstants.PtDynamic)) ? "PT_DYNAMIC moved to the appended segment"
                        : $"{TypeName(BinaryPrimitives.ReadUInt32LittleEndian(rows[i]))} moved up to keep PT_LOAD entries sorted";
                    Edits.Add(new Edit((long)elf.Header.ProgramHeaderOffset + ((long)i * ElfConstants.ProgramHeaderSize), rows[i], $"program header {i}: {what}"));
                }
            }

            if (slot.Type == ElfConstants.PtNote)
            {
                Notes.Add($"program header {slot.Index} (PT_NOTE at 0x{slot.Offset:x}, {slot.FileSize} bytes) was reused for the new PT_LOAD; the note itself stays in the file and in the section table");
            }

            // Section headers, for tools: .dynstr and .dynamic now describe the copies.
            var strtabAddress = dynamic.Find(ElfConstants.DtStrtab)!.Value;
            AddSectionEdit(elf, s => s.Type == ElfConstants.ShtStrtab && s.Address == strtabAddress && s.Address != 0, segmentAddress, segmentOffset, (ulong)newStrings.Length, ".dynstr");
            AddSectionEdit(elf, s => s.Type == ElfConstants.ShtDynamic && s.Offset == dynamic.Offset, newDynamicAddress, newDynamicOffset, newDynamicSize, ".dynamic");

            Edits.Add(new Edit(elf.Length, appended, $"appended segment at 0x{segmentOffset:x} (address 0x{segmentAddress:x}): .dynstr copy with \"{ShimFileName}\", .dynamic with DT_NEEDED {ShimFileName}"));
            AppendedLength = appended.Length;
        }

        private void AddSectionEdit(ElfFile elf, Func<ElfSectionHeader, bool> match, ulong address, ulong offset, ulong size, string what)
        {
            var section = elf.SectionHeaders.Where(match).ToList();
            if (section.Count != 1)
            {
                Notes.Add($"no unique {what} section header to update (found {section.Count}); the loader does not need it");
                return;
            }

            var bytes = new byte[24];
            BinaryPrimitives.WriteUInt64LittleEndian(bytes, address);
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8), offset);
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(16), size);
            var at = (long)elf.Header.SectionHeaderOffset + ((long)section[0].Index * ElfConstants.SectionHeaderSize) + 0x10;
            Edits.Add(new Edit(at, bytes, $"section header {section[0].Index} ({section[0].Name}): sh_addr, sh_offset, sh_size of the copy"));
        }

        private static void WriteSegment(byte[] row, ulong offset, ulong address, ulong size)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(row.AsSpan(8), offset);
            BinaryPrimitives.WriteUInt64LittleEndian(row.AsSpan(16), address);
            BinaryPrimitives.WriteUInt64LittleEndian(row.AsSpan(24), address);
            BinaryPrimitives.WriteUInt64LittleEndian(row.AsSpan(32), size);
            BinaryPrimitives.WriteUInt64LittleEndian(row.AsSpan(40), size);
        }

        private static string TypeName(uint type) => type switch
        {
            ElfConstants.PtNull => "PT_NULL",
            ElfConstants.PtLoad => "PT_LOAD",
            ElfConstants.PtDynamic => "PT_DYNAMIC",
            ElfConstants.PtNote => "PT_NOTE",
            ElfConstants.PtPhdr => "PT_PHDR",
            _ => $"type 0x{type:x}",
        };

        /// <summary>A PT_NULL header, else a PT_NOTE whose notes the loader can do without; the last one found.</summary>
        private static ElfProgramHeader? ChooseSlot(ElfFile elf)
        {
            var spare = elf.ProgramHeaders.LastOrDefault(p => p.Type == ElfConstants.PtNull);
            if (spare is not null)
            {
                return spare;
            }

            var hasPropertySegment = elf.ProgramHeaders.Any(p => p.Type == ElfConstants.PtGnuProperty);
            return elf.ProgramHeaders.LastOrDefault(p => p.Type == ElfConstants.PtNote && (hasPropertySegment || !HoldsGnuProperty(elf, p)));
        }

        /// <summary>True when the note segment holds a GNU property note (x86 IBT/SHSTK markings), or cannot be parsed.</summary>
        private static bool HoldsGnuProperty(ElfFile elf, ElfProgramHeader note)
        {
            if (note.FileSize > 64 * 1024 || note.Offset + note.FileSize > (ulong)elf.Length)
            {
                return true;
            }

            var bytes = elf.Reader.ReadBytes((long)note.Offset, (long)note.FileSize, "note segment");
            var pad = note.Align == 8 ? 8 : 4;
            var at = 0L;
            while (at + 12 <= bytes.Length)
            {
                var nameSize = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan((int)at));
                var descSize = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan((int)at + 4));
                var type = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan((int)at + 8));
                var nameEnd = at + 12 + nameSize;
                if (nameEnd > bytes.Length)
                {
                    return true;
                }

                var name = Encoding.ASCII.GetString(bytes, (int)at + 12, (int)nameSize).TrimEnd('\0');
                if (name == "GNU" && type == ElfConstants.NtGnuPropertyType0)
                {
                    return true;
                }

                at = (long)RoundUp((ulong)nameEnd, (ulong)pad);
                at = (long)RoundUp((ulong)(at + descSize), (ulong)pad);
            }

            return false;
        }
    }
}
