using System.Text.RegularExpressions;
using TorchEnv.Core.Native;
using TorchEnv.TestSupport;

namespace TorchEnv.Core.Tests.Native;

/// <summary>binutils' readelf is the independent judge of what the tiny ELF writer writes and the reader reads.</summary>
public sealed partial class ReadelfAgreementTests : IDisposable
{
    private readonly TempDirectory _temp = new("torchenv-readelf");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Readelf_sees_the_versions_the_writer_wrote_and_the_reader_reads()
    {
        var builder = new TinyElfBuilder("libcudnn.so.9")
            .Need("libstdc++.so.6", "GLIBCXX_3.4.32")
            .Need("libstdc++.so.6", "CXXABI_1.3.13", weak: true)
            .Need("libc.so.6", "GLIBC_2.34")
            .Need("libc.so.6", "GLIBC_2.2.5")
            .Define("CUDNN_9.0")
            .Import("_ZSt21ios_base_library_initv", "GLIBCXX_3.4.32")
            .Import("malloc", "GLIBC_2.2.5")
            .Export("cudnnCreate", "CUDNN_9.0");
        var path = builder.WriteTo(_temp.Combine("libcudnn.so.9"));

        var readelf = ProcessRunner.RunChecked("readelf", ["-V", "-W", path], TimeSpan.FromSeconds(30)).StandardOutput;

        var needs = NeedPattern().Matches(readelf).Select(m => (m.Groups["name"].Value, m.Groups["flags"].Value == "WEAK", ushort.Parse(m.Groups["index"].Value))).ToList();
        Assert.Equal(
            [("GLIBCXX_3.4.32", false, builder.VersionIndexOf("GLIBCXX_3.4.32")), ("CXXABI_1.3.13", true, builder.VersionIndexOf("CXXABI_1.3.13")), ("GLIBC_2.34", false, builder.VersionIndexOf("GLIBC_2.34")), ("GLIBC_2.2.5", false, builder.VersionIndexOf("GLIBC_2.2.5"))],
            needs);
        Assert.Equal(["libstdc++.so.6", "libc.so.6"], FilePattern().Matches(readelf).Select(m => m.Groups[1].Value));
        Assert.Contains("Name: libcudnn.so.9", readelf);
        Assert.Matches(@"Index: 2\s+Cnt: 1\s+Name: CUDNN_9\.0", readelf);

        using var elf = ElfFile.Open(path);
        Assert.Equal(
            needs,
            elf.VersionNeeds.SelectMany(n => n.Versions).Select(v => (v.Name, v.IsWeak, v.Index)).ToList());
        Assert.Equal(["libcudnn.so.9", "CUDNN_9.0"], elf.VersionDefinitions.Select(d => d.Name));

        var syms = ProcessRunner.RunChecked("readelf", ["--dyn-syms", "-W", path], TimeSpan.FromSeconds(30)).StandardOutput;
        Assert.Contains("_ZSt21ios_base_library_initv@GLIBCXX_3.4.32", syms);
        Assert.Contains("malloc@GLIBC_2.2.5", syms);
        Assert.Contains("cudnnCreate@@CUDNN_9.0", syms);
    }

    [GeneratedRegex(@"Name: (?<name>\S+)\s+Flags: (?<flags>\S+)\s+Version: (?<index>\d+)")]
    private static partial Regex NeedPattern();

    [GeneratedRegex(@"File: (\S+)\s+Cnt:")]
    private static partial Regex FilePattern();
}
