using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Native;
using TorchEnv.TestSupport;

namespace TorchEnv.Core.Tests.Native;

public sealed class HostRequirementScannerTests : IDisposable
{
    private readonly TempDirectory _temp = new("torchenv-scan");

    public void Dispose() => _temp.Dispose();

    private NativeFile Write(string package, string name, TinyElfBuilder builder) =>
        new(package, $"runtimes/linux-x64/native/{name}", builder.WriteTo(_temp.Combine(package, name)));

    [Fact]
    public void Takes_the_newest_version_of_each_family_across_files_and_libraries()
    {
        var files = new[]
        {
            Write("TorchSharp-cuda-linux", "libLibTorchSharp.so", new TinyElfBuilder("libLibTorchSharp.so")
                .Need("libstdc++.so.6", "GLIBCXX_3.4.32").Need("libstdc++.so.6", "GLIBCXX_3.4.9").Need("libstdc++.so.6", "CXXABI_1.3.13")
                .Need("libc.so.6", "GLIBC_2.4").Need("libc.so.6", "GLIBC_2.34")),
            Write("libtorch-cuda-12.8-linux-x64", "libtorch_cuda.so", new TinyElfBuilder("libtorch_cuda.so")
                .Need("libm.so.6", "GLIBC_2.29").Need("libstdc++.so.6", "GLIBCXX_3.4.26").Need("libgomp.so.1", "GOMP_4.0")),
        };

        var requirements = HostRequirementScanner.Scan(files, cudaVersion: null);

        Assert.Equal("2.34", requirements.Glibc);
        Assert.Equal("3.4.32", requirements.Glibcxx);
        Assert.Equal("1.3.13", requirements.Cxxabi);
        Assert.Null(requirements.NvidiaDriver);
        Assert.Equal(
            [
                new NativeNeed("CXXABI_1.3.13", "libstdc++.so.6", "TorchSharp-cuda-linux", "runtimes/linux-x64/native/libLibTorchSharp.so"),
                new NativeNeed("GLIBC_2.34", "libc.so.6", "TorchSharp-cuda-linux", "runtimes/linux-x64/native/libLibTorchSharp.so"),
                new NativeNeed("GLIBCXX_3.4.32", "libstdc++.so.6", "TorchSharp-cuda-linux", "runtimes/linux-x64/native/libLibTorchSharp.so"),
            ],
            requirements.Needs);
    }

    [Fact]
    public void Lists_every_file_that_needs_the_newest_version_and_host_names_without_numbers()
    {
        var files = new[]
        {
            Write("b-package", "libb.so", new TinyElfBuilder("libb.so").Need("libc.so.6", "GLIBC_2.29").Need("libc.so.6", "GLIBC_ABI_DT_RELR")),
            Write("a-package", "liba.so", new TinyElfBuilder("liba.so").Need("libm.so.6", "GLIBC_2.29")),
            Write("a-package", "libold.so", new TinyElfBuilder("libold.so").Need("libc.so.6", "GLIBC_2.17")),
        };

        var needs = HostRequirementScanner.Scan(files, null).Needs;

        Assert.Equal(
            ["GLIBC_2.29 libc.so.6 b-package/libb.so", "GLIBC_2.29 libm.so.6 a-package/liba.so", "GLIBC_ABI_DT_RELR libc.so.6 b-package/libb.so"],
            needs.Select(n => $"{n.Version} {n.Library} {n.Package}/{Path.GetFileName(n.File)}"));
    }

    [Fact]
    public void Weak_needs_count_and_package_library_versions_do_not()
    {
        var files = new[]
        {
            Write("p", "libweak.so", new TinyElfBuilder("libweak.so").Need("libstdc++.so.6", "GLIBCXX_3.4.32", weak: true).Need("libgomp-98b21ff3.so.1", "GOMP_5.0")),
        };

        var requirements = HostRequirementScanner.Scan(files, null);

        Assert.Equal("3.4.32", requirements.Glibcxx);
        Assert.DoesNotContain(requirements.Needs, n => n.Version.StartsWith("GOMP", StringComparison.Ordinal));
    }

    [Fact]
    public void Skips_files_that_are_not_this_platforms_libraries()
    {
        var text = _temp.WriteFile("p/README.txt", "not a library");
        var bytes = new TinyElfBuilder("lib32.so").Need("libc.so.6", "GLIBC_2.40").Build();
        bytes[4] = 1; // ELFCLASS32
        var elf32 = _temp.Combine("lib32.so");
        File.WriteAllBytes(elf32, bytes);

        var requirements = HostRequirementScanner.Scan([new NativeFile("p", "README.txt", text), new NativeFile("p", "lib32.so", elf32)], null);

        Assert.Null(requirements.Glibc);
        Assert.Empty(requirements.Needs);
    }

    [Fact]
    public void A_corrupt_library_is_an_error_naming_the_file()
    {
        var bytes = new TinyElfBuilder("libbad.so").Need("libc.so.6", "GLIBC_2.34").Build();
        var path = _temp.Combine("libbad.so");
        File.WriteAllBytes(path, bytes[..300]);

        var error = Assert.Throws<TorchEnvException>(() => HostRequirementScanner.Scan([new NativeFile("p", "libbad.so", path)], null));

        Assert.Equal("TENV0301", error.Diagnostic.Code);
        Assert.Contains(path, error.Diagnostic.Message);
    }

    [Theory]
    [InlineData("12.8", "525.60.13")]
    [InlineData("12.1", "525.60.13")]
    [InlineData("11.8", "450.80.02")]
    [InlineData("13.0", "580.65.06")]
    public void Cuda_versions_add_the_driver_minimum(string cuda, string driver)
    {
        Assert.Equal(driver, HostRequirementScanner.Scan([], cuda).NvidiaDriver);
    }

    [Fact]
    public void An_unknown_cuda_version_is_a_coded_error()
    {
        var error = Assert.Throws<TorchEnvException>(() => HostRequirementScanner.Scan([], "10.2"));

        Assert.Equal("TENV0304", error.Diagnostic.Code);
        Assert.Contains("CUDA 10.2", error.Diagnostic.Message);
        Assert.Contains("12.x", error.Diagnostic.Message);
    }
}
