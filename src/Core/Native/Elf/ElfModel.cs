namespace TorchEnv.Core.Native;

/// <summary>The fields of the ELF file header TorchEnv uses.</summary>
/// <param name="Type">Object type (<c>e_type</c>): 2 executable, 3 shared object.</param>
/// <param name="Machine">Architecture (<c>e_machine</c>): 62 x86-64, 183 AArch64.</param>
/// <param name="ProgramHeaderOffset">File offset of the program header table.</param>
/// <param name="ProgramHeaderCount">Number of program headers.</param>
/// <param name="SectionHeaderOffset">File offset of the section header table (0 when absent).</param>
/// <param name="SectionHeaderCount">Number of section headers.</param>
/// <param name="SectionNameTableIndex">Index of the section holding section names.</param>
public sealed record ElfHeader(
    ushort Type,
    ushort Machine,
    ulong ProgramHeaderOffset,
    int ProgramHeaderCount,
    ulong SectionHeaderOffset,
    int SectionHeaderCount,
    int SectionNameTableIndex)
{
    /// <summary>True for a shared object (<c>ET_DYN</c>).</summary>
    public bool IsSharedObject => Type == ElfConstants.EtDyn;
}

/// <summary>One program header (segment).</summary>
/// <param name="Index">Position in the program header table.</param>
/// <param name="Type"><c>p_type</c> (1 LOAD, 2 DYNAMIC, 4 NOTE, …).</param>
/// <param name="Flags"><c>p_flags</c> (1 X, 2 W, 4 R).</param>
/// <param name="Offset">File offset.</param>
/// <param name="VirtualAddress">Address in memory relative to the load base.</param>
/// <param name="FileSize">Bytes in the file.</param>
/// <param name="MemorySize">Bytes in memory.</param>
/// <param name="Align">Alignment.</param>
public sealed record ElfProgramHeader(
    int Index,
    uint Type,
    uint Flags,
    ulong Offset,
    ulong VirtualAddress,
    ulong FileSize,
    ulong MemorySize,
    ulong Align);

/// <summary>One section header.</summary>
/// <param name="Index">Position in the section header table.</param>
/// <param name="Name">Name from the section name table (empty when there is none).</param>
/// <param name="Type"><c>sh_type</c>.</param>
/// <param name="Address">Address in memory (0 for non-allocated sections).</param>
/// <param name="Offset">File offset.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="Link"><c>sh_link</c>.</param>
/// <param name="EntrySize"><c>sh_entsize</c>.</param>
public sealed record ElfSectionHeader(
    int Index,
    string Name,
    uint Type,
    ulong Address,
    ulong Offset,
    ulong Size,
    uint Link,
    ulong EntrySize);

/// <summary>One entry of the dynamic section.</summary>
/// <param name="Tag"><c>d_tag</c> (1 NEEDED, 14 SONAME, 29 RUNPATH, …).</param>
/// <param name="Value"><c>d_val</c> / <c>d_ptr</c>.</param>
public readonly record struct ElfDynamicEntry(long Tag, ulong Value);

/// <summary>The dynamic section as the loader reads it (through <c>PT_DYNAMIC</c>).</summary>
/// <param name="Offset">File offset of the section.</param>
/// <param name="Address">Its address in memory.</param>
/// <param name="Entries">Entries up to and including the first <c>DT_NULL</c>.</param>
/// <param name="SpareNullEntries">Further <c>DT_NULL</c> entries after the terminating one (free slots).</param>
/// <param name="Needed">The <c>DT_NEEDED</c> library names, in order.</param>
/// <param name="Soname"><c>DT_SONAME</c>, or null.</param>
/// <param name="Runpath"><c>DT_RUNPATH</c>, or null.</param>
/// <param name="Rpath"><c>DT_RPATH</c>, or null.</param>
public sealed record ElfDynamicSection(
    ulong Offset,
    ulong Address,
    IReadOnlyList<ElfDynamicEntry> Entries,
    int SpareNullEntries,
    IReadOnlyList<string> Needed,
    string? Soname,
    string? Runpath,
    string? Rpath)
{
    /// <summary>The value of the first entry with this tag, or null.</summary>
    public ulong? Find(long tag)
    {
        foreach (var entry in Entries)
        {
            if (entry.Tag == tag)
            {
                return entry.Value;
            }
        }

        return null;
    }
}

/// <summary>The versions one library must provide (<c>Elf64_Verneed</c> with its <c>Elf64_Vernaux</c> entries).</summary>
/// <param name="Library">The library file (<c>vn_file</c>), e.g. <c>libstdc++.so.6</c>.</param>
/// <param name="Versions">The versions needed from it.</param>
public sealed record ElfVersionNeed(string Library, IReadOnlyList<ElfVersionNeedEntry> Versions);

/// <summary>One needed version (<c>Elf64_Vernaux</c>).</summary>
/// <param name="Name">Version name, e.g. <c>GLIBCXX_3.4.32</c>.</param>
/// <param name="Flags"><c>vna_flags</c>; 0x2 (<c>VER_FLG_WEAK</c>) means the loader tolerates its absence.</param>
/// <param name="Index"><c>vna_other</c>: the index that <c>.gnu.version</c> entries use to bind symbols to this version.</param>
/// <param name="Hash"><c>vna_hash</c> (ELF hash of the name).</param>
public sealed record ElfVersionNeedEntry(string Name, ushort Flags, ushort Index, uint Hash)
{
    /// <summary>True when <c>VER_FLG_WEAK</c> is set.</summary>
    public bool IsWeak => (Flags & ElfConstants.VerFlgWeak) != 0;

    /// <summary>File offset of this <c>Elf64_Vernaux</c> (its <c>vna_flags</c> is 4 bytes further).</summary>
    internal long FileOffset { get; init; }
}

/// <summary>One version a library defines (<c>Elf64_Verdef</c>).</summary>
/// <param name="Index"><c>vd_ndx</c>.</param>
/// <param name="Flags"><c>vd_flags</c>; 0x1 (<c>VER_FLG_BASE</c>) marks the entry naming the file itself.</param>
/// <param name="Name">Version name, e.g. <c>GLIBC_2.36</c>.</param>
/// <param name="Parents">Names of the versions it inherits from.</param>
public sealed record ElfVersionDefinition(ushort Index, ushort Flags, string Name, IReadOnlyList<string> Parents)
{
    /// <summary>True for the base entry, which names the file rather than a version.</summary>
    public bool IsBase => (Flags & ElfConstants.VerFlgBase) != 0;
}

/// <summary>A dynamic symbol with the version it is bound to.</summary>
/// <param name="Index">Index in <c>.dynsym</c>.</param>
/// <param name="Name">Symbol name (mangled).</param>
/// <param name="IsDefined">False for an undefined (imported) symbol.</param>
/// <param name="VersionIndex">The <c>.gnu.version</c> entry without the hidden bit: 0 local, 1 global, ≥2 a version.</param>
/// <param name="IsVersionHidden">True when the hidden bit (0x8000) is set.</param>
public sealed record ElfSymbol(int Index, string Name, bool IsDefined, ushort VersionIndex, bool IsVersionHidden);
