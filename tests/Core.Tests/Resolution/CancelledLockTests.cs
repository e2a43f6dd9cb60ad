using TorchEnv.Core.Resolution;
using TorchEnv.Core.Stack;
using TorchEnv.Core.Tests.Lock;
using TorchEnv.TestSupport;

namespace TorchEnv.Core.Tests.Resolution;

/// <summary>
/// Cancelling a lock (Ctrl+C) while packages download: nothing partial is left, neither in the global packages folder
/// (a package being installed for this machine) nor in the temporary folder (another platform's package being read).
/// </summary>
public sealed class CancelledLockTests : IDisposable
{
    private readonly TempDirectory _root = new("torchenv-cancel");
    private readonly DotnetInstallation _dotnet;
    private readonly string _specPath;

    public CancelledLockTests()
    {
        var feed = new LocalFeed(_root.Combine("feed"));
        LockFeedFixture.BuildFeed(feed);
        var random = new Random(12);
        var native = new byte[4 * 1024 * 1024];
        random.NextBytes(native);
        feed.Add("libtorch-cpu-linux-x64", "2.10.0", p => p.Group("netstandard2.0").File("runtimes/linux-x64/native/libtorch_cpu.so", native));
        _dotnet = LockFeedFixture.BuildDotnet(_root.Combine("dotnet"));
        _specPath = _root.WriteFile("project/environment.yml", "# hand-built plans\n");
    }

    public void Dispose() => _root.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Cancelling_mid_download_leaves_no_partial_file_anywhere(bool whileReadingAnotherPlatform)
    {
        var packages = _root.Combine("packages");
        var temporary = _root.Combine("tmp");
        Directory.CreateDirectory(temporary);
        using var cancellation = new CancellationTokenSource();
        var started = 0;
        var progress = new Progress(p =>
        {
            if (p.Stage is PackageDownloadStage.Started or PackageDownloadStage.Downloading && p.IsTemporary == whileReadingAnotherPlatform)
            {
                Interlocked.Increment(ref started);
                cancellation.Cancel();
            }
        });
        var plans = new[] { "linux-x64", "win-x64" }.Select(platform => TestPlans.Cpu("cpu", platform)).ToList();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => EnvironmentLocker.LockAsync(
            LockFeedFixture.SpecFor(_specPath, "../feed"), plans, null,
            new LockOptions
            {
                GlobalPackagesFolder = packages, Dotnet = _dotnet, ToolVersion = "0.1.0-test", Progress = progress,
                Install = LockInstallScope.Only("cpu", "linux-x64"), TemporaryFolder = temporary, MaxConcurrentDownloads = 4,
            },
            cancellation.Token));

        Assert.True(started > 0, "no download was under way when the lock was cancelled");
        Assert.Empty(Directory.EnumerateFileSystemEntries(temporary));
        Assert.Empty(PartialFiles(packages));
    }

    /// <summary>Files in the global packages folder outside a completely installed package (one with <c>.nupkg.metadata</c>).</summary>
    private static IEnumerable<string> PartialFiles(string packages) => !Directory.Exists(packages)
        ? []
        : Directory.EnumerateFiles(packages, "*", SearchOption.AllDirectories).Where(file =>
        {
            var relative = Path.GetRelativePath(packages, file).Split(Path.DirectorySeparatorChar);
            return relative.Length < 3 || !File.Exists(Path.Combine(packages, relative[0], relative[1], ".nupkg.metadata"));
        });

    /// <summary>Reports synchronously on the reporting thread (<see cref="Progress{T}"/> would post, and come too late).</summary>
    private sealed class Progress(Action<PackageDownloadProgress> report) : IProgress<PackageDownloadProgress>
    {
        public void Report(PackageDownloadProgress value) => report(value);
    }
}
