using TorchEnv.Core.IO;
using TorchEnv.Core.Native;
using TorchEnv.Core.Tests.Resolution;
using TorchEnv.TestSupport;

namespace TorchEnv.Core.Tests.Native;

/// <summary>
/// TorchEnv's own join of a split CUDA file (libtorch_cuda.so: a "-primary" package and six "-fragmentK" ones, as in
/// TorchSharp 0.107.0), in a global packages folder restore filled: whole and checked, or a coded error that names the
/// file and why.
/// </summary>
public sealed class SplitFileRestitcherTests(CudaFeedFixture fixture) : IClassFixture<CudaFeedFixture>
{
    private const string Part = "libtorch-cuda-12.8-linux-x64-part3";
    private const string Primary = Part + "-primary";
    private const string File = "runtimes/linux-x64/native/libtorch_cuda.so";
    private static readonly string[] Ids = [Primary, .. Enumerable.Range(1, 6).Select(k => $"{Part}-fragment{k}")];

    private static string PrimaryFile(string folder) => Path.Combine(folder, Primary, "2.10.0", File);

    private static string FragmentFile(string folder, int k) =>
        Path.Combine(folder, $"{Part}-fragment{k}", "2.10.0", "fragments", "linux-x64", "native", $"libtorch_cuda.so.fragment{k}");

    [Fact]
    public async Task Joins_the_file_from_its_fragments_checks_it_and_deletes_them_once()
    {
        var (folder, _, environment) = await fixture.InstallAsync(Ids);

        var first = SplitFileRestitcher.Restitch(environment, folder);
        var second = SplitFileRestitcher.Restitch(environment, folder);

        Assert.Empty(first.Diagnostics);
        Assert.Equal([$"{Primary}/{File}"], first.Joined);
        Assert.Equal(CudaFixtureFeed.DefaultContent("libtorch_cuda.so"), System.IO.File.ReadAllBytes(PrimaryFile(folder)));
        Assert.All(Enumerable.Range(1, 6), k => Assert.False(System.IO.File.Exists(FragmentFile(folder, k))));
        Assert.Empty(second.Joined);
        Assert.Empty(second.Diagnostics);
        Assert.False(System.IO.File.Exists(SplitFileRestitcher.GuardPath(folder)));
    }

    [Fact]
    public async Task A_corrupted_fragment_is_named_and_nothing_is_changed()
    {
        var (folder, _, environment) = await fixture.InstallAsync(Ids);
        var bytes = System.IO.File.ReadAllBytes(FragmentFile(folder, 2));
        bytes[0] ^= 0xFF;
        System.IO.File.WriteAllBytes(FragmentFile(folder, 2), bytes);
        var primaryBefore = System.IO.File.ReadAllBytes(PrimaryFile(folder));

        var outcome = SplitFileRestitcher.Restitch(environment, folder);

        var error = Assert.Single(outcome.Diagnostics);
        Assert.Equal("TENV0330", error.Code);
        Assert.Contains($"{Part}-fragment2/fragments/linux-x64/native/libtorch_cuda.so.fragment2: its bytes differ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("fragment1/", error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(folder, $"{Part}-fragment2", "2.10.0"), error.Fix, StringComparison.Ordinal);
        Assert.Empty(outcome.Joined);
        Assert.Equal(primaryBefore, System.IO.File.ReadAllBytes(PrimaryFile(folder)));
        Assert.True(System.IO.File.Exists(FragmentFile(folder, 2)));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(PrimaryFile(folder))!, "*.torchenv-join"));
    }

    [Fact]
    public async Task A_primary_never_joined_whose_fragments_are_gone_says_so_with_its_sizes()
    {
        var (folder, _, environment) = await fixture.InstallAsync(Ids);
        foreach (var k in Enumerable.Range(1, 6))
        {
            System.IO.File.Delete(FragmentFile(folder, k));
        }

        var outcome = SplitFileRestitcher.Restitch(environment, folder);

        var error = Assert.Single(outcome.Diagnostics);
        Assert.Equal("TENV0331", error.Code);
        var whole = CudaFixtureFeed.DefaultContent("libtorch_cuda.so").Length;
        var first = new FileInfo(PrimaryFile(folder)).Length;
        Assert.Contains($"it is still the -primary package's first piece ({ByteSize.Format(first)} of {ByteSize.Format(whole)}): it was never joined", error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(folder, Primary, "2.10.0"), error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_read_only_packages_folder_is_named()
    {
        var (folder, _, environment) = await fixture.InstallAsync(Ids);

        RestitchOutcome outcome;
        using (ReadOnlyFolder.Make(folder))
        {
            outcome = SplitFileRestitcher.Restitch(environment, folder);
        }

        var error = Assert.Single(outcome.Diagnostics);
        Assert.Equal("TENV0332", error.Code);
        Assert.Contains($"{Primary}/{File} cannot be joined from its 6 fragment(s): the global packages folder {folder} is read-only", error.Message, StringComparison.Ordinal);
        Assert.True(System.IO.File.Exists(FragmentFile(folder, 1)));
    }

    [Fact]
    public async Task A_build_that_waited_for_another_ones_join_joins_nothing()
    {
        var (folder, _, environment) = await fixture.InstallAsync(Ids);
        using var waiting = new ManualResetEventSlim();
        RestitchOutcome outcome;
        using (var other = ExclusiveFileLock.Acquire(SplitFileRestitcher.GuardPath(folder), TimeSpan.FromSeconds(5)))
        {
            var second = Task.Run(() => SplitFileRestitcher.Restitch(environment, folder, _ => waiting.Set()));
            Assert.True(waiting.Wait(TimeSpan.FromMinutes(1)), "the second restitch never waited at the guard");

            // The other build joins while it holds the guard, as TorchEnv's join does.
            System.IO.File.WriteAllBytes(PrimaryFile(folder), CudaFixtureFeed.DefaultContent("libtorch_cuda.so"));
            foreach (var k in Enumerable.Range(1, 6))
            {
                System.IO.File.Delete(FragmentFile(folder, k));
            }

            other.Dispose();
            outcome = await second;
        }

        Assert.Empty(outcome.Joined);
        Assert.Empty(outcome.Diagnostics);
    }

    [Theory]
    [InlineData("/home/ci/runtimes/nuget", "runtimes")]
    [InlineData("/srv/cache-primary/packages", "-primary")]
    [InlineData("/home/ci/.nuget/packages", null)]
    public void A_packages_folder_whose_path_trips_TorchSharps_restitch_is_recognised(string folder, string? word) =>
        Assert.Equal(word, RestitchCauses.TrippingWord(folder));
}
