using TorchEnv.Training.Diagnostics;
using TorchEnv.Training.Options;

namespace TorchEnv.Training.Tests;

public sealed class ResumedOptionsTests
{
    [Fact]
    public void Only_the_options_on_the_command_line_count_as_given()
    {
        var cli = new CommandLineArguments(["--seed", "7", "--resume", "--lr=0.1"]);
        cli.Int("--seed", 42, "seed");
        cli.Int("--epochs", 3, "epochs");
        cli.Flag("--resume", "resume");
        cli.Double("--lr", 0.003, "lr");
        cli.Flag("--benchmark", "benchmark");

        Assert.Equal(["--lr", "--resume", "--seed"], cli.Given.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_given_value_that_contradicts_the_checkpoint_is_refused_naming_the_option()
    {
        var resume = new ResumedOptions(new HashSet<string> { "--seed" }, "checkpoints/last.ckpt");

        var error = Assert.Throws<TrainingException>(() => resume.Keep("--seed", 42, 7));

        Assert.Equal("TENV0662", error.Code);
        Assert.Equal(TrainingExitCodes.UsageError, error.ExitCode);
        Assert.Contains("--seed 7 contradicts the checkpoint 'checkpoints/last.ckpt', which was trained with --seed 42", error.Message);
        Assert.Contains("Leave --seed out to continue with the checkpoint's 42", error.Fix);
    }

    [Fact]
    public void Options_not_given_continue_as_stored_and_the_summary_names_them()
    {
        var resume = new ResumedOptions(new HashSet<string> { "--batch-size", "--run-name" }, "last.ckpt");

        Assert.Equal(5, resume.Keep("--epochs", 5, 3));            // not given: the checkpoint's 5, said so
        Assert.Equal(64, resume.Keep("--batch-size", 64, 64));     // given with the stored value: fine
        Assert.Equal(0.5, resume.Keep("--warmup", 0.5, 0.02));
        Assert.Null(resume.Keep<int?>("--resize", null, null));
        Assert.Equal("new", resume.Continue("--run-name", "old", "new"));   // given: the command line's
        Assert.Equal("old", resume.Continue<string?>("--data", "old", null));

        Assert.Equal(["--epochs 5", "--warmup 0.5", "--data old"], resume.Taken);
        Assert.Equal("resume: continuing with the checkpoint's --epochs 5, --warmup 0.5, --data old (not given on the command line)", resume.Summary());
    }

    [Fact]
    public void Nothing_taken_says_the_command_line_agrees()
    {
        var resume = new ResumedOptions(new HashSet<string>(), "last.ckpt");
        resume.Keep("--seed", 42, 42);
        Assert.Empty(resume.Taken);
        Assert.Equal("resume: the command line agrees with the checkpoint's options", resume.Summary());
    }
}
