using TorchEnv.Tool.Cli;
using TorchEnv.Tool.Tests.Fixtures;

namespace TorchEnv.Tool.Tests;

/// <summary><c>torchenv lock</c> through the command line, against the stand-in feed of <see cref="OpsFolder"/> (offline).</summary>
public sealed class LockCommandTests : IDisposable
{
    private readonly OpsFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_verbose_lock_says_how_many_packages_it_read_and_how_many_came_from_the_fact_cache()
    {
        var project = _folder.Project("Verbose", "0.107.0");

        var run = _folder.Run(project, "lock", "--verbose");

        run.AssertExit(ExitCodes.Success);
        // bench/lock-cost reads this line; it went missing once the lock command locked through LockService.
        Assert.Matches(@"packages: [1-9]\d* read \(\d+ downloaded to a temporary folder, \d+ installed\), \d+ from the fact cache", run.Error);
    }
}
