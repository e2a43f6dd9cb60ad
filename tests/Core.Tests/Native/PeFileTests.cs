using System.Buffers.Binary;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Native;
using TorchEnv.TestSupport;

namespace TorchEnv.Core.Tests.Native;

/// <summary>The PE export reader on tiny DLLs built in the test (<see cref="TinyPeBuilder"/>), well-formed and damaged.</summary>
public sealed class PeFileTests : IDisposable
{
    private readonly TempDirectory _temp = new("torchenv-pe");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_export_table_gives_every_name_the_machine_and_the_dll_name()
    {
        var path = Write("torch_cpu.dll", new TinyPeBuilder("torch_cpu.dll")
            .Export("?set_autocast_enabled@autocast@at@@YAXW4DeviceType@c10@@_N@Z")
            .Export("?clear_cache@autocast@at@@YAXXZ")
            .Export("plain_c_function"));

        var pe = PeFile.Read(path);

        Assert.Equal((PeFile.MachineAmd64, true, "torch_cpu.dll"), (pe.Machine, pe.IsPe32Plus, pe.DllName));
        Assert.Equal(["?clear_cache@autocast@at@@YAXXZ", "?set_autocast_enabled@autocast@at@@YAXW4DeviceType@c10@@_N@Z", "plain_c_function"], pe.ExportedNames);
        Assert.True(pe.Exports("?clear_cache@autocast@at@@YAXXZ"));
        Assert.False(pe.Exports("?CLEAR_CACHE@autocast@at@@YAXXZ"));   // case-sensitive, as GetProcAddress
        Assert.False(pe.Exports("_ZN2at8autocast11clear_cacheEv"));
    }

    [Fact]
    public void A_32_bit_arm64_or_export_free_dll_is_read_too()
    {
        var pe32 = PeFile.Read(Write("x86.dll", new TinyPeBuilder("x86.dll").Machine(PeFile.MachineI386, pe32Plus: false).Export("f")));
        var arm = PeFile.Read(Write("arm.dll", new TinyPeBuilder("arm.dll").Machine(PeFile.MachineArm64).Export("g")));
        var empty = PeFile.Read(Write("empty.dll", new TinyPeBuilder("empty.dll")));

        Assert.Equal((PeFile.MachineI386, false, "f"), (pe32.Machine, pe32.IsPe32Plus, pe32.ExportedNames.Single()));
        Assert.Equal((PeFile.MachineArm64, "g"), (arm.Machine, arm.ExportedNames.Single()));
        Assert.Empty(empty.ExportedNames);
    }

    [Fact]
    public void A_file_that_is_not_pe_is_null_for_TryRead_and_TENV0305_for_Read()
    {
        var elf = _temp.Combine("libtorch_cpu.so");
        File.WriteAllBytes(elf, new TinyElfBuilder("libtorch_cpu.so").Export("f").Build());

        Assert.Null(PeFile.TryRead(elf));
        var error = Assert.Throws<TorchEnvException>(() => PeFile.Read(elf));
        Assert.Equal(NativeMessages.MalformedPeDescriptor, error.Diagnostic.Descriptor);
        Assert.Contains("'MZ'", error.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("truncated", "beyond the end of the file")]
    [InlineData("no-signature", "no 'PE\\0\\0' signature")]
    [InlineData("name-outside", "export name at RVA 0x9000 is in no section")]
    [InlineData("huge-count", "claims 268435455 names")]
    public void A_damaged_dll_is_TENV0305_saying_what_is_wrong(string damage, string expected)
    {
        var bytes = new TinyPeBuilder("torch_cpu.dll").Export("a").Export("b").Build();
        const int Section = 0x200;
        bytes = damage switch
        {
            "truncated" => bytes[..(Section + 30)],
            "no-signature" => Patch(bytes, 0x40, 0x4550_4551u),
            "name-outside" => Patch(bytes, Section + 40 + 8, 0x9000u),     // the first name pointer (after two function RVAs)
            "huge-count" => Patch(bytes, Section + 24, 0x0FFF_FFFFu),
            _ => throw new ArgumentOutOfRangeException(nameof(damage)),
        };
        var path = _temp.Combine($"{damage}.dll");
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<TorchEnvException>(() => PeFile.Read(path));

        Assert.Equal("TENV0305", error.Diagnostic.Code);
        Assert.Contains(expected, error.Diagnostic.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Objdump_lists_the_same_exports_as_the_reader()
    {
        // binutils reads PE too: an independent check that the tiny DLLs are real PE files.
        var path = Write("check.dll", new TinyPeBuilder("check.dll").Export("?is_autocast_cache_enabled@autocast@at@@YA_NXZ").Export("second"));

        var dump = ProcessRunner.RunChecked("objdump", ["-p", path], TimeSpan.FromMinutes(1)).StandardOutput;

        Assert.Contains("pei-x86-64", dump, StringComparison.Ordinal);
        Assert.All(PeFile.Read(path).ExportedNames, name => Assert.Contains(name, dump, StringComparison.Ordinal));
    }

    private string Write(string name, TinyPeBuilder builder)
    {
        var path = _temp.Combine(name);
        File.WriteAllBytes(path, builder.Build());
        return path;
    }

    private static byte[] Patch(byte[] bytes, int offset, uint value)
    {
        var copy = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(offset), value);
        return copy;
    }
}
