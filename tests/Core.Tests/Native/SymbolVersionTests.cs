using TorchEnv.Core.Native;

namespace TorchEnv.Core.Tests.Native;

public sealed class SymbolVersionTests
{
    [Theory]
    [InlineData("GLIBC_2.34", "GLIBC_2.4", 1)]
    [InlineData("GLIBC_2.2.5", "GLIBC_2.3", -1)]
    [InlineData("GLIBCXX_3.4.32", "GLIBCXX_3.4.30", 1)]
    [InlineData("GLIBCXX_3.4", "GLIBCXX_3.4.9", -1)]
    [InlineData("CXXABI_1.3.13", "CXXABI_1.3.9", 1)]
    [InlineData("GLIBC_2.36", "GLIBC_2.36", 0)]
    public void Versions_compare_numerically(string a, string b, int expected)
    {
        Assert.Equal(expected, Math.Sign(SymbolVersion.Compare(a, b)));
        Assert.Equal(-expected, Math.Sign(SymbolVersion.Compare(b, a)));
    }

    [Theory]
    [InlineData("GLIBC_2.34", "GLIBC", "2.34", "GLIBC")]
    [InlineData("GLIBCXX_3.4.32", "GLIBCXX", "3.4.32", "GLIBCXX")]
    [InlineData("CXXABI_TM_1", "CXXABI_TM", "1", "CXXABI")]
    [InlineData("GCC_4.2.0", "GCC", "4.2.0", "GCC")]
    [InlineData("GLIBC_PRIVATE", null, null, "GLIBC")]
    [InlineData("GLIBC_ABI_DT_RELR", null, null, "GLIBC")]
    [InlineData("GOMP_4.0", "GOMP", "4.0", null)]
    [InlineData("libcudnn.so.9", null, null, null)]
    public void Names_split_into_family_and_number(string name, string? family, string? number, string? hostFamily)
    {
        var version = SymbolVersion.Parse(name);

        Assert.Equal(family, version.Family);
        Assert.Equal(number, version.Number);
        Assert.Equal(hostFamily, version.HostFamily);
    }

    [Fact]
    public void Max_picks_the_newest_of_a_family_only()
    {
        string[] names = ["GLIBC_2.4", "GLIBC_2.34", "GLIBC_2.2.5", "GLIBCXX_3.4.32", "GLIBC_PRIVATE", "GLIBC_2.17"];

        Assert.Equal("GLIBC_2.34", SymbolVersion.Max(names, "GLIBC")!.Name);
        Assert.Equal("GLIBCXX_3.4.32", SymbolVersion.Max(names, "GLIBCXX")!.Name);
        Assert.Null(SymbolVersion.Max(names, "CXXABI"));
    }
}
