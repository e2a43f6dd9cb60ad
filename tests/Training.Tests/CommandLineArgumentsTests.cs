using TorchEnv.Training.Amp;
using TorchEnv.Training.Diagnostics;
using TorchEnv.Training.Options;

namespace TorchEnv.Training.Tests;

public sealed class CommandLineArgumentsTests
{
    [Fact]
    public void Values_flags_and_defaults_are_read()
    {
        var cli = new CommandLineArguments(["--epochs", "3", "--benchmark", "--amp=bf16", "--lr", "-0.5"]);
        Assert.Equal(3, cli.Int("--epochs", 5, "epochs", min: 1));
        Assert.Equal(64, cli.Int("--batch-size", 64, "batch"));
        Assert.True(cli.Flag("--benchmark", "bench"));
        Assert.False(cli.Flag("--profile", "profile"));
        Assert.Equal(AmpMode.BFloat16, cli.Choice("--amp", AmpMode.Auto, "auto", "amp", AmpModeNames.All, AmpModeNames.TryParse));
        Assert.Equal(-0.5, cli.Double("--lr", 0.1, "lr"));
        Assert.Null(cli.OptionalInt("--workers", "workers"));
        cli.EnsureAllUsed();
    }

    [Fact]
    public void An_unknown_option_is_named_with_the_known_ones()
    {
        var cli = new CommandLineArguments(["--epochs", "2", "--epoch", "3"]);
        cli.Int("--epochs", 5, "epochs");
        var error = Assert.Throws<TrainingException>(cli.EnsureAllUsed);
        Assert.Equal("TENV0660", error.Code);
        Assert.Contains("'--epoch'", error.Message);
        Assert.Contains("--epochs", error.Fix);
    }

    [Theory]
    [InlineData("--epochs", "zero", "a whole number >= 1")]
    [InlineData("--epochs", "0", "a whole number >= 1")]
    public void A_bad_value_says_what_is_expected(string option, string value, string expected)
    {
        var cli = new CommandLineArguments([option, value]);
        var error = Assert.Throws<TrainingException>(() => cli.Int(option, 5, "epochs", min: 1));
        Assert.Equal("TENV0661", error.Code);
        Assert.Contains(expected, error.Fix);
    }

    [Fact]
    public void A_missing_value_and_a_bad_choice_are_errors()
    {
        Assert.Equal("TENV0661", Assert.Throws<TrainingException>(() => new CommandLineArguments(["--data"]).String("--data", null, "data")).Code);
        var choice = Assert.Throws<TrainingException>(() => new CommandLineArguments(["--device", "tpu"]).Choice("--device", "cpu", "device", ["cpu", "cuda"]));
        Assert.Contains("cpu, cuda", choice.Fix);
    }

    [Fact]
    public void Help_lists_every_option_with_its_default()
    {
        var cli = new CommandLineArguments(["--help"]);
        cli.Int("--epochs", 5, "passes over the data");
        cli.Flag("--profile", "write a trace");
        Assert.True(cli.HelpRequested);
        var usage = cli.Usage("train", "Trains.");
        Assert.Contains("--epochs", usage);
        Assert.Contains("(default: 5)", usage);
        Assert.Contains("--profile", usage);
    }
}
