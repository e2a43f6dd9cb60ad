using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Native;
using TorchEnv.TestSupport;

namespace TorchEnv.Core.Tests.Native;

/// <summary>The one bounded reader under the ELF and PE readers: its errors are the format's own code.</summary>
public sealed class BoundedByteReaderTests : IDisposable
{
    private readonly TempDirectory _temp = new("torchenv-bounded");

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string, string> Formats => new()
    {
        { nameof(NativeMessages.MalformedElfDescriptor), "TENV0301" },
        { nameof(NativeMessages.MalformedPeDescriptor), "TENV0305" },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void A_read_past_the_end_is_the_formats_malformed_file_error_naming_what_was_read(string descriptor, string code)
    {
        var path = _temp.WriteFile("short.bin", "abc");
        var malformed = (DiagnosticDescriptor)typeof(NativeMessages).GetField(descriptor)!.GetValue(null)!;
        using var reader = new BoundedByteReader(path, malformed);

        var error = Assert.Throws<TorchEnvException>(() => reader.ReadUInt32(1, "the section count"));

        Assert.Equal(code, error.Diagnostic.Code);
        Assert.Contains("the section count (offset 0x1, 4 bytes) extends beyond the end of the file (3 bytes)", error.Diagnostic.Message);
        Assert.Contains(path, error.Diagnostic.Message);
    }

    [Fact]
    public void A_block_larger_than_the_file_is_refused_with_the_formats_code()
    {
        var path = _temp.WriteFile("short.bin", "abcd");
        using var reader = new BoundedByteReader(path, NativeMessages.MalformedPeDescriptor);

        var error = Assert.Throws<TorchEnvException>(() => reader.ReadBytes(0, BoundedByteReader.MaxBlockBytes, "the name pointer table"));

        Assert.Equal("TENV0305", error.Diagnostic.Code);
        Assert.Contains("extends beyond the end of the file", error.Diagnostic.Message);
    }

    [Fact]
    public void A_string_longer_than_the_callers_limit_is_refused()
    {
        var path = _temp.WriteFile("name.bin", new string('x', 100) + "\0");
        using var reader = new BoundedByteReader(path, NativeMessages.MalformedPeDescriptor);

        Assert.Equal(new string('x', 100), reader.ReadCString(0, reader.Length, "export name"));
        var error = Assert.Throws<TorchEnvException>(() => reader.ReadCString(0, reader.Length, "export name", maxLength: 50));
        Assert.Contains("export name is longer than 50 bytes", error.Diagnostic.Message);
    }
}
