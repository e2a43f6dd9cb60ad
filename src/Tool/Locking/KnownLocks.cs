using TorchEnv.Core.Cache;
using TorchEnv.Tool.Cli;

namespace TorchEnv.Tool.Locking;

/// <summary>The per-user registry of known locks as a command sees it (<c>TORCHENV_LOCK_REGISTRY</c> read through the host).</summary>
internal static class KnownLocks
{
    /// <summary>The registry for this run.</summary>
    public static LockRegistry Registry(CommandContext context) => new(LockRegistry.DefaultPath(context.Host.GetEnvironmentVariable));

    /// <summary>
    /// Remembers a lock the command wrote or confirmed, so that <c>torchenv cache prune</c> keeps its packages; a registry
    /// that cannot be written only costs a line on standard error, never the command.
    /// </summary>
    public static void Record(CommandContext context, string lockPath)
    {
        if (Registry(context).TryRecord(lockPath) is { } problem)
        {
            context.Log($"Could not record {lockPath} in the registry of known locks: {problem}");
        }
    }
}
