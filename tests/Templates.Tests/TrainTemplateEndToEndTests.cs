using System.Globalization;
using System.Text.RegularExpressions;

namespace TorchEnv.Templates.Tests;

/// <summary>
/// What `dotnet new torchenv-train` promises a user: the generated project builds on the packed TorchEnv.Sdk (no
/// other set-up; on Debian 12 through the SDK's libstdc++ compatibility step), trains on the bundled data set on the
/// CPU, learns, writes a checkpoint, and `--resume` continues from it.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed partial class TrainTemplateEndToEndTests(TrainTemplateProjectFixture fixture) : IClassFixture<TrainTemplateProjectFixture>
{
    [Fact]
    public void The_generated_project_builds_locked_trains_on_cpu_checkpoints_and_resumes()
    {
        Assert.True(fixture.Install.Succeeded, fixture.Install.ToString());
        Assert.True(fixture.New.Succeeded, fixture.New.ToString());
        Assert.True(fixture.BuildResult.Succeeded, fixture.BuildResult.ToString());
        Assert.True(File.Exists(fixture.Project.PathOf("environment.lock.yml")), "the first build wrote no environment.lock.yml");

        // 40 steps of one epoch, the loss read at every step: a few seconds on two cores, enough to see it fall.
        var first = fixture.Train("--epochs", "1", "--max-steps", "40", "--log-every", "1");
        Assert.True(first.Succeeded, first.ToString());
        var losses = LoggedLosses(first.StandardOutput);
        Assert.True(losses.Count >= 30, $"expected a loss per step, got {losses.Count}:\n{first}");
        var early = losses.Take(10).Average();
        var late = losses.TakeLast(10).Average();
        Assert.True(late < early, $"the loss did not go down (mean of the first ten {early:F4}, of the last ten {late:F4}):\n{first}");
        Assert.Matches(@"step 40: loss \d+\.\d+, test accuracy", first.StandardOutput);

        var checkpoint = fixture.Project.PathOf(Path.Combine("checkpoints", "last.ckpt"));
        Assert.True(File.Exists(checkpoint), $"no checkpoint at {checkpoint}:\n{first}");
        var written = File.GetLastWriteTimeUtc(checkpoint);

        // --resume picks the run up at step 40 and goes on to 50, then saves again.
        var resumed = fixture.Train("--epochs", "1", "--max-steps", "50", "--log-every", "5", "--resume");
        Assert.True(resumed.Succeeded, resumed.ToString());
        Assert.Contains($"resumed from {Path.Combine("checkpoints", "last.ckpt")} at epoch 1, step 40", resumed.StandardOutput);
        Assert.DoesNotContain("step 5/", resumed.StandardOutput);
        Assert.Contains("step 45/50", resumed.StandardOutput);
        Assert.Matches(@"step 50: loss \d+\.\d+, test accuracy", resumed.StandardOutput);
        Assert.True(File.GetLastWriteTimeUtc(checkpoint) > written, "the resumed run did not write its checkpoint");
    }

    /// <summary>The losses of the progress lines (one per logged loss when the output is redirected), in order.</summary>
    private static List<double> LoggedLosses(string output) =>
        ProgressLoss().Matches(output).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();

    [GeneratedRegex(@"step \d+/\d+  loss (\d+\.\d+)")]
    private static partial Regex ProgressLoss();
}
