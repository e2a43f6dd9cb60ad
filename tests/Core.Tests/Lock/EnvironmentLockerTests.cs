using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Resolution;

namespace TorchEnv.Core.Tests.Lock;

public sealed class EnvironmentLockerTests(LockFeedFixture fixture) : IClassFixture<LockFeedFixture>
{
    [Fact]
    public void The_lock_pins_the_whole_closure_per_platform()
    {
        var windows = fixture.Lock.Find("cpu", "win-x64")!;

        Assert.Equal(["cpu/osx-arm64", "cpu/win-x64"], fixture.Lock.Environments.Select(e => e.Key)); // platforms in ordinal order
        Assert.Equal(
            ["Extra.Lib 1.0.0", "Google.Protobuf 3.25.1", "libtorch-cpu-win-x64 2.10.0", "TorchSharp 0.107.0", "TorchVision 0.107.0"],
            windows.Packages.Select(p => $"{p.Id} {p.Version}"));
        Assert.All(windows.Packages, p => Assert.Equal("../feed", p.Source));
        Assert.All(windows.Packages, p => Assert.Equal(88, p.Sha512.Length));
    }

    [Fact]
    public void The_stack_records_what_was_resolved()
    {
        var stack = fixture.Lock.Find("cpu", "osx-arm64")!.Stack;

        Assert.Equal(("0.107.0", "2.10.0", "cpu", "10.0.401", "0.107.0"), (stack.TorchSharp, stack.LibTorch, stack.Device, stack.DotnetSdk, stack.TorchVision));
        Assert.Null(stack.Cuda);
        Assert.Null(stack.Cudnn);
    }

    [Fact]
    public void Dependencies_the_framework_provides_are_pruned_as_restore_prunes_them()
    {
        var environment = fixture.Lock.Find("cpu", "win-x64")!;

        Assert.Equal([new PrunedPackage("System.Memory", "5.0.0")], environment.Pruned);
        Assert.Null(environment.Find("System.Memory"));
        Assert.Null(environment.Find("System.Buffers"));
        Assert.Contains(new LockedDependency("System.Memory", "[4.5.5, )"), environment.Find("TorchSharp")!.Dependencies);
    }

    [Fact]
    public void The_hash_is_the_content_hash_NuGet_recorded_when_it_installed_the_package()
    {
        var package = fixture.Lock.Find("cpu", "win-x64")!.Find("TorchSharp")!;
        var metadata = File.ReadAllText(Path.Combine(fixture.PackagesFolder, "torchsharp", "0.107.0", ".nupkg.metadata"));

        Assert.Contains($"\"contentHash\": \"{package.Sha512}\"", metadata);
        Assert.True(File.Exists(Path.Combine(fixture.PackagesFolder, "torchsharp", "0.107.0", "torchsharp.0.107.0.nupkg")));
        Assert.True(File.Exists(Path.Combine(fixture.PackagesFolder, "torchsharp", "0.107.0", "torchsharp.nuspec")));
        Assert.True(File.Exists(Path.Combine(fixture.PackagesFolder, "torchsharp", "0.107.0", "runtimes", "win-x64", "native", "LibTorchSharp.dll")));
    }

    [Fact]
    public void Roots_record_the_spec_line_that_asked_for_them()
    {
        var roots = fixture.Lock.Find("cpu", "win-x64")!.Roots;

        Assert.Equal(["TorchSharp", "libtorch-cpu-win-x64", "TorchVision", "Extra.Lib"], roots.Select(r => r.Id));
        Assert.Equal("[0.107.0, 0.107.0]", roots[0].Range);
        Assert.Contains("environment.yml:6", roots[0].Reason);
    }

    [Fact]
    public async Task Locking_twice_gives_byte_identical_text()
    {
        var again = await EnvironmentLocker.LockAsync(fixture.Spec, fixture.Plans, previous: null, fixture.Options());

        Assert.Equal(fixture.LockText, LockFileWriter.Serialize(again));
    }

    [Fact]
    public void The_lock_text_equals_the_golden_file_written_by_an_earlier_run()
    {
        // Every test run is a new process (new string hash seed, new temp paths): equal text across runs is the proof
        // that nothing in the lock depends on the process, the machine's culture or the clock.
        var golden = Golden.Path("cpu-two-platforms.lock.yml");
        if (Environment.GetEnvironmentVariable("TORCHENV_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(Golden.SourcePath("cpu-two-platforms.lock.yml"), fixture.LockText);
        }

        Assert.Equal(File.ReadAllText(golden), fixture.LockText);
    }

    [Fact]
    public async Task Relocking_with_the_lock_as_preference_needs_no_source_when_everything_is_installed()
    {
        var feedCopy = CopyFeed();
        var spec = LockFeedFixture.SpecFor(fixture.SpecPath, feedCopy);
        var packages = fixture.Scratch("packages");
        var first = await EnvironmentLocker.LockAsync(spec, fixture.Plans, null, fixture.Options(packages));
        Directory.Delete(feedCopy, recursive: true);
        Directory.CreateDirectory(feedCopy); // the channel must exist, but it is empty now

        var second = await EnvironmentLocker.LockAsync(spec, fixture.Plans, first, fixture.Options(packages));

        Assert.Equal(LockFileWriter.Serialize(first), LockFileWriter.Serialize(second));
    }

    [Fact]
    public async Task Update_moves_only_the_named_packages()
    {
        var feedCopy = CopyFeed();
        var spec = LockFeedFixture.SpecFor(fixture.SpecPath, feedCopy);
        var packages = fixture.Scratch("packages");
        var first = await EnvironmentLocker.LockAsync(spec, fixture.Plans, null, fixture.Options(packages));
        var feed = new TestSupport.LocalFeed(feedCopy);
        feed.Add("Extra.Lib", "1.1.0", p => p.DependsOn("Google.Protobuf", "3.25.1"));
        feed.Add("Google.Protobuf", "3.26.1", p => p.DependsOn("System.Memory", "4.5.3"));

        var kept = await EnvironmentLocker.LockAsync(spec, fixture.Plans, first, fixture.Options(packages));
        var updated = await EnvironmentLocker.LockAsync(spec, fixture.Plans, first, fixture.Options(packages) with { Update = LockUpdate.Packages(["extra.lib"]) });

        Assert.Empty(LockDiff.Compare(first, kept));
        var changes = LockDiff.Compare(first, updated);
        Assert.Equal(2, changes.Count);
        Assert.All(changes, c =>
        {
            var change = Assert.Single(c.Packages);
            Assert.Equal(("Extra.Lib", PackageChangeKind.Upgraded, "1.0.0", "1.1.0"), (change.Id, change.Kind, change.OldVersion, change.NewVersion));
            Assert.Empty(c.Fields);
        });
    }

    [Fact]
    public async Task The_sdk_is_the_highest_installed_one_the_range_allows_and_a_locked_one_is_kept()
    {
        var previous = fixture.Lock with
        {
            Environments = fixture.Lock.Environments.Select(e => e with { Stack = e.Stack with { DotnetSdk = "10.0.100" } }).ToList(),
        };

        var kept = await EnvironmentLocker.LockAsync(fixture.Spec, fixture.Plans, previous, fixture.Options());
        var updated = await EnvironmentLocker.LockAsync(fixture.Spec, fixture.Plans, previous, fixture.Options() with { Update = LockUpdate.Packages(["dotnet-sdk"]) });

        Assert.Equal("10.0.401", fixture.Lock.Environments[0].Stack.DotnetSdk);
        Assert.All(kept.Environments, e => Assert.Equal("10.0.100", e.Stack.DotnetSdk));
        Assert.All(updated.Environments, e => Assert.Equal("10.0.401", e.Stack.DotnetSdk));
    }

    [Fact]
    public async Task No_installed_sdk_in_range_is_an_error_that_lists_the_installed_ones()
    {
        var plans = fixture.Plans.Select(p => p with { DotnetSdk = NuGet.Versioning.VersionRange.Parse("[11.0.0, 11.1.0)") }).ToList();

        var error = await Assert.ThrowsAsync<TorchEnvException>(() => EnvironmentLocker.LockAsync(fixture.Spec, plans, null, fixture.Options()));

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal("TENV0211", diagnostic.Code);
        Assert.Contains("9.0.300, 10.0.100, 10.0.401", diagnostic.Message);
        Assert.Equal(5, diagnostic.Location!.Line);
    }

    [Fact]
    public async Task Downloads_report_progress_with_the_size_of_each_package()
    {
        var reports = new System.Collections.Concurrent.ConcurrentQueue<PackageDownloadProgress>();
        var options = fixture.Options(fixture.Scratch("packages")) with { Progress = new SynchronousProgress(reports.Enqueue) };

        await EnvironmentLocker.LockAsync(fixture.Spec, fixture.Plans, null, options);

        var completed = reports.Where(r => r.Stage == PackageDownloadStage.Completed).ToList();
        Assert.Equal(6, completed.Count); // 5 per platform, 4 of them shared
        Assert.All(completed, r => Assert.Equal(r.TotalBytes, r.BytesDownloaded));
        Assert.All(completed, r => Assert.True(r.TotalBytes > 0));
        Assert.Contains(reports, r => r.Stage == PackageDownloadStage.Started && r.Id == "TorchSharp");
    }

    [Fact]
    public async Task An_unknown_channel_name_is_an_error_with_a_suggestion_at_the_channel()
    {
        var spec = LockFeedFixture.SpecFor(fixture.SpecPath, "nuget.orgg");

        var error = await Assert.ThrowsAsync<TorchEnvException>(() => EnvironmentLocker.LockAsync(spec, fixture.Plans, null, fixture.Options()));

        Assert.Equal("TENV0200", error.Diagnostic.Code);
        Assert.Contains("Did you mean 'nuget.org'?", error.Diagnostic.Message);
        Assert.Equal((2, 13), (error.Diagnostic.Location!.Line, error.Diagnostic.Location.Column));
    }

    [Fact]
    public async Task A_missing_local_folder_channel_is_an_error()
    {
        var spec = LockFeedFixture.SpecFor(fixture.SpecPath, "./no-such-feed");

        var error = await Assert.ThrowsAsync<TorchEnvException>(() => EnvironmentLocker.LockAsync(spec, fixture.Plans, null, fixture.Options()));

        Assert.Equal("TENV0201", error.Diagnostic.Code);
    }

    [Fact]
    public async Task A_stack_candidate_whose_packages_are_missing_falls_back_to_the_next_one()
    {
        var plans = fixture.Plans.Select(plan =>
        {
            var missing = new TorchEnv.Core.Stack.StackCandidate(TestPlans.Row107, NuGet.Versioning.VersionRange.Parse("[0.108.0]"),
                [new("TorchSharp", NuGet.Versioning.VersionRange.Parse("[0.108.0]"), "torchsharp=0.108.*")]);
            return plan with { Candidates = [missing, .. plan.Candidates] };
        }).ToList();

        var result = await EnvironmentLocker.LockAsync(fixture.Spec, plans, null, fixture.Options());

        Assert.All(result.Environments, e => Assert.Equal("0.107.0", e.Stack.TorchSharp));
    }

    [Fact]
    public async Task No_available_candidate_is_an_error_naming_the_missing_package()
    {
        var plans = fixture.Plans.Select(plan => plan with
        {
            Candidates = [new TorchEnv.Core.Stack.StackCandidate(TestPlans.Row107, NuGet.Versioning.VersionRange.Parse("[0.108.0]"),
                [new("TorchSharp", NuGet.Versioning.VersionRange.Parse("[0.108.0]"), "torchsharp=0.108.*")])],
        }).ToList();

        var error = await Assert.ThrowsAsync<TorchEnvException>(() => EnvironmentLocker.LockAsync(fixture.Spec, plans, null, fixture.Options()));

        Assert.Equal("TENV0206", error.Diagnostic.Code);
        Assert.Contains("TorchSharp (= 0.108.0) is not on the sources", error.Diagnostic.Message);
    }

    private string CopyFeed()
    {
        var copy = fixture.Scratch("feed");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.EnumerateFiles(fixture.FeedFolder))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        return copy;
    }

    private sealed class SynchronousProgress(Action<PackageDownloadProgress> report) : IProgress<PackageDownloadProgress>
    {
        public void Report(PackageDownloadProgress value) => report(value);
    }
}
