using TorchEnv.TestSupport;
using TorchEnv.Tool.Cli;

namespace TorchEnv.Tool.Tests;

public sealed class CommandLineTests
{
    [Fact]
    public void No_arguments_shows_help_listing_every_command()
    {
        using var folder = new TempDirectory();

        var run = ToolRunner.Run(folder.Path);

        run.AssertExit(ExitCodes.Success);
        Assert.Contains("Usage:", run.Out);
        Assert.Contains("torchenv [command] [options]", run.Out);
        foreach (var command in new[] { "init", "lock", "verify", "why", "diff" })
        {
            Assert.Contains("  " + command, run.Out);
        }
    }

    [Fact]
    public void Unknown_command_is_a_usage_error_on_stderr()
    {
        using var folder = new TempDirectory();

        var run = ToolRunner.Run(folder.Path, "lokc");

        run.AssertExit(ExitCodes.UsageError);
        Assert.Equal("", run.Out);
        Assert.Contains("error TENV0500: Unrecognized command or argument 'lokc'. Did you mean 'lock'?", run.Error);
        Assert.Contains("Fix: Run 'torchenv --help'", run.Error);
    }

    [Fact]
    public void Unknown_option_is_a_usage_error()
    {
        using var folder = new TempDirectory();

        var run = ToolRunner.Run(folder.Path, "lock", "--chek");

        run.AssertExit(ExitCodes.UsageError);
        Assert.Contains("'--chek'. Did you mean '--check'?", run.Error);
    }

    [Fact]
    public void Bad_option_value_is_one_diagnostic_line()
    {
        using var folder = new TempDirectory();

        var run = ToolRunner.Run(folder.Path, "init", "--device", "gpu");

        run.AssertExit(ExitCodes.UsageError);
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("'gpu'", line);
        Assert.Contains("'cpu' 'cuda'", line);
    }

    [Fact]
    public void Version_prints_the_assembly_version()
    {
        using var folder = new TempDirectory();

        var run = ToolRunner.Run(folder.Path, "--version");

        run.AssertExit(ExitCodes.Success);
        Assert.Matches(@"^\d+\.\d+\.\d+", run.Out.Trim());
    }

    [Fact]
    public void Usage_error_with_json_prints_only_the_json_document()
    {
        using var folder = new TempDirectory();

        var run = ToolRunner.Run(folder.Path, "--json", "lokc");

        run.AssertExit(ExitCodes.UsageError);
        using var document = System.Text.Json.JsonDocument.Parse(run.Out);
        Assert.Equal(64, document.RootElement.GetProperty("exitCode").GetInt32());
        Assert.Equal("TENV0500", document.RootElement.GetProperty("diagnostics")[0].GetProperty("code").GetString());
    }

    [Fact]
    public void No_command_with_json_is_a_usage_error_not_help_text()
    {
        using var folder = new TempDirectory();

        var run = ToolRunner.Run(folder.Path, "--json");

        run.AssertExit(ExitCodes.UsageError);
        using var document = System.Text.Json.JsonDocument.Parse(run.Out);
        Assert.Equal("torchenv", document.RootElement.GetProperty("command").GetString());
    }
}
