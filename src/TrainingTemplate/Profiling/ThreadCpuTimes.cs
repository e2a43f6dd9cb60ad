using System.Globalization;

namespace TorchEnv.Training.Profiling;

/// <summary>
/// CPU time per thread of this process, grouped by what the thread does — the evidence for "who competes with the
/// compute threads": libtorch's OpenMP team (the training thread and the workers it started, which inherit its name),
/// TorchEnv's loader workers, and the runtime's own threads (GC, JIT, thread pool). Linux only (read from
/// <c>/proc/self/task/*/stat</c>); empty elsewhere.
/// </summary>
internal static class ThreadCpuTimes
{
    /// <summary>The group of the thread that runs the loop (libtorch's OpenMP master there).</summary>
    public const string TrainingThread = "training thread";

    /// <summary>libtorch's OpenMP workers: started by the first thread that ran a parallel kernel (the program's main thread, in a training program), whose name they carry.</summary>
    public const string Compute = "OpenMP workers";

    /// <summary>TorchEnv's loader workers.</summary>
    public const string Loader = "loader workers";

    // Linux reports thread CPU time in clock ticks of USER_HZ, which is 100 on every architecture .NET runs on.
    private const double TicksPerSecond = 100;

    /// <summary>The operating system's id of the calling thread (Linux; null elsewhere).</summary>
    public static int? CurrentThreadId()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            // /proc/thread-self links to /proc/<pid>/task/<tid>.
            var target = Directory.ResolveLinkTarget("/proc/thread-self", returnFinalTarget: false)?.FullName;
            return int.TryParse(Path.GetFileName(target), NumberStyles.None, CultureInfo.InvariantCulture, out var tid) ? tid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Ticks of CPU time used so far, per group; <paramref name="loopThread"/> is the thread that runs the training loop.</summary>
    public static Dictionary<string, long> ByGroup(int? loopThread)
    {
        var groups = new Dictionary<string, long>(StringComparer.Ordinal);
        if (!OperatingSystem.IsLinux())
        {
            return groups;
        }

        var pid = Environment.ProcessId;
        string? mainName = null;
        try
        {
            mainName = File.ReadAllText($"/proc/self/task/{pid}/comm").Trim();
            foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
            {
                if (!int.TryParse(Path.GetFileName(task), NumberStyles.None, CultureInfo.InvariantCulture, out var tid)
                    || !TryRead(task, out var name, out var ticks))
                {
                    continue;
                }

                var group = GroupOf(tid == (loopThread ?? pid), name, mainName);
                groups[group] = groups.GetValueOrDefault(group) + ticks;
            }
        }
        catch (IOException)
        {
            // A thread ended while being read, or /proc is not mounted: report what was read.
        }

        return groups;
    }

    /// <summary>Cores used per group between two readings of <see cref="ByGroup"/> over <paramref name="wallSeconds"/>.</summary>
    public static Dictionary<string, double> CoresBetween(Dictionary<string, long> before, Dictionary<string, long> after, double wallSeconds) =>
        after.Where(a => a.Value - before.GetValueOrDefault(a.Key) > 0)
            .ToDictionary(a => a.Key, a => wallSeconds <= 0 ? 0 : (a.Value - before.GetValueOrDefault(a.Key)) / TicksPerSecond / wallSeconds, StringComparer.Ordinal);

    internal static string GroupOf(bool isMainThread, string name, string? mainName) => name switch
    {
        _ when isMainThread => TrainingThread,
        _ when name.StartsWith("TorchEnv loader", StringComparison.Ordinal) => Loader,
        _ when name == mainName => Compute,
        _ when name.StartsWith(".NET SigHandler", StringComparison.Ordinal) => "other .NET",
        _ when name.Contains("GC", StringComparison.Ordinal) => "garbage collector",
        _ when name.StartsWith(".NET Tiered", StringComparison.Ordinal) || name.Contains("JIT", StringComparison.Ordinal) => "JIT",
        _ when name.StartsWith(".NET", StringComparison.Ordinal) => "other .NET",
        _ => "other",
    };

    private static bool TryRead(string task, out string name, out long ticks)
    {
        name = "";
        ticks = 0;
        string stat;
        try
        {
            stat = File.ReadAllText(Path.Combine(task, "stat"));
        }
        catch (IOException)
        {
            return false;
        }

        // "tid (comm) state ppid ..." — comm may hold spaces and parentheses, so split at the last ')'.
        var open = stat.IndexOf('(');
        var close = stat.LastIndexOf(')');
        if (open < 0 || close < open)
        {
            return false;
        }

        name = stat[(open + 1)..close];
        var fields = stat[(close + 2)..].Split(' ');
        // After comm: state(0) ppid(1) … utime(11) stime(12).
        if (fields.Length < 13
            || !long.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out var user)
            || !long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out var system))
        {
            return false;
        }

        ticks = user + system;
        return true;
    }
}
