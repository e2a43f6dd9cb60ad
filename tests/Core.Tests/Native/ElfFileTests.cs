using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Native;
using TorchEnv.TestSupport;

namespace TorchEnv.Core.Tests.Native;

public sealed class ElfFileTests : IDisposable
{
    private readonly TempDirectory _temp = new("torchenv-elf");

    public void Dispose() => _temp.Dispose();

    private static TinyElfBuilder Sample() =>
        new TinyElfBuilder("libsample.so.1") { Runpath = "$ORIGIN/../lib" }
            .Need("libstdc++.so.6", "GLIBCXX_3.4.32")
            .Need("libstdc++.so.6", "CXXABI_1.3.13", weak: true)
            .Need("libc.so.6", "GLIBC_2.34")
            .Needed("libm.so.6")
            .Define("SAMPLE_1.0")
            .Define("SAMPLE_2.0", parent: "SAMPLE_1.0")
            .Import("_ZSt21ios_base_library_initv", "GLIBCXX_3.4.32")
            .Import("malloc", "GLIBC_2.34")
            .Import("unversioned_import")
            .Export("sample_create", "SAMPLE_2.0");

    [Fact]
    public void Reads_the_dynamic_section_like_the_loader()
    {
        using var elf = ElfFile.Open(Sample().WriteTo(_temp.Combine("libsample.so.1")));

        Assert.True(elf.Header.IsSharedObject);
        Assert.Equal(62, elf.Header.Machine);
        Assert.Equal(["libstdc++.so.6", "libc.so.6", "libm.so.6"], elf.Dynamic!.Needed);
        Assert.Equal("libsample.so.1", elf.Dynamic.Soname);
        Assert.Equal("$ORIGIN/../lib", elf.Dynamic.Runpath);
        Assert.Null(elf.Dynamic.Rpath);
    }

    [Fact]
    public void Reads_version_needs_with_flags_and_indexes()
    {
        var builder = Sample();
        using var elf = ElfFile.Open(builder.WriteTo(_temp.Combine("libsample.so.1")));

        var cxx = Assert.Single(elf.VersionNeeds, n => n.Library == "libstdc++.so.6");
        Assert.Equal(["GLIBCXX_3.4.32", "CXXABI_1.3.13"], cxx.Versions.Select(v => v.Name));
        Assert.False(cxx.Versions[0].IsWeak);
        Assert.True(cxx.Versions[1].IsWeak);
        Assert.Equal(builder.VersionIndexOf("GLIBCXX_3.4.32"), cxx.Versions[0].Index);
        Assert.Equal(TinyElfBuilder.ElfHash("GLIBCXX_3.4.32"), cxx.Versions[0].Hash);
        var libc = Assert.Single(elf.VersionNeeds, n => n.Library == "libc.so.6");
        Assert.Equal("GLIBC_2.34", Assert.Single(libc.Versions).Name);
    }

    [Fact]
    public void Reads_version_definitions_with_base_entry_and_parents()
    {
        using var elf = ElfFile.Open(Sample().WriteTo(_temp.Combine("libsample.so.1")));

        Assert.Equal(["libsample.so.1", "SAMPLE_1.0", "SAMPLE_2.0"], elf.VersionDefinitions.Select(d => d.Name));
        Assert.True(elf.VersionDefinitions[0].IsBase);
        Assert.False(elf.VersionDefinitions[1].IsBase);
        Assert.Equal(["SAMPLE_1.0"], elf.VersionDefinitions[2].Parents);
    }

    [Fact]
    public void Binds_symbols_to_their_versions()
    {
        var builder = Sample();
        using var elf = ElfFile.Open(builder.WriteTo(_temp.Combine("libsample.so.1")));

        var symbols = elf.ReadDynamicSymbols();
        Assert.Equal(5, elf.DynamicSymbolCount);
        var ios = Assert.Single(symbols, s => s.Name == "_ZSt21ios_base_library_initv");
        Assert.False(ios.IsDefined);
        Assert.Equal(builder.VersionIndexOf("GLIBCXX_3.4.32"), ios.VersionIndex);
        Assert.Equal(1, symbols.Single(s => s.Name == "unversioned_import").VersionIndex);
        var export = symbols.Single(s => s.Name == "sample_create");
        Assert.True(export.IsDefined);
        Assert.Equal(builder.VersionIndexOf("SAMPLE_2.0"), export.VersionIndex);

        var bound = elf.FindSymbolsBoundTo(new HashSet<ushort> { builder.VersionIndexOf("GLIBCXX_3.4.32"), builder.VersionIndexOf("GLIBC_2.34") });
        Assert.Equal(["_ZSt21ios_base_library_initv", "malloc"], bound.Select(s => s.Name));
        Assert.Equal("GLIBCXX_3.4.32", elf.FindVersionNeed(ios.VersionIndex)!.Value.Entry.Name);
        Assert.Equal([ios.Index], elf.FindDynamicSymbols("_ZSt21ios_base_library_initv").Select(s => s.Index));
    }

    [Fact]
    public void Works_without_section_headers_like_a_stripped_library()
    {
        var builder = Sample();
        builder.OmitSectionHeaders = true;
        using var elf = ElfFile.Open(builder.WriteTo(_temp.Combine("stripped.so")));

        Assert.Empty(elf.SectionHeaders);
        Assert.Equal(5, elf.DynamicSymbolCount); // from DT_HASH
        Assert.Equal(["GLIBCXX_3.4.32", "CXXABI_1.3.13", "GLIBC_2.34"], elf.VersionNeeds.SelectMany(n => n.Versions).Select(v => v.Name));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\x7f")]
    [InlineData("\x7f" + "EL")]
    [InlineData("#!/bin/sh\necho not a library\n")]
    [InlineData("MZ\x90\x00 a Windows DLL header")]
    public void Non_elf_input_gives_null_not_an_exception(string content)
    {
        var path = _temp.WriteFile("not-elf.bin", content);

        Assert.Null(ElfFile.TryOpen(path));
        Assert.Null(ElfFile.TryOpenSupported(path));
        Assert.False(ElfFile.HasElfMagic(path));
    }

    [Theory]
    [InlineData(4, 1, "32-bit")]
    [InlineData(5, 2, "big-endian")]
    public void Other_elf_classes_are_rejected_with_TENV0300(int offset, byte value, string expected)
    {
        var bytes = Sample().Build();
        bytes[offset] = value;
        var path = _temp.Combine("other.so");
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<TorchEnvException>(() => ElfFile.TryOpen(path));
        Assert.Equal("TENV0300", error.Diagnostic.Code);
        Assert.Contains(expected, error.Diagnostic.Message);
        Assert.Contains(path, error.Diagnostic.Message);
        Assert.Null(ElfFile.TryOpenSupported(path));
        Assert.True(ElfFile.HasElfMagic(path));
    }

    [Fact]
    public void Every_truncation_is_either_readable_or_a_clear_TENV0301()
    {
        var bytes = Sample().Build();
        var path = _temp.Combine("truncated.so");
        for (var length = 4; length < bytes.Length; length += length < 512 ? 1 : 61)
        {
            File.WriteAllBytes(path, bytes[..length]);
            var error = Record.Exception(() => ReadEverything(path));
            if (error is not null)
            {
                var coded = Assert.IsType<TorchEnvException>(error);
                Assert.Equal("TENV0301", coded.Diagnostic.Code);
                Assert.StartsWith($"'{path}' is not a valid ELF file: ", coded.Diagnostic.Message);
                Assert.NotNull(coded.Diagnostic.Fix);
            }
        }

        // The last part of this file is the section header table: without it, the library is unreadable.
        File.WriteAllBytes(path, bytes[..(bytes.Length - 1)]);
        Assert.Equal("TENV0301", Assert.Throws<TorchEnvException>(() => ReadEverything(path)).Diagnostic.Code);
    }

    [Fact]
    public void Random_corruption_never_crashes_or_hangs_the_reader()
    {
        var original = Sample().Build();
        var random = new Random(20240607);
        var path = _temp.Combine("corrupt.so");
        var failures = 0;
        for (var round = 0; round < 600; round++)
        {
            var bytes = (byte[])original.Clone();
            var flips = 1 + random.Next(8);
            for (var i = 0; i < flips; i++)
            {
                // Aim most corruption at the headers and tables, where it matters.
                var at = random.Next(4) == 0 ? random.Next(bytes.Length) : random.Next(Math.Min(bytes.Length, 0x400));
                bytes[at] = (byte)random.Next(256);
            }

            File.WriteAllBytes(path, bytes);
            var error = Record.Exception(() => ReadEverything(path));
            if (error is not null)
            {
                var coded = Assert.IsType<TorchEnvException>(error);
                Assert.Contains(coded.Diagnostic.Code, new[] { "TENV0300", "TENV0301" });
                failures++;
            }
        }

        Assert.InRange(failures, 1, 599); // corruption was detected sometimes, and harmless flips were tolerated
    }

    [Fact]
    public void Garbage_after_the_magic_is_rejected_cleanly()
    {
        var random = new Random(7);
        var path = _temp.Combine("garbage.so");
        for (var round = 0; round < 200; round++)
        {
            var bytes = new byte[random.Next(4, 4096)];
            random.NextBytes(bytes);
            bytes[0] = 0x7f;
            bytes[1] = (byte)'E';
            bytes[2] = (byte)'L';
            bytes[3] = (byte)'F';
            bytes[4] = 2;
            bytes[5] = 1;
            File.WriteAllBytes(path, bytes);

            var error = Record.Exception(() => ReadEverything(path));
            if (error is not null)
            {
                Assert.Contains(Assert.IsType<TorchEnvException>(error).Diagnostic.Code, new[] { "TENV0300", "TENV0301" });
            }
        }
    }

    private static void ReadEverything(string path)
    {
        using var elf = ElfFile.TryOpen(path);
        if (elf is null)
        {
            return;
        }

        _ = elf.ReadDynamicSymbols();
        _ = elf.FindSymbolsBoundTo(new HashSet<ushort> { 2, 3, 4, 5, 6 });
        _ = elf.FindDynamicSymbols("_ZSt21ios_base_library_initv");
    }
}
