using TorchEnv.Training.Logging;

namespace TorchEnv.Training.Tests;

public sealed class ProgressReporterTests
{
    [Fact]
    public void Redirected_output_gets_whole_lines_at_the_interval_and_no_carriage_returns()
    {
        var now = TimeSpan.Zero;
        var output = new StringWriter();
        var reporter = new ProgressReporter(output, interactive: false, redirectedInterval: TimeSpan.FromSeconds(10), clock: () => now);

        for (var step = 1; step <= 30; step++)
        {
            now += TimeSpan.FromSeconds(1);
            reporter.Step(0, 2, step, 60, samples: 64, loss: step == 20 ? 1.25f : null);
        }

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.DoesNotContain('\r', output.ToString());
        Assert.Equal(4, lines.Length);   // steps 1, 11, 20 (a new loss value) and 30 (10 s after it)
        Assert.Contains("step 20/60", lines[2]);
        Assert.Contains("loss 1.2500", lines[2]);
        Assert.Contains("step 30/60", lines[3]);
        Assert.Contains("64.0 samples/s", lines[3]);
        Assert.Contains("ETA 00:30", lines[3]);
    }

    [Fact]
    public void A_terminal_line_is_redrawn_in_place()
    {
        var now = TimeSpan.Zero;
        var output = new StringWriter();
        var reporter = new ProgressReporter(output, interactive: true, clock: () => now);
        reporter.Step(0, 1, 1, 10, 8, 2.5f);
        now += TimeSpan.FromSeconds(1);
        reporter.Step(0, 1, 2, 10, 8);
        reporter.WriteLine("done");

        var text = output.ToString();
        Assert.StartsWith("\repoch 1/1  step 1/10", text);
        Assert.Contains("\repoch 1/1  step 2/10", text);
        Assert.EndsWith("\ndone" + Environment.NewLine, text);
    }
}
