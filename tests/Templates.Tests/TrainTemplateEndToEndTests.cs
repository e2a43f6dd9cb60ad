using System.Globalization;
using System.Text.RegularExpressions;
using SkiaSharp;

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

        // The stack check at start: TorchEnvironment.Verify() (generated from the lock) found the locked stack loaded.
        Assert.Matches(@"stack: TorchSharp 0\.107\.0, libtorch 2\.10\.0, device cpu, lock [0-9a-f]{12} \(mnist_torchsharp_cpu, linux-x64\): verified", first.StandardOutput);
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

    [Fact]
    public void Device_cuda_without_cuda_is_a_coded_error_with_its_exit_code_and_no_stack_trace()
    {
        Assert.True(fixture.BuildResult.Succeeded, fixture.BuildResult.ToString());

        var run = fixture.Train("--device", "cuda", "--max-steps", "1");

        Assert.Equal(2, run.ExitCode);   // TrainingExitCodes.StackCheckFailed, as the template README documents
        Assert.Contains("error TENV0615: --device cuda was asked for, but this program is built on the locked cpu variant", run.StandardError);
        Assert.Contains("Fix: Run with --device cpu", run.StandardError);
        Assert.DoesNotContain("Unhandled exception", run.Output);
        Assert.DoesNotContain("   at ", run.Output);
    }

    [Fact]
    public void A_run_stopped_inside_an_epoch_resumes_from_its_step_checkpoint_with_the_same_losses()
    {
        Assert.True(fixture.BuildResult.Succeeded, fixture.BuildResult.ToString());
        var whole = Path.Combine(fixture.Root, "checkpoints-whole");
        var stopped = Path.Combine(fixture.Root, "checkpoints-stopped");

        // Uninterrupted: 30 steps of the 78 of an epoch, a checkpoint every 10 steps, the two newest kept.
        var uninterrupted = fixture.Train("--epochs", "2", "--max-steps", "30", "--log-every", "1", "--checkpoint-every", "10", "--keep-checkpoints", "2", "--checkpoint-dir", whole);
        Assert.True(uninterrupted.Succeeded, uninterrupted.ToString());
        Assert.Equal(["step-00000020.ckpt", "step-00000030.ckpt"], Directory.GetFiles(whole, "step-*.ckpt").Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.True(File.Exists(Path.Combine(whole, "best.ckpt")), "no best.ckpt after the evaluation at the stop");

        // A kill after step 20 leaves the step-20 checkpoint as last.ckpt (written atomically): that is the state here.
        Directory.CreateDirectory(stopped);
        File.Copy(Path.Combine(whole, "step-00000020.ckpt"), Path.Combine(stopped, "last.ckpt"));

        // Honest resume: a --seed that contradicts the checkpoint is refused, naming the option (exit code 64).
        var conflicting = fixture.Train("--resume", "--seed", "7", "--max-steps", "30", "--checkpoint-dir", stopped);
        Assert.Equal(64, conflicting.ExitCode);
        Assert.Contains("error TENV0662: --seed 7 contradicts the checkpoint", conflicting.StandardError);
        Assert.Contains("trained with --seed 42", conflicting.StandardError);
        Assert.DoesNotContain("   at ", conflicting.Output);

        // Without the options that shape the run, the resumed run takes them from the checkpoint and says so.
        var resumed = fixture.Train("--resume", "--max-steps", "30", "--log-every", "1", "--checkpoint-dir", stopped);
        Assert.True(resumed.Succeeded, resumed.ToString());
        Assert.Contains("resume: continuing with the checkpoint's --epochs 2", resumed.StandardOutput);
        Assert.Contains("at epoch 1, step 20", resumed.StandardOutput);

        var expected = StepLosses(uninterrupted.StandardOutput).Where(s => s.Key > 20).ToList();
        var actual = StepLosses(resumed.StandardOutput);
        Assert.Equal(Enumerable.Range(21, 10).Select(i => (long)i), actual.Select(s => s.Key));
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("jpeg-folder", SKEncodedImageFormat.Jpeg, 48, false)]
    [InlineData("grey-28x28-folder", SKEncodedImageFormat.Png, 28, true)]
    public void The_generated_project_trains_on_a_real_image_folder(string name, SKEncodedImageFormat format, int side, bool grey)
    {
        Assert.True(fixture.BuildResult.Succeeded, fixture.BuildResult.ToString());
        var data = Path.Combine(fixture.Root, name);
        WriteImageFolder(data, format, side, grey);

        // Default options: a 28x28 folder trains with the 32-pixel crop (padded, as torchvision's crops pad).
        var run = fixture.Train("--data", data, "--epochs", "1", "--max-steps", "6", "--batch-size", "10", "--log-every", "1", "--checkpoint-dir", Path.Combine(data, "checkpoints"));
        Assert.True(run.Succeeded, run.ToString());
        Assert.Contains("images decoded once into memory", run.StandardOutput);
        Assert.Contains("60 training / 20 test images, 2 classes", run.StandardOutput);
        Assert.Matches(@"step 6: loss \d+\.\d+, test accuracy", run.StandardOutput);
    }

    // Two classes (bright disc, dark square) of 30 training and 10 test images each, with an encoder independent of ours.
    private static void WriteImageFolder(string root, SKEncodedImageFormat format, int side, bool grey)
    {
        var extension = format == SKEncodedImageFormat.Jpeg ? ".JPEG" : ".png";   // ImageNet's own spelling
        foreach (var (split, count) in new[] { ("train", 30), ("test", 10) })
        {
            foreach (var label in new[] { "disc", "square" })
            {
                var folder = Path.Combine(root, split, label);
                Directory.CreateDirectory(folder);
                for (var i = 0; i < count; i++)
                {
                    using var bitmap = new SKBitmap(side, side, grey ? SKColorType.Gray8 : SKColorType.Rgba8888, SKAlphaType.Opaque);
                    using var canvas = new SKCanvas(bitmap);
                    canvas.Clear(new SKColor((byte)(20 + i), 30, 60));
                    using var paint = new SKPaint { Color = label == "disc" ? SKColors.Yellow : SKColors.DarkRed, IsAntialias = true };
                    var offset = i % 5;
                    if (label == "disc")
                    {
                        canvas.DrawCircle(side / 2f + offset, side / 2f, side / 4f, paint);
                    }
                    else
                    {
                        canvas.DrawRect(side / 4f + offset, side / 4f, side / 2f, side / 2f, paint);
                    }

                    File.WriteAllBytes(Path.Combine(folder, $"{i}{extension}"), bitmap.Encode(format, 90).ToArray());
                }
            }
        }
    }

    /// <summary>Step and printed loss of each progress line, in order.</summary>
    private static List<KeyValuePair<long, string>> StepLosses(string output) =>
        StepLoss().Matches(output).Select(m => KeyValuePair.Create(long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m.Groups[2].Value))
            .DistinctBy(s => s.Key).ToList();   // a slow step may print its line twice

    [GeneratedRegex(@"step (\d+)/\d+  loss (\d+\.\d+)")]
    private static partial Regex StepLoss();

    /// <summary>The losses of the progress lines (one per logged loss when the output is redirected), in order.</summary>
    private static List<double> LoggedLosses(string output) =>
        ProgressLoss().Matches(output).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();

    [GeneratedRegex(@"step \d+/\d+  loss (\d+\.\d+)")]
    private static partial Regex ProgressLoss();
}
