using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Packages;
using TorchEnv.Core.Resolution;
using TorchEnv.TestSupport;

namespace TorchEnv.Core.Tests.Resolution;

/// <summary>
/// CUDA files split over "-primary" and "-fragmentN" packages: the host scan sees them whole, before and after the
/// first build restitches them inside the global packages folder, and a deep verify accepts a correct restitch only.
/// </summary>
public sealed class RestitchTests(CudaFeedFixture fixture) : IClassFixture<CudaFeedFixture>
{
    private const string Primary = "libtorch-cuda-12.8-linux-x64-part9-primary";
    private const string Fragment = "libtorch-cuda-12.8-linux-x64-part9-fragment1";
    private const string File = "runtimes/linux-x64/native/libcudnn_adv.so.9";

    private Task<(string Folder, List<InstalledPackageFiles> Packages, LockedEnvironment Environment)> InstallAsync() =>
        fixture.InstallAsync(Primary, Fragment);

    private static string Restitch(string folder)
    {
        // What TorchSharp's FileRestitch target does on the first build: join, replace the primary, delete the fragments.
        var primary = Path.Combine(folder, Primary, "2.10.0", File);
        System.IO.File.WriteAllBytes(primary, CudaFixtureFeed.DefaultContent("libcudnn_adv.so.9"));
        System.IO.File.Delete(Path.Combine(folder, Fragment, "2.10.0", "fragments", "linux-x64", "native", "libcudnn_adv.so.9.fragment1"));
        return primary;
    }

    [Fact]
    public async Task Before_the_first_build_the_scan_sees_the_file_joined_from_its_fragments()
    {
        var (_, packages, _) = await InstallAsync();

        using var natives = NativeFileCollector.Collect(packages, "linux-x64");

        var file = Assert.Single(natives.Files);
        Assert.Equal((Primary, File), (file.Package, file.RelativePath));
        Assert.Equal(CudaFixtureFeed.DefaultContent("libcudnn_adv.so.9"), System.IO.File.ReadAllBytes(file.FullPath));
    }

    [Fact]
    public async Task After_the_first_build_the_scan_reads_the_restitched_primary()
    {
        var (folder, packages, _) = await InstallAsync();
        var primary = Restitch(folder);

        using var natives = NativeFileCollector.Collect(packages, "linux-x64");

        Assert.Equal(primary, Assert.Single(natives.Files).FullPath);
    }

    [Fact]
    public async Task Fragments_that_do_not_join_into_the_sha_are_an_error()
    {
        var (folder, packages, _) = await InstallAsync();
        System.IO.File.WriteAllText(Path.Combine(folder, Fragment, "2.10.0", "fragments", "linux-x64", "native", "libcudnn_adv.so.9.fragment1"), "garbage");

        var error = Assert.Throws<TorchEnvException>(() => NativeFileCollector.Collect(packages, "linux-x64"));

        Assert.Equal("TENV0212", error.Diagnostic.Code);
    }

    [Fact]
    public async Task Deep_verify_accepts_a_correct_restitch_and_rejects_a_wrong_one()
    {
        var (folder, _, environment) = await InstallAsync();
        var primary = Restitch(folder);

        var restitched = LockVerifier.Verify(environment, folder, new VerifyOptions { Deep = true });
        System.IO.File.AppendAllText(primary, "tampered");
        var tampered = LockVerifier.Verify(environment, folder, new VerifyOptions { Deep = true });

        Assert.Empty(restitched);
        Assert.Equal("TENV0256", Assert.Single(tampered).Code);
    }

    [Fact]
    public async Task Deep_verify_refuses_a_lost_fragment_whose_primary_was_never_joined()
    {
        var (folder, _, environment) = await InstallAsync();
        var before = LockVerifier.Verify(environment, folder, new VerifyOptions { Deep = true });
        System.IO.File.Delete(Path.Combine(folder, Fragment, "2.10.0", "fragments", "linux-x64", "native", "libcudnn_adv.so.9.fragment1"));

        var lost = LockVerifier.Verify(environment, folder, new VerifyOptions { Deep = true });

        Assert.Empty(before);
        var finding = Assert.Single(lost);
        Assert.Equal("TENV0259", finding.Code);
        Assert.Contains($"{Primary}/{File}", finding.Message, StringComparison.Ordinal);
    }
}
