using System.Text.RegularExpressions;
using TorchEnv.Core.Native;
using TorchEnv.TestSupport;

namespace TorchEnv.Core.Tests.Native;

public sealed partial class HostAbiTests
{
    [Fact]
    public void Reads_the_newest_versions_from_the_libraries_version_definitions()
    {
        using var host = new FakeHost().WithDebian12();

        var abi = host.Detect();

        Assert.True(abi.IsApplicable);
        Assert.Equal("2.36", abi.Glibc);
        Assert.Equal("3.4.30", abi.Glibcxx);
        Assert.Equal("1.3.13", abi.Cxxabi);
        Assert.Contains("GLIBC_ABI_DT_RELR", abi.DefinedVersions);
        Assert.Contains("GLIBCXX_3.4.26", abi.DefinedVersions);
        Assert.DoesNotContain("libc.so.6", abi.DefinedVersions); // the base entry names the file, not a version
        Assert.Equal("default directories", abi.Libc!.FoundBy);
        Assert.EndsWith("lib/x86_64-linux-gnu/libstdc++.so.6", abi.LibStdCxx!.Path);
        Assert.True(abi.Defines("libm.so.6", "GLIBC_2.29"));
        Assert.False(abi.Defines("libm.so.6", "GLIBC_2.36"));
        Assert.Null(abi.LibcMissingDiagnostic());
    }

    [Fact]
    public void Searches_ld_library_path_then_the_cache_then_the_default_directories()
    {
        using var host = new FakeHost().WithDebian12();
        host.AddLibrary("opt/gcc14/lib", "libstdc++.so.6", ["GLIBCXX_3.4", "GLIBCXX_3.4.33", "CXXABI_1.3.15"]);
        host.AddLibrary("opt/cached", "libstdc++.so.6", ["GLIBCXX_3.4", "GLIBCXX_3.4.32"]);
        host.WriteLdSoCache(("libstdc++.so.6", "/opt/cached/libstdc++.so.6", 0x0303));

        var fromCache = host.Detect();
        var fromEnvironment = host.Detect(ldLibraryPath: Path.Combine(host.Root, "opt/gcc14/lib"));

        Assert.Equal(("ld.so.cache", "3.4.32"), (fromCache.LibStdCxx!.FoundBy, fromCache.Glibcxx));
        Assert.Equal("default directories", fromCache.Libc!.FoundBy); // not in the cache
        Assert.Equal(("LD_LIBRARY_PATH", "3.4.33", "1.3.15"), (fromEnvironment.LibStdCxx!.FoundBy, fromEnvironment.Glibcxx, fromEnvironment.Cxxabi));
    }

    [Fact]
    public void Skips_libraries_of_another_architecture_as_the_loader_does()
    {
        using var host = new FakeHost().WithDebian12();
        host.AddLibrary("opt/arm", "libstdc++.so.6", ["GLIBCXX_3.4.33"], machine: 183);
        host.WriteLdSoCache(("libstdc++.so.6", "/opt/arm/libstdc++.so.6", 0x0a03));

        var abi = host.Detect();

        Assert.Equal(("default directories", "3.4.30"), (abi.LibStdCxx!.FoundBy, abi.Glibcxx));
    }

    [Fact]
    public void A_corrupt_cache_falls_back_to_the_default_directories()
    {
        using var host = new FakeHost().WithDebian12();
        Directory.CreateDirectory(Path.Combine(host.Root, "etc"));
        File.WriteAllText(Path.Combine(host.Root, "etc", "ld.so.cache"), "glibc-ld.so.cache1.1 but then nonsense");

        Assert.Equal("2.36", host.Detect().Glibc);
    }

    [Fact]
    public void A_host_without_glibc_gets_a_TENV0302_warning_and_no_versions()
    {
        using var host = new FakeHost();
        host.AddLibrary("usr/lib", "libstdc++.so.6", ["GLIBCXX_3.4.30"]);

        var abi = host.Detect();

        Assert.Null(abi.Libc);
        Assert.Null(abi.Glibc);
        var warning = abi.LibcMissingDiagnostic()!;
        Assert.Equal(("TENV0302", Core.Diagnostics.DiagnosticSeverity.Warning), (warning.Code, warning.Severity));
        Assert.Contains("musl", warning.Message);
    }

    [Fact]
    public void Not_applicable_hosts_report_why_and_nothing_else()
    {
        var abi = HostAbi.NotApplicable("the host is not Linux");

        Assert.False(abi.IsApplicable);
        Assert.Equal("not applicable: the host is not Linux", abi.ToString());
        Assert.Null(abi.FindLibrary("libc.so.6"));
        Assert.Empty(abi.DefinedVersions);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reads_the_new_cache_format_alone_and_after_the_old_table(bool oldTablePrefix)
    {
        var bytes = FakeHost.LdSoCacheBytes([("libc.so.6", "/lib64/libc.so.6", 0x0303), ("libstdc++.so.6", "/usr/lib64/libstdc++.so.6", 0x0303)], oldTablePrefix);

        var entries = LdSoCache.TryParse(bytes);

        Assert.Equal(
            [new LdSoCacheEntry("libc.so.6", "/lib64/libc.so.6", 0x0303), new LdSoCacheEntry("libstdc++.so.6", "/usr/lib64/libstdc++.so.6", 0x0303)],
            entries);
        Assert.Null(LdSoCache.TryParse(bytes[..^3])); // a string running off the end
        Assert.Null(LdSoCache.TryParse("ld.so-1.7.0 only"u8));
    }

    [Fact]
    public void The_real_ld_so_cache_agrees_with_ldconfig()
    {
        var entries = LdSoCache.TryRead("/etc/ld.so.cache");
        Assert.NotNull(entries);

        var ldconfig = ProcessRunner.RunChecked("/sbin/ldconfig", ["-p"], TimeSpan.FromSeconds(30)).StandardOutput;
        var expected = LdconfigLine().Matches(ldconfig).Select(m => (m.Groups["name"].Value, m.Groups["path"].Value)).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, entries.Select(e => (e.Name, e.Path)).ToList());
    }

    [Fact]
    public void The_real_host_matches_what_readelf_says_about_its_libraries()
    {
        var abi = HostAbi.Detect();
        Assert.True(abi.IsApplicable, abi.NotApplicableReason);

        foreach (var library in new[] { abi.Libc!, abi.LibStdCxx! })
        {
            var readelf = ProcessRunner.RunChecked("readelf", ["-V", "-W", library.Path], TimeSpan.FromSeconds(30)).StandardOutput;
            var defined = VerdefLine().Matches(readelf).Where(m => m.Groups["flags"].Value != "BASE").Select(m => m.Groups["name"].Value).ToList();
            Assert.Equal(defined, library.DefinedVersions);
        }

        // This repository's CI and development machines run Debian 12.
        if (File.ReadAllText("/etc/os-release").Contains("VERSION_ID=\"12\"") && File.ReadAllText("/etc/os-release").Contains("ID=debian"))
        {
            Assert.Equal(("2.36", "3.4.30", "1.3.13"), (abi.Glibc, abi.Glibcxx, abi.Cxxabi));
        }
    }

    [GeneratedRegex(@"^\s+(?<name>\S+) \([^)]*\) => (?<path>\S+)$", RegexOptions.Multiline)]
    private static partial Regex LdconfigLine();

    [GeneratedRegex(@"Flags: (?<flags>\S+)\s+Index: \d+\s+Cnt: \d+\s+Name: (?<name>\S+)")]
    private static partial Regex VerdefLine();
}
