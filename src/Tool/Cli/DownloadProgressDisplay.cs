using Spectre.Console;
using TorchEnv.Core.Resolution;

namespace TorchEnv.Tool.Cli;

/// <summary>
/// Shows package downloads while a lock runs, on standard error: a Spectre progress bar per large package when standard
/// error is a terminal, plain lines otherwise (CI logs, redirected output), never anything on standard output.
/// </summary>
internal static class DownloadProgressDisplay
{
    /// <summary>Packages at least this large get a bar or a "downloading" line; smaller ones only a line when done.</summary>
    internal const long LargeBytes = 5L * 1024 * 1024;

    /// <summary>Runs <paramref name="work"/> with a progress sink suited to the host.</summary>
    public static async Task<T> RunAsync<T>(CommandContext context, Func<IProgress<PackageDownloadProgress>, Task<T>> work)
    {
        if (!context.Host.ErrorIsTerminal)
        {
            return await work(new PlainLines(context)).ConfigureAwait(false);
        }

        return await context.ErrorConsole.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn())
            .StartAsync(progress => work(new Bars(progress)))
            .ConfigureAwait(false);
    }

    /// <summary>"12.3 MB" for log lines.</summary>
    internal static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.0} GB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.0} MB",
        >= 1L << 10 => $"{bytes / (double)(1L << 10):0.0} kB",
        _ => $"{bytes} B",
    };

    /// <summary>One line when a large download starts, one when any package is installed.</summary>
    internal sealed class PlainLines(CommandContext context) : IProgress<PackageDownloadProgress>
    {
        private readonly Lock gate = new();

        public void Report(PackageDownloadProgress value)
        {
            var line = value.Stage switch
            {
                PackageDownloadStage.Started when value.TotalBytes is >= LargeBytes =>
                    $"Downloading {value.Id} {value.Version} ({Size(value.TotalBytes.Value)})...",
                PackageDownloadStage.Completed when value.IsTemporary => $"Read {value.Id} {value.Version} ({Size(value.BytesDownloaded)}; another platform's, not kept)",
                PackageDownloadStage.Completed => $"Installed {value.Id} {value.Version} ({Size(value.BytesDownloaded)})",
                _ => null,
            };
            if (line is not null)
            {
                lock (gate)
                {
                    context.Log(line);
                }
            }
        }
    }

    /// <summary>A bar per large package (size unknown counts as large), updated from the download threads.</summary>
    private sealed class Bars(ProgressContext progress) : IProgress<PackageDownloadProgress>
    {
        private readonly Lock gate = new();
        private readonly Dictionary<string, ProgressTask> tasks = new(StringComparer.OrdinalIgnoreCase);

        public void Report(PackageDownloadProgress value)
        {
            lock (gate)
            {
                var key = value.Id + "/" + value.Version;
                if (!tasks.TryGetValue(key, out var task))
                {
                    if (value.Stage == PackageDownloadStage.Completed || value.TotalBytes is < LargeBytes)
                    {
                        return;
                    }

                    task = progress.AddTask(Markup.Escape($"{value.Id} {value.Version}"), maxValue: value.TotalBytes ?? 1);
                    tasks[key] = task;
                }

                if (value.TotalBytes is { } total)
                {
                    task.MaxValue = total;
                }

                task.Value = value.BytesDownloaded;
                if (value.Stage == PackageDownloadStage.Extracting)
                {
                    task.Description = Markup.Escape($"{value.Id} {value.Version} ({(value.IsTemporary ? "reading" : "extracting")})");
                }
                else if (value.Stage == PackageDownloadStage.Completed)
                {
                    task.Value = task.MaxValue;
                    task.StopTask();
                }
            }
        }
    }
}
