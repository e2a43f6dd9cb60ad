using TorchEnv.Core.Resolution;
using TorchEnv.Tool.Cli;
using TorchEnv.Tool.Commands;

namespace TorchEnv.Tool.Tests;

/// <summary>Download progress when standard error is not a terminal: plain lines, on standard error only.</summary>
public sealed class DownloadProgressTests
{
    [Fact]
    public void Large_downloads_get_a_start_line_and_every_install_an_end_line_on_stderr()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var host = new ToolHost { Out = output, Error = error, WorkingDirectory = Path.GetTempPath(), GetEnvironmentVariable = _ => null };
        var context = new CommandContext(host, TorchEnvCommand.Create(host).Parse("lock"));
        IProgress<PackageDownloadProgress> lines = new DownloadProgressDisplay.PlainLines(context);
        const long big = 122L * 1024 * 1024;

        lines.Report(new PackageDownloadProgress("libtorch-cpu-linux-x64", "2.10.0", PackageDownloadStage.Started, 0, big));
        lines.Report(new PackageDownloadProgress("libtorch-cpu-linux-x64", "2.10.0", PackageDownloadStage.Downloading, big / 2, big));
        lines.Report(new PackageDownloadProgress("Google.Protobuf", "3.21.9", PackageDownloadStage.Started, 0, 1_200_000));
        lines.Report(new PackageDownloadProgress("Google.Protobuf", "3.21.9", PackageDownloadStage.Completed, 1_200_000, 1_200_000));
        lines.Report(new PackageDownloadProgress("libtorch-cpu-linux-x64", "2.10.0", PackageDownloadStage.Extracting, big, big));
        lines.Report(new PackageDownloadProgress("libtorch-cpu-linux-x64", "2.10.0", PackageDownloadStage.Completed, big, big));

        Assert.Equal("", output.ToString());
        Assert.Equal(
            [
                "Downloading libtorch-cpu-linux-x64 2.10.0 (122.0 MB)...",
                "Installed Google.Protobuf 3.21.9 (1.1 MB)",
                "Installed libtorch-cpu-linux-x64 2.10.0 (122.0 MB)",
            ],
            error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }
}
