using System.Security.Cryptography;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Native;
using TorchEnv.TestSupport;

namespace TorchEnv.Core.Tests.Native;

public sealed class LibStdCxxCompatPatcherTests : IDisposable
{
    private const string Ios = "_ZSt21ios_base_library_initv";
    private const string Shim = LibStdCxxCompatPatcher.DefaultShimFileName;
    private readonly TempDirectory _temp = new("torchenv-patch");

    public void Dispose() => _temp.Dispose();

    /// <summary>Shaped like libLibTorchSharp.so: GLIBCXX_3.4.32 only for the marker, DT_SYMBOLIC, a build-id PT_NOTE.</summary>
    private static TinyElfBuilder TorchSharpLike() =>
        new TinyElfBuilder("libLibTorchSharp.so") { Runpath = "$ORIGIN/:/lib/intel64", Symbolic = true }
            .Needed("libtorch.so")
            .Need("libstdc++.so.6", "GLIBCXX_3.4.30").Need("libstdc++.so.6", "GLIBCXX_3.4.32").Need("libstdc++.so.6", "CXXABI_1.3.13")
            .Need("libc.so.6", "GLIBC_2.34")
            .Import("_ZNSt8ios_base4InitC1Ev", "GLIBCXX_3.4.30")
            .Import(Ios, "GLIBCXX_3.4.32")
            .Import("malloc", "GLIBC_2.34")
            .Export("THSTorch_get_num_threads");

    private string Input(TinyElfBuilder builder, string name = "libLibTorchSharp.so") => builder.WriteTo(_temp.Combine("in", name));

    [Fact]
    public void Patches_the_three_fields_and_the_reader_sees_the_result()
    {
        var input = Input(TorchSharpLike());
        var output = _temp.Combine("out", "libLibTorchSharp.so");

        var result = LibStdCxxCompatPatcher.Patch(input, output);

        Assert.False(result.AlreadyPatched);
        Assert.Equal(("GLIBCXX_3.4.32", "libstdc++.so.6", Shim), (result.WeakenedVersion, result.Library, result.AddedNeeded));
        Assert.Equal([Ios], result.UnversionedSymbols);
        using var before = ElfFile.Open(input);
        using var after = ElfFile.Open(output);
        var needs = after.VersionNeeds.SelectMany(n => n.Versions).ToDictionary(v => v.Name);
        Assert.True(needs["GLIBCXX_3.4.32"].IsWeak);
        Assert.False(needs["GLIBCXX_3.4.30"].IsWeak);
        Assert.False(needs["GLIBC_2.34"].IsWeak);
        Assert.Equal(1, after.FindDynamicSymbols(Ios).Single().VersionIndex);
        Assert.Equal(before.ReadDynamicSymbols().Where(s => s.Name != Ios), after.ReadDynamicSymbols().Where(s => s.Name != Ios));
        Assert.Equal([.. before.Dynamic!.Needed, Shim], after.Dynamic!.Needed);
        Assert.Equal((before.Dynamic.Soname, before.Dynamic.Runpath), (after.Dynamic.Soname, after.Dynamic.Runpath));
        var shimName = before.Dynamic.Find(10)!.Value; // the shim's name starts where the old string table ended
        Assert.Equal(
            before.Dynamic.Entries.Where(e => e.Tag is not (5 or 10)),
            after.Dynamic.Entries.Where(e => e.Tag is not (5 or 10) && e != new ElfDynamicEntry(1, shimName)));
        Assert.True(LibStdCxxCompatPatcher.IsPatched(output));
        Assert.False(LibStdCxxCompatPatcher.IsPatched(input));
    }

    [Fact]
    public void Everything_outside_the_reported_changes_is_byte_identical_and_the_input_untouched()
    {
        var input = Input(TorchSharpLike());
        var inputHash = SHA256.HashData(File.ReadAllBytes(input));
        var output = _temp.Combine("out", "libLibTorchSharp.so");

        var result = LibStdCxxCompatPatcher.Patch(input, output);

        var original = File.ReadAllBytes(input);
        var patched = File.ReadAllBytes(output);
        Assert.Equal(inputHash, SHA256.HashData(original));
        Assert.Equal(result.OutputLength, patched.Length);
        Assert.True(patched.Length > original.Length);
        for (var i = 0; i < original.Length; i++)
        {
            if (original[i] != patched[i])
            {
                Assert.Contains(result.Changes, c => c.Offset <= i && i < c.Offset + c.Length);
            }
        }

        // The changes are exactly these fields, and their bytes are what the output holds.
        var inPlace = result.Changes.Where(c => c.Offset < original.Length).ToList();
        Assert.Equal(2, inPlace.Single(c => c.Description.StartsWith("vna_flags of GLIBCXX_3.4.32", StringComparison.Ordinal)).Length);
        Assert.Equal(2, inPlace.Single(c => c.Description.StartsWith($".gnu.version of {Ios}", StringComparison.Ordinal)).Length);
        Assert.Equal(2, inPlace.Count(c => c.Description.StartsWith("program header", StringComparison.Ordinal)));
        Assert.Equal(2, inPlace.Count(c => c.Description.StartsWith("section header", StringComparison.Ordinal)));
        Assert.Equal(6, inPlace.Count);
        Assert.Equal(original.Length, result.Changes.Single(c => c.Description.StartsWith("appended", StringComparison.Ordinal)).Offset);

        using var elf = ElfFile.Open(input);
        var vna = elf.VersionNeeds.SelectMany(n => n.Versions).Single(v => v.Name == "GLIBCXX_3.4.32");
        var flagsChange = inPlace.Single(c => c.Description.StartsWith("vna_flags", StringComparison.Ordinal));
        Assert.Equal(vna.Flags | 2, BitConverter.ToUInt16(patched, (int)flagsChange.Offset));
    }

    [Fact]
    public void Readelf_agrees_with_the_patched_file()
    {
        var output = _temp.Combine("out", "libLibTorchSharp.so");
        LibStdCxxCompatPatcher.Patch(Input(TorchSharpLike()), output);

        var readelf = ProcessRunner.RunChecked("readelf", ["-d", "-V", "-l", "--dyn-syms", "-W", output], TimeSpan.FromSeconds(30));

        Assert.DoesNotContain("Warning", readelf.Output);
        Assert.Contains($"(NEEDED)             Shared library: [{Shim}]", readelf.StandardOutput);
        Assert.Matches(@"Name: GLIBCXX_3\.4\.32\s+Flags: WEAK", readelf.StandardOutput);
        Assert.Matches($@"UND {Ios}\r?\n", readelf.StandardOutput); // no @GLIBCXX_3.4.32 any more
        Assert.Contains("Library runpath: [$ORIGIN/:/lib/intel64]", readelf.StandardOutput);
    }

    [Fact]
    public void Patching_its_own_output_again_is_a_no_op()
    {
        var first = _temp.Combine("out", "libLibTorchSharp.so");
        LibStdCxxCompatPatcher.Patch(Input(TorchSharpLike()), first);
        var second = _temp.Combine("again", "libLibTorchSharp.so");

        var result = LibStdCxxCompatPatcher.Patch(first, second);

        Assert.True(result.AlreadyPatched);
        Assert.Equal("GLIBCXX_3.4.32", result.WeakenedVersion);
        Assert.Empty(result.Changes);
        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
        Assert.Contains("already patched", result.Describe());
    }

    [Fact]
    public void Overwrites_an_existing_output_and_leaves_no_temporary_files()
    {
        var input = Input(TorchSharpLike());
        var output = _temp.WriteFile("out/libLibTorchSharp.so", "stale");

        LibStdCxxCompatPatcher.Patch(input, output);

        Assert.True(LibStdCxxCompatPatcher.IsPatched(output));
        Assert.Equal(["libLibTorchSharp.so"], Directory.GetFiles(_temp.Combine("out")).Select(Path.GetFileName));
    }

    [Fact]
    public void A_spare_PT_NULL_header_is_used_before_the_note()
    {
        var builder = TorchSharpLike();
        builder.SpareProgramHeader = true;
        var output = _temp.Combine("out", "lib.so");

        var result = LibStdCxxCompatPatcher.Patch(Input(builder), output);

        using var elf = ElfFile.Open(output);
        Assert.Contains(elf.ProgramHeaders, p => p.Type == 4); // the note survives
        Assert.DoesNotContain(result.Notes, n => n.Contains("PT_NOTE"));
        Assert.Contains(result.Changes, c => c.Description.Contains("was PT_NULL"));
    }

    [Fact]
    public void A_note_header_before_the_loads_is_moved_so_loads_stay_sorted()
    {
        var builder = TorchSharpLike();
        builder.NoteHeaderFirst = true;
        var output = _temp.Combine("out", "lib.so");

        LibStdCxxCompatPatcher.Patch(Input(builder), output);

        using var elf = ElfFile.Open(output);
        var loads = elf.ProgramHeaders.Where(p => p.Type == 1).ToList();
        Assert.Equal(3, loads.Count);
        Assert.Equal(loads.OrderBy(l => l.VirtualAddress), loads);
        Assert.Equal(loads.Select(l => l.Index), Enumerable.Range(0, 3)); // contiguous at the top of the table
    }

    [Fact]
    public void Works_on_a_library_without_section_headers()
    {
        var builder = TorchSharpLike();
        builder.OmitSectionHeaders = true;
        var output = _temp.Combine("out", "lib.so");

        var result = LibStdCxxCompatPatcher.Patch(Input(builder), output);

        Assert.Equal(2, result.Notes.Count(n => n.Contains("no unique")));
        using var elf = ElfFile.Open(output);
        Assert.Equal(Shim, elf.Dynamic!.Needed[^1]);
    }

    [Fact]
    public void Refuses_a_library_that_does_not_reference_the_marker()
    {
        var input = Input(new TinyElfBuilder().Need("libstdc++.so.6", "GLIBCXX_3.4.32").Import("_ZSt5otherv", "GLIBCXX_3.4.32"));

        AssertRefused(input, "TENV0320", "does not reference std::ios_base_library_init()");
    }

    [Fact]
    public void Refuses_when_other_symbols_need_the_same_version()
    {
        var input = Input(TorchSharpLike().Import("_ZNSt6chrono9tzdb_list5beginEv", "GLIBCXX_3.4.32"));

        AssertRefused(input, "TENV0320", "1 other symbol(s) also need GLIBCXX_3.4.32 (_ZNSt6chrono9tzdb_list5beginEv)");
    }

    [Fact]
    public void Refuses_a_marker_bound_to_something_other_than_libstdcxx()
    {
        var input = Input(new TinyElfBuilder().Need("libc.so.6", "GLIBC_2.34").Import(Ios, "GLIBC_2.34"));

        AssertRefused(input, "TENV0320", "bound to GLIBC_2.34 of libc.so.6");
    }

    [Fact]
    public void Refuses_a_partly_patched_library()
    {
        var input = Input(new TinyElfBuilder().Need("libstdc++.so.6", "GLIBCXX_3.4.32", weak: true).Import(Ios, "GLIBCXX_3.4.32"));

        AssertRefused(input, "TENV0320", "partly patched");
    }

    [Fact]
    public void Refuses_a_library_without_a_reusable_program_header()
    {
        var builder = TorchSharpLike();
        builder.Note = TinyElfBuilder.NoteKind.None;

        AssertRefused(Input(builder), "TENV0321", "no PT_NULL or droppable PT_NOTE");
    }

    [Fact]
    public void Never_drops_a_GNU_property_note()
    {
        var builder = TorchSharpLike();
        builder.Note = TinyElfBuilder.NoteKind.GnuProperty;

        AssertRefused(Input(builder), "TENV0321", "no PT_NULL or droppable PT_NOTE");
    }

    [Fact]
    public void Refuses_to_write_over_its_input_or_to_use_a_path_as_shim_name()
    {
        var input = Input(TorchSharpLike());
        var bytes = File.ReadAllBytes(input);

        var same = Assert.Throws<TorchEnvException>(() => LibStdCxxCompatPatcher.Patch(input, input));
        var path = Assert.Throws<TorchEnvException>(() => LibStdCxxCompatPatcher.Patch(input, _temp.Combine("out", "x.so"), "../libshim.so"));

        Assert.Equal("TENV0322", same.Diagnostic.Code);
        Assert.Contains("the input must stay untouched", same.Diagnostic.Message);
        Assert.Equal("TENV0322", path.Diagnostic.Code);
        Assert.Equal(bytes, File.ReadAllBytes(input));
        Assert.False(Directory.Exists(_temp.Combine("out")) && Directory.EnumerateFileSystemEntries(_temp.Combine("out")).Any());
    }

    [Fact]
    public void Refuses_files_that_are_not_libraries()
    {
        var text = _temp.WriteFile("in/readme.so", "not a library");

        AssertRefused(text, "TENV0320", "it is not an ELF file");
    }

    private void AssertRefused(string input, string code, string expected)
    {
        var output = _temp.Combine("refused", Path.GetFileName(input));
        var before = File.ReadAllBytes(input);

        var error = Assert.Throws<TorchEnvException>(() => LibStdCxxCompatPatcher.Patch(input, output));

        Assert.Equal(code, error.Diagnostic.Code);
        Assert.Contains(expected, error.Diagnostic.Message);
        Assert.Contains(input, error.Diagnostic.Message);
        Assert.NotNull(error.Diagnostic.Fix);
        Assert.False(File.Exists(output));
        Assert.False(Directory.Exists(_temp.Combine("refused")) && Directory.EnumerateFileSystemEntries(_temp.Combine("refused")).Any());
        Assert.Equal(before, File.ReadAllBytes(input));
    }
}
