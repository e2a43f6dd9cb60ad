namespace TorchEnv.Core.Native;

/// <summary>The ELF numbers TorchEnv needs (System V ABI, glibc's <c>elf.h</c>), named once.</summary>
internal static class ElfConstants
{
    public const byte ClassElf64 = 2;
    public const byte DataLittleEndian = 1;
    public const int HeaderSize = 64;
    public const int ProgramHeaderSize = 56;
    public const int SectionHeaderSize = 64;
    public const int DynamicEntrySize = 16;
    public const int SymbolSize = 24;

    public const ushort EtDyn = 3;
    public const ushort EmX86_64 = 62;
    public const ushort EmAArch64 = 183;

    // Extended numbering: the real counts live in section header 0.
    public const ushort PnXnum = 0xffff;
    public const ushort ShnXindex = 0xffff;

    public const uint PtNull = 0;
    public const uint PtLoad = 1;
    public const uint PtDynamic = 2;
    public const uint PtNote = 4;
    public const uint PtPhdr = 6;
    public const uint PtGnuProperty = 0x6474e553;

    public const uint PfW = 2;
    public const uint PfR = 4;

    public const uint ShtDynsym = 11;
    public const uint ShtDynamic = 6;
    public const uint ShtStrtab = 3;

    public const long DtNull = 0;
    public const long DtNeeded = 1;
    public const long DtHash = 4;
    public const long DtStrtab = 5;
    public const long DtSymtab = 6;
    public const long DtStrsz = 10;
    public const long DtSoname = 14;
    public const long DtRpath = 15;
    public const long DtRunpath = 29;
    public const long DtGnuHash = 0x6ffffef5;
    public const long DtVersym = 0x6ffffff0;
    public const long DtVerdef = 0x6ffffffc;
    public const long DtVerdefnum = 0x6ffffffd;
    public const long DtVerneed = 0x6ffffffe;
    public const long DtVerneednum = 0x6fffffff;

    public const ushort VerFlgBase = 0x1;
    public const ushort VerFlgWeak = 0x2;
    public const ushort VersymHidden = 0x8000;
    public const ushort VersymGlobal = 1;

    public const uint NtGnuPropertyType0 = 5;

    // Caps that keep a hostile or corrupt file from making the reader allocate or loop without bound (with BoundedByteReader's).
    public const int MaxVersionEntries = 1 << 16;
}
