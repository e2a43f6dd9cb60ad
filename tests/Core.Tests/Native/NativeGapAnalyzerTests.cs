using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Native;
using TorchEnv.TestSupport;

namespace TorchEnv.Core.Tests.Native;

public sealed class NativeGapAnalyzerTests : IDisposable
{
    private const string Ios = "_ZSt21ios_base_library_initv";
    private readonly TempDirectory _temp = new("torchenv-gap");
    private readonly FakeHost _host = new FakeHost().WithDebian12();

    public void Dispose()
    {
        _temp.Dispose();
        _host.Dispose();
    }

    private NativeFile Write(string name, TinyElfBuilder builder, string package = "TorchSharp") =>
        new(package, $"runtimes/linux-x64/native/{name}", builder.WriteTo(_temp.Combine(package, name)));

    private NativeFile TorchSharpLike(string name = "libLibTorchSharp.so") => Write(name, new TinyElfBuilder(name)
        .Need("libstdc++.so.6", "GLIBCXX_3.4.32").Need("libstdc++.so.6", "GLIBCXX_3.4.26").Need("libstdc++.so.6", "CXXABI_1.3.13")
        .Need("libc.so.6", "GLIBC_2.34").Need("libm.so.6", "GLIBC_2.29")
        .Import(Ios, "GLIBCXX_3.4.32").Import("_ZNSt15__exception_ptr13exception_ptr9_M_addrefEv", "CXXABI_1.3.13").Import("exp", "GLIBC_2.29"));

    [Fact]
    public void No_gap_when_the_host_defines_everything()
    {
        var libtorch = Write("libtorch_cpu.so", new TinyElfBuilder("libtorch_cpu.so")
            .Need("libstdc++.so.6", "GLIBCXX_3.4.26").Need("libm.so.6", "GLIBC_2.29").Need("libgcc_s.so.1", "GCC_4.2.0").Need("libgomp-98b21ff3.so.1", "GOMP_4.0")
            .Import("exp", "GLIBC_2.29"), "libtorch-cpu-linux-x64");

        var report = NativeGapAnalyzer.Analyze([libtorch], _host.Detect());

        Assert.Equal(NativeGapKind.None, report.Kind);
        Assert.Empty(report.Missing);
        Assert.Empty(report.ToDiagnostics(compatibilityStepEnabled: false));
    }

    [Fact]
    public void Only_ios_base_library_init_on_a_missing_version_is_the_patchable_case()
    {
        var file = TorchSharpLike();

        var report = NativeGapAnalyzer.Analyze([file], _host.Detect());

        Assert.Equal(NativeGapKind.OnlyIosBaseLibraryInit, report.Kind);
        var missing = Assert.Single(report.Missing);
        Assert.Equal(("GLIBCXX_3.4.32", "libstdc++.so.6", "GLIBCXX_3.4.30"), (missing.Version, missing.Library, missing.HostNewestOfFamily));
        Assert.Equal([Ios], missing.Symbols);
        Assert.Equal([file], report.FilesToPatch);
        Assert.Empty(report.ToDiagnostics(compatibilityStepEnabled: true));
    }

    [Fact]
    public void With_the_compatibility_step_off_the_patchable_case_is_TENV0311()
    {
        var report = NativeGapAnalyzer.Analyze([TorchSharpLike()], _host.Detect());

        var error = Assert.Single(report.ToDiagnostics(compatibilityStepEnabled: false));

        Assert.Equal(("TENV0311", DiagnosticSeverity.Error), (error.Code, error.Severity));
        Assert.Contains("TorchSharp/runtimes/linux-x64/native/libLibTorchSharp.so needs GLIBCXX_3.4.32 from libstdc++.so.6", error.Message);
        Assert.Contains("newest is GLIBCXX_3.4.30", error.Message);
        Assert.Contains("std::ios_base_library_init()", error.Message);
        Assert.Contains("TorchEnvNativeCompat=off", error.Fix);
        Assert.Contains("Ubuntu 24.04", error.Fix);
    }

    [Fact]
    public void Another_symbol_on_the_missing_version_makes_it_unpatchable()
    {
        var file = Write("libLibTorchSharp.so", new TinyElfBuilder()
            .Need("libstdc++.so.6", "GLIBCXX_3.4.32").Import(Ios, "GLIBCXX_3.4.32").Import("_ZNSt6chrono9tzdb_list5beginEv", "GLIBCXX_3.4.32"));

        var report = NativeGapAnalyzer.Analyze([file], _host.Detect());

        Assert.Equal(NativeGapKind.Other, report.Kind);
        Assert.Empty(report.FilesToPatch);
        var error = Assert.Single(report.ToDiagnostics(compatibilityStepEnabled: true));
        Assert.Equal("TENV0310", error.Code);
        Assert.Contains("symbols: _ZNSt6chrono9tzdb_list5beginEv, _ZSt21ios_base_library_initv", error.Message);
        Assert.Contains("version `GLIBCXX_3.4.32' not found", error.Message);
        Assert.Contains("Ubuntu 24.04 or Debian 13", error.Fix);
        Assert.Contains("lock another version", error.Fix);
    }

    [Fact]
    public void A_missing_glibc_version_is_unpatchable_and_names_a_base_image_that_has_it()
    {
        var file = Write("libnew.so", new TinyElfBuilder("libnew.so").Need("libc.so.6", "GLIBC_2.38").Import("strlcpy", "GLIBC_2.38"), "Some.Native");

        var report = NativeGapAnalyzer.Analyze([file, TorchSharpLike()], _host.Detect());

        Assert.Equal(NativeGapKind.Other, report.Kind);
        Assert.Equal(["GLIBC_2.38", "GLIBCXX_3.4.32"], report.Missing.Select(m => m.Version));
        var errors = report.ToDiagnostics(compatibilityStepEnabled: true);
        Assert.All(errors, e => Assert.Equal("TENV0310", e.Code));
        Assert.Contains("Some.Native/runtimes/linux-x64/native/libnew.so needs GLIBC_2.38 from libc.so.6 (symbols: strlcpy)", errors[0].Message);
        Assert.Contains("(newest is GLIBC_2.36)", errors[0].Message);
        Assert.Contains("e.g. Ubuntu 24.04 or Debian 13", errors[0].Fix);
    }

    [Fact]
    public void Versions_are_checked_in_the_library_that_must_define_them()
    {
        // The fake libm defines GLIBC_2.29 but not GLIBC_2.34 (which only libc has).
        var file = Write("libm-user.so", new TinyElfBuilder().Need("libm.so.6", "GLIBC_2.34").Import("fancy_math", "GLIBC_2.34"));

        var report = NativeGapAnalyzer.Analyze([file], _host.Detect());

        Assert.Equal(("GLIBC_2.34", "libm.so.6"), (report.Missing.Single().Version, report.Missing.Single().Library));
    }

    [Fact]
    public void A_host_without_libstdcxx_gets_TENV0303_with_the_install_command()
    {
        using var host = new FakeHost();
        host.AddLibrary("lib/x86_64-linux-gnu", "libc.so.6", ["GLIBC_2.2.5", "GLIBC_2.34"]);
        host.AddLibrary("lib/x86_64-linux-gnu", "libm.so.6", ["GLIBC_2.2.5", "GLIBC_2.27"]);

        var report = NativeGapAnalyzer.Analyze([TorchSharpLike()], host.Detect());

        Assert.Equal(NativeGapKind.Other, report.Kind);
        var errors = report.ToDiagnostics(compatibilityStepEnabled: true);
        var missingLibrary = Assert.Single(errors, e => e.Code == "TENV0303");
        Assert.Contains("libstdc++.so.6 is not installed on this host", missingLibrary.Message);
        Assert.Contains("apt-get install libstdc++6", missingLibrary.Fix);
        Assert.Contains(errors, e => e.Code == "TENV0310" && e.Message.Contains("GLIBC_2.29 from libm.so.6"));
    }

    [Fact]
    public void A_weak_need_without_bound_symbols_is_no_gap()
    {
        var file = Write("patched.so", new TinyElfBuilder().Need("libstdc++.so.6", "GLIBCXX_3.4.32", weak: true).Import(Ios));

        Assert.Equal(NativeGapKind.None, NativeGapAnalyzer.Analyze([file], _host.Detect()).Kind);
    }

    [Fact]
    public void A_weak_need_with_bound_symbols_is_still_a_gap()
    {
        var file = Write("weak.so", new TinyElfBuilder().Need("libstdc++.so.6", "GLIBCXX_3.4.33", weak: true).Import("_ZSt5printv", "GLIBCXX_3.4.33"));

        var missing = Assert.Single(NativeGapAnalyzer.Analyze([file], _host.Detect()).Missing);

        Assert.True(missing.NeededBy.Single().IsWeak);
    }

    [Fact]
    public void Two_missing_versions_in_one_file_are_beyond_the_compatibility_step()
    {
        var file = Write("two.so", new TinyElfBuilder()
            .Need("libstdc++.so.6", "GLIBCXX_3.4.32").Need("libstdc++.so.6", "GLIBCXX_3.4.33").Import(Ios, "GLIBCXX_3.4.32").Import(Ios + "_again", "GLIBCXX_3.4.33"));

        Assert.Equal(NativeGapKind.Other, NativeGapAnalyzer.Analyze([file], _host.Detect()).Kind);
    }

    [Fact]
    public void Hosts_the_check_does_not_apply_to_report_no_gap()
    {
        var report = NativeGapAnalyzer.Analyze([TorchSharpLike()], HostAbi.NotApplicable("the host is not Linux"));

        Assert.False(report.IsApplicable);
        Assert.Equal(NativeGapKind.None, report.Kind);
    }

    [Fact]
    public void Lock_needs_can_be_checked_without_the_files()
    {
        var requirements = HostRequirementScanner.Scan([TorchSharpLike()], null);

        var missing = NativeGapAnalyzer.FindMissing(requirements, _host.Detect());

        Assert.Equal([new NativeNeed("GLIBCXX_3.4.32", "libstdc++.so.6", "TorchSharp", "runtimes/linux-x64/native/libLibTorchSharp.so")], missing);
    }

    [Fact]
    public void A_glibc_free_host_adds_the_TENV0302_warning()
    {
        using var host = new FakeHost();
        var report = NativeGapAnalyzer.Analyze([TorchSharpLike()], host.Detect());

        Assert.Contains(report.ToDiagnostics(true), d => d.Code == "TENV0302");
    }
}
