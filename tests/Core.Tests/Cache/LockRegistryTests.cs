using TorchEnv.Core.Cache;
using TorchEnv.TestSupport;

namespace TorchEnv.Core.Tests.Cache;

public sealed class LockRegistryTests : IDisposable
{
    private readonly TempDirectory _temp = new("torchenv-registry");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Recording_a_lock_twice_keeps_one_entry_with_the_newer_time()
    {
        var registry = new LockRegistry(_temp.Combine("data", "locks.json"));
        var lockPath = _temp.WriteFile("a/environment.lock.yml", "x");

        registry.Record(lockPath);
        var first = Assert.Single(registry.List());
        registry.Record(lockPath);
        var second = Assert.Single(registry.List());

        Assert.Equal(lockPath, second.Path);
        Assert.True(second.LastUsed >= first.LastUsed);
    }

    [Fact]
    public void Locks_whose_files_are_gone_drop_out()
    {
        var registry = new LockRegistry(_temp.Combine("locks.json"));
        var kept = _temp.WriteFile("kept/environment.lock.yml", "x");
        var gone = _temp.WriteFile("gone/environment.lock.yml", "x");
        registry.Record(kept);
        registry.Record(gone);

        File.Delete(gone);

        Assert.Equal([kept], registry.List().Select(l => l.Path));
        registry.Record(kept);
        Assert.DoesNotContain(gone, File.ReadAllText(registry.Path));
    }

    [Fact]
    public void Concurrent_writers_lose_no_entry()
    {
        var registry = _temp.Combine("shared", "locks.json");
        var locks = Enumerable.Range(0, 24).Select(i => _temp.WriteFile($"p{i}/environment.lock.yml", "x")).ToList();

        Parallel.ForEach(locks, new ParallelOptions { MaxDegreeOfParallelism = 8 }, path => new LockRegistry(registry).Record(path));

        Assert.Equal(locks.Order(StringComparer.Ordinal), new LockRegistry(registry).List().Select(l => l.Path));
    }

    [Fact]
    public void The_default_path_honours_the_override_variable_and_is_per_user_otherwise()
    {
        var saved = Environment.GetEnvironmentVariable(LockRegistry.PathVariable);
        try
        {
            Environment.SetEnvironmentVariable(LockRegistry.PathVariable, _temp.Combine("custom.json"));
            Assert.Equal(_temp.Combine("custom.json"), LockRegistry.DefaultPath());
            Environment.SetEnvironmentVariable(LockRegistry.PathVariable, null);
            Assert.EndsWith(Path.Combine("torchenv", "locks.json"), LockRegistry.DefaultPath());
        }
        finally
        {
            Environment.SetEnvironmentVariable(LockRegistry.PathVariable, saved);
        }
    }
}
