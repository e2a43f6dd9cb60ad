using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Lock;

namespace TorchEnv.Core.Tests.Lock;

public sealed class LockFileReaderTests(LockFeedFixture fixture) : IClassFixture<LockFeedFixture>
{
    private const string Path = "/repo/environment.lock.yml";

    [Fact]
    public void Reading_and_writing_again_gives_identical_text()
    {
        var read = LockFileReader.Parse(fixture.LockText, Path);

        Assert.Equal(fixture.LockText, LockFileWriter.Serialize(read));
    }

    [Fact]
    public void Environments_and_packages_carry_their_line_in_the_file()
    {
        var read = LockFileReader.Parse(fixture.LockText, Path);
        var lines = fixture.LockText.Split('\n');
        var environment = read.Find("cpu", "win-x64")!;
        var package = environment.Find("TorchSharp")!;

        Assert.Equal(Path, environment.Location!.File);
        Assert.Contains("variant: cpu", lines[environment.Location.Line - 1]);
        Assert.Contains("platform: win-x64", lines[environment.Location.Line]);
        Assert.Contains("id: TorchSharp", lines[package.Location!.Line - 1]);
        Assert.Equal(9, package.Location.Column); // the first key of the entry, after "      - "
    }

    [Fact]
    public void Yaml_that_reads_as_numbers_or_booleans_is_quoted_and_reads_back_as_text()
    {
        var odd = fixture.Lock with
        {
            Name = "no",
            Environments = fixture.Lock.Environments.Select(e => e with
            {
                Stack = e.Stack with { Cuda = "12.8", Cudnn = "9" },
                Host = e.Host with { Glibc = "2.34", NvidiaDriver = "525.60.13" },
            }).ToList(),
        };

        var text = LockFileWriter.Serialize(odd);
        var read = LockFileReader.Parse(text, Path);

        Assert.Contains("name: \"no\"\n", text);
        Assert.Contains("cuda: \"12.8\"\n", text);
        Assert.Contains("cudnn: \"9\"\n", text);
        Assert.Contains("glibc: \"2.34\"\n", text);
        Assert.Contains("nvidia-driver: 525.60.13\n", text);
        Assert.Equal(("no", "12.8", "9", "2.34"), (read.Name, read.Environments[0].Stack.Cuda, read.Environments[0].Stack.Cudnn, read.Environments[0].Host.Glibc));
        Assert.Equal(text, LockFileWriter.Serialize(read));
    }

    [Fact]
    public void Cuda_architectures_are_written_on_one_line_in_ascending_order_and_read_back()
    {
        var cuda = fixture.Lock with
        {
            Environments = fixture.Lock.Environments.Select(e => e with
            {
                Stack = e.Stack with { Device = "cuda", Cuda = "12.8", CudaArchitectures = ["sm_80", "compute_120", "sm_75", "sm_120"] },
            }).ToList(),
        };

        var text = LockFileWriter.Serialize(cuda);
        var read = LockFileReader.Parse(text, Path);

        Assert.Contains("      cuda-architectures: \"sm_75 sm_80 sm_120 compute_120\"\n", text);
        Assert.Equal(["sm_75", "sm_80", "sm_120", "compute_120"], read.Environments[0].Stack.CudaArchitectures);
        Assert.Equal(text, LockFileWriter.Serialize(read));
    }

    [Fact]
    public void A_cuda_lock_written_before_the_architectures_were_recorded_reads_and_falls_back_to_the_matrix()
    {
        var old = fixture.Lock with
        {
            Environments = fixture.Lock.Environments.Select(e => e with { Stack = e.Stack with { Device = "cuda", Cuda = "12.8" } }).ToList(),
        };
        var text = LockFileWriter.Serialize(old);

        var read = LockFileReader.Parse(text, Path);

        Assert.DoesNotContain("cuda-architectures", text);
        Assert.Empty(read.Environments[0].Stack.CudaArchitectures);
        Assert.Equal("sm_70", Core.Stack.StackMatrix.CudaArchitecturesOf(read.Environments[0].Stack.CudaArchitectures, "0.107.0")[0]);
        Assert.Empty(Core.Stack.StackMatrix.CudaArchitecturesOf([], "0.108.0"));
    }

    public static TheoryData<string, string, string, int, int, string> Malformed => new()
    {
        // name, text to replace, replacement, line of the error relative to the replaced text, column, code
        { "unknown top-level key", "name: demo_torchsharp_cpu\n", "name: demo_torchsharp_cpu\nnmae: x\n", 1, 1, "TENV0221" },
        { "unknown package key", "        sha512: \"", "        sha521: \"", 0, 9, "TENV0221" },
        { "missing required key", "tool: 0.1.0-test\n", "", -1, 1, "TENV0222" },
        { "missing package source", "        source: \"../feed\"\n        sha512: \"", "        sha512: \"", -2, 9, "TENV0222" }, // at the package entry
        { "newer format version", "version: 1\n", "version: 2\n", 0, 10, "TENV0224" },
        { "version not a number", "version: 1\n", "version: one\n", 0, 10, "TENV0223" },
        { "sha512 not base64", "sha512: \"", "sha512: \"!!", 0, 17, "TENV0223" },
        { "version not a version", "        version: 3.25.1\n", "        version: three\n", 0, 18, "TENV0223" },
        { "range not a range", "Google.Protobuf: \"[3.25.1, )\"", "Google.Protobuf: \"[3.25.1,\"", 0, 28, "TENV0223" },
        { "spec hash not sha256", "spec-hash: sha256:1", "spec-hash: md5:1", 0, 16, "TENV0223" },
        { "device unknown", "      device: cpu\n", "      device: tpu\n", 0, 15, "TENV0223" },
        { "cuda architecture misspelt", "      device: cpu\n", "      device: cpu\n      cuda-architectures: sm_75 ampere\n", 1, 27, "TENV0223" },
        { "packages not a list", "    packages:\n      - id: Extra.Lib", "    packages: oops\n    old:\n      - id: Extra.Lib", 0, 15, "TENV0223" },
        { "duplicate key", "      torchsharp: 0.107.0\n", "      torchsharp: 0.107.0\n      torchsharp: 0.107.0\n", 1, 7, "TENV0225" },
        { "alias", "      libtorch: 2.10.0\n", "      libtorch: &v 2.10.0\n      torchvision2: *v\n", 0, 17, "TENV0220" },
        { "tag", "      device: cpu\n", "      device: !!str cpu\n", 0, 15, "TENV0220" },
        { "syntax error", "name: demo_torchsharp_cpu\n", "name: \"demo_torchsharp_cpu\n", 0, 7, "TENV0220" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_malformed_lock_is_an_error_with_code_line_and_column(string name, string find, string replace, int line, int column, string code)
    {
        Assert.Contains(find, fixture.LockText);
        var index = fixture.LockText.IndexOf(find, StringComparison.Ordinal);
        var text = fixture.LockText[..index] + replace + fixture.LockText[(index + find.Length)..];
        var expectedLine = fixture.LockText[..index].Count(c => c == '\n') + 1 + line;

        var error = Assert.Throws<TorchEnvException>(() => LockFileReader.Parse(text, Path));

        var diagnostic = error.Diagnostics.FirstOrDefault(d => d.Code == code)
            ?? throw new Xunit.Sdk.XunitException($"{name}: expected {code}, got {error.Message}");
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal((Path, expectedLine, column), (diagnostic.Location!.File, diagnostic.Location.Line, diagnostic.Location.Column));
        Assert.False(string.IsNullOrWhiteSpace(diagnostic.Fix));
    }

    [Fact]
    public void An_unknown_key_gets_a_did_you_mean()
    {
        var text = fixture.LockText.Replace("        sha512: \"", "        sha521: \"", StringComparison.Ordinal);

        var error = Assert.Throws<TorchEnvException>(() => LockFileReader.Parse(text, Path));

        Assert.Contains("Did you mean 'sha512'?", error.Diagnostics.First(d => d.Code == "TENV0221").Message);
    }

    [Fact]
    public void A_package_locked_twice_is_an_error_at_the_second_entry()
    {
        var packages = fixture.LockText.IndexOf("    packages:\n", StringComparison.Ordinal);
        var start = fixture.LockText.IndexOf("      - id: Extra.Lib", packages, StringComparison.Ordinal);
        var end = fixture.LockText.IndexOf("      - id: Google.Protobuf", packages, StringComparison.Ordinal);
        var entry = fixture.LockText[start..end];
        var text = fixture.LockText[..end] + entry + fixture.LockText[end..];

        var error = Assert.Throws<TorchEnvException>(() => LockFileReader.Parse(text, Path));

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal("TENV0225", diagnostic.Code);
        Assert.Equal(text[..end].Count(c => c == '\n') + 1, diagnostic.Location!.Line);
        Assert.Contains("Extra.Lib", diagnostic.Message);
    }

    [Fact]
    public void A_file_over_the_size_limit_is_refused_without_parsing()
    {
        var error = Assert.Throws<TorchEnvException>(() => LockFileReader.Parse(new string('#', (int)LockFileReader.MaxFileSize + 1), Path));

        Assert.Equal("TENV0227", error.Diagnostic.Code);
    }

    [Fact]
    public void An_empty_file_is_an_error()
    {
        var error = Assert.Throws<TorchEnvException>(() => LockFileReader.Parse("# only a comment\n", Path));

        Assert.Equal("TENV0220", error.Diagnostic.Code);
    }
}
