using TorchEnv.Core.Lock;

namespace TorchEnv.Core.Tests.Lock;

public sealed class LockDiffTests(LockFeedFixture fixture) : IClassFixture<LockFeedFixture>
{
    private static LockedPackage Package(string id, string version, string sha = "sha", params (string Id, string Range)[] dependencies) => new()
    {
        Id = id,
        Version = version,
        Source = "https://api.nuget.org/v3/index.json",
        Sha512 = sha,
        Dependencies = dependencies.Select(d => new LockedDependency(d.Id, d.Range)).ToList(),
    };

    private static LockedEnvironment Environment(string variant, string platform, params LockedPackage[] packages) => new()
    {
        Variant = variant,
        Platform = platform,
        SpecHash = "sha256:" + new string('a', 64),
        Framework = "net10.0",
        Stack = new LockedStack { TorchSharp = "0.107.0", LibTorch = "2.10.0", Device = "cpu" },
        Host = HostRequirements.None,
        Packages = packages,
    };

    private static EnvironmentLock Lock(params LockedEnvironment[] environments) =>
        new() { FormatVersion = 1, ToolVersion = "0.1.0", Name = "demo", Environments = environments };

    [Fact]
    public void Identical_locks_have_no_differences_even_from_another_tool_version()
    {
        Assert.Empty(LockDiff.Compare(fixture.Lock, fixture.Lock with { ToolVersion = "9.9.9" }));
    }

    [Fact]
    public void Added_removed_upgraded_downgraded_and_changed_packages_are_reported_per_environment()
    {
        var old = Lock(Environment("cpu", "linux-x64",
            Package("A", "1.0.0"), Package("B", "2.0.0"), Package("C", "1.0.0"), Package("D", "1.0.0", "x"), Package("E", "1.0.0", "sha", ("A", "[1.0.0, )"))));
        var @new = Lock(Environment("cpu", "linux-x64",
            Package("B", "2.1.0"), Package("C", "0.9.0"), Package("D", "1.0.0", "y"), Package("E", "1.0.0", "sha", ("A", "[1.1.0, )")), Package("F", "3.0.0")));

        var diff = Assert.Single(LockDiff.Compare(old, @new));

        Assert.Equal(EnvironmentChangeKind.Changed, diff.Kind);
        Assert.Equal(
            [
                ("A", PackageChangeKind.Removed, "1.0.0", null),
                ("B", PackageChangeKind.Upgraded, "2.0.0", "2.1.0"),
                ("C", PackageChangeKind.Downgraded, "1.0.0", "0.9.0"),
                ("D", PackageChangeKind.Changed, "1.0.0", "1.0.0"),
                ("E", PackageChangeKind.Changed, "1.0.0", "1.0.0"),
                ("F", PackageChangeKind.Added, null, "3.0.0"),
            ],
            diff.Packages.Select(p => (p.Id, p.Kind, p.OldVersion, p.NewVersion)));
        Assert.Equal(["sha512"], diff.Packages.Single(p => p.Id == "D").Details);
        Assert.Equal(["dependencies"], diff.Packages.Single(p => p.Id == "E").Details);
    }

    [Fact]
    public void Environments_added_and_removed_are_reported_with_their_packages()
    {
        var old = Lock(Environment("cpu", "linux-x64", Package("A", "1.0.0")), Environment("cpu", "win-x64", Package("A", "1.0.0")));
        var @new = Lock(Environment("cpu", "linux-x64", Package("A", "1.0.0")), Environment("cuda", "linux-x64", Package("A", "1.0.0")));

        var diffs = LockDiff.Compare(old, @new);

        Assert.Equal([("cuda/linux-x64", EnvironmentChangeKind.Added), ("cpu/win-x64", EnvironmentChangeKind.Removed)], diffs.Select(d => (d.Key, d.Kind)));
        Assert.Equal(PackageChangeKind.Added, Assert.Single(diffs[0].Packages).Kind);
        Assert.Equal(PackageChangeKind.Removed, Assert.Single(diffs[1].Packages).Kind);
    }

    [Fact]
    public void Stack_and_host_changes_are_reported_as_fields()
    {
        var before = Environment("cuda", "linux-x64");
        var after = before with
        {
            Stack = before.Stack with { Cudnn = "9" },
            Host = before.Host with { Glibcxx = "3.4.32" },
        };

        var diff = Assert.Single(LockDiff.Compare(Lock(before), Lock(after)));

        Assert.Equal([new FieldChange("stack.cudnn", null, "9"), new FieldChange("host.glibcxx", null, "3.4.32")], diff.Fields);
        Assert.Equal(["cuda/linux-x64 stack.cudnn: (none) → 9", "cuda/linux-x64 host.glibcxx: (none) → 3.4.32"], diff.Describe());
    }
}
