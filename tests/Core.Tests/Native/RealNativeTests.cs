using TorchEnv.Core.Native;
using TorchEnv.TestSupport;

namespace TorchEnv.Core.Tests.Native;

/// <summary>The native layer on the real TorchSharp 0.107.0 and libtorch 2.10.0 files, and on this host.</summary>
[Trait("Category", "Integration")]
[Collection(RealNativeCollection.Name)]
public sealed class RealNativeTests(RealNativeFixture fixture)
{
    private static readonly HostAbi Host = HostAbi.Detect();

    private static bool HostHasGlibcxx3432 => Host.Defines("libstdc++.so.6", "GLIBCXX_3.4.32");

    [Fact]
    public void LibTorchSharp_needs_GLIBCXX_3_4_32_GLIBC_2_34_and_CXXABI_1_3_13()
    {
        var requirements = HostRequirementScanner.Scan([fixture.TorchSharpFile], cudaVersion: null);

        Assert.Equal(("2.34", "3.4.32", "1.3.13"), (requirements.Glibc, requirements.Glibcxx, requirements.Cxxabi));
        var need = Assert.Single(requirements.Needs, n => n.Version == "GLIBCXX_3.4.32");
        Assert.Equal(("libstdc++.so.6", "TorchSharp", "runtimes/linux-x64/native/libLibTorchSharp.so"), (need.Library, need.Package, need.File));
    }

    [Fact]
    public void LibTorch_alone_needs_GLIBC_2_29_and_GLIBCXX_3_4_26()
    {
        var requirements = HostRequirementScanner.Scan(fixture.LibTorchFiles, cudaVersion: null);

        Assert.Equal(("2.29", "3.4.26"), (requirements.Glibc, requirements.Glibcxx));
        Assert.Contains(requirements.Needs, n => n is { Version: "GLIBC_2.29", Library: "libm.so.6", File: "runtimes/linux-x64/native/libtorch_cpu.so" });
        Assert.DoesNotContain(requirements.Needs, n => n.Version.StartsWith("GOMP_", StringComparison.Ordinal));
    }

    [Fact]
    public void On_this_host_libtorch_fits_and_TorchSharp_is_the_patchable_case()
    {
        Assert.Equal(NativeGapKind.None, NativeGapAnalyzer.Analyze(fixture.LibTorchFiles, Host).Kind);

        var report = NativeGapAnalyzer.Analyze([fixture.TorchSharpFile, .. fixture.LibTorchFiles], Host);

        if (HostHasGlibcxx3432)
        {
            Assert.Equal(NativeGapKind.None, report.Kind);
        }
        else
        {
            Assert.Equal(NativeGapKind.OnlyIosBaseLibraryInit, report.Kind);
            var missing = Assert.Single(report.Missing);
            Assert.Equal("GLIBCXX_3.4.32", missing.Version);
            Assert.Equal(["_ZSt21ios_base_library_initv"], missing.Symbols);
            Assert.Equal([fixture.TorchSharpFile], report.FilesToPatch);
        }
    }

    [Fact]
    public void The_patched_copy_loads_and_runs_next_to_libtorch()
    {
        var result = fixture.Load(Path.Combine(fixture.PatchedDirectory, "libLibTorchSharp.so"));

        Assert.True(result.ExitCode == 0, result.Output);
        var threads = int.Parse(result.StandardOutput.Trim().Split('=')[1]);
        Assert.True(threads >= 1, result.Output);
    }

    [Fact]
    public void The_original_fails_on_this_host_with_the_GLIBCXX_message()
    {
        var result = fixture.Load(Path.Combine(fixture.OriginalDirectory, "libLibTorchSharp.so"));

        if (HostHasGlibcxx3432)
        {
            Assert.Equal(0, result.ExitCode);
        }
        else
        {
            Assert.Equal(2, result.ExitCode);
            Assert.Contains("version `GLIBCXX_3.4.32' not found", result.StandardOutput);
        }
    }

    [Fact]
    public void The_patched_copy_differs_only_in_the_reported_bytes_and_the_package_is_untouched()
    {
        var original = File.ReadAllBytes(fixture.Packages.LibTorchSharp);
        var patched = File.ReadAllBytes(fixture.PatchResult.OutputPath);

        Assert.Equal(original.Length, fixture.PatchResult.InputLength);
        var differing = 0;
        for (var i = 0; i < original.Length; i++)
        {
            if (original[i] != patched[i])
            {
                differing++;
                Assert.Contains(fixture.PatchResult.Changes, c => c.Offset <= i && i < c.Offset + c.Length);
            }
        }

        Assert.InRange(differing, 3, 2 + 2 + (2 * 56) + (2 * 24)); // two 2-byte fields, two program headers, two section headers at most
        Assert.Equal(6, fixture.PatchResult.Changes.Count(c => c.Offset < original.Length));
        Assert.False(LibStdCxxCompatPatcher.IsPatched(fixture.Packages.LibTorchSharp));
        Assert.True(LibStdCxxCompatPatcher.IsPatched(fixture.PatchResult.OutputPath));
    }

    [Fact]
    public void The_patched_copy_shows_no_gap_on_this_host()
    {
        var patched = new NativeFile("TorchSharp", "runtimes/linux-x64/native/libLibTorchSharp.so", fixture.PatchResult.OutputPath);

        Assert.Equal(NativeGapKind.None, NativeGapAnalyzer.Analyze([patched], Host).Kind);
    }

    [Fact]
    public void The_shim_needs_no_more_than_Ubuntu_22_04_and_Debian_12_provide()
    {
        var requirements = HostRequirementScanner.Scan([new NativeFile("TorchEnv.Sdk", "native/" + LibStdCxxCompatPatcher.DefaultShimFileName, fixture.Shim)], null);

        Assert.True(SymbolVersion.Compare("GLIBC_" + requirements.Glibc, "GLIBC_2.35") <= 0, requirements.Glibc);
        Assert.True(SymbolVersion.Compare("GLIBCXX_" + (requirements.Glibcxx ?? "3.4"), "GLIBCXX_3.4.30") <= 0, requirements.Glibcxx);
        Assert.True(SymbolVersion.Compare("CXXABI_" + (requirements.Cxxabi ?? "1.3"), "CXXABI_1.3.13") <= 0, requirements.Cxxabi);
        using var shim = ElfFile.Open(fixture.Shim);
        Assert.Equal(LibStdCxxCompatPatcher.DefaultShimFileName, shim.Dynamic!.Soname);
        Assert.DoesNotContain("libgcc_s.so.1", shim.Dynamic.Needed);
        Assert.Contains("_ZSt21ios_base_library_initv", shim.ReadDynamicSymbols().Where(s => s.IsDefined).Select(s => s.Name));
    }
}
