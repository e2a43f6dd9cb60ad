using NuGet.Common;

namespace TorchEnv.Tool.Cli;

/// <summary>NuGet's log (source requests, installs, warnings) as <c>--verbose</c> lines on standard error.</summary>
internal sealed class NuGetLog(CommandContext context) : LoggerBase(LogLevel.Debug)
{
    /// <summary>A logger for the context: this one with <c>--verbose</c>, else NuGet's null logger.</summary>
    public static ILogger For(CommandContext context) => context.Verbose ? new NuGetLog(context) : NullLogger.Instance;

    /// <inheritdoc />
    public override void Log(ILogMessage message)
    {
        lock (this)
        {
            context.Trace($"nuget: {message.Level.ToString().ToLowerInvariant()}: {message.Message}");
        }
    }

    /// <inheritdoc />
    public override Task LogAsync(ILogMessage message)
    {
        Log(message);
        return Task.CompletedTask;
    }
}
