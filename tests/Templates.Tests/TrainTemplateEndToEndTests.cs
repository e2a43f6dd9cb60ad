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

    /// <summary>The losses of the progress lines (one per logged loss when the output is redirected), in order.</summary>
    private static List<double> LoggedLosses(string output) =>
        ProgressLoss().Matches(output).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();

    [GeneratedRegex(@"step \d+/\d+  loss (\d+\.\d+)")]
    private static partial Regex ProgressLoss();
}
