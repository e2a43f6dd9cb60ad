using System.CommandLine;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Packages;
using TorchEnv.Core.Spec;
using TorchEnv.Tool.Cli;
using TorchEnv.Tool.Locking;

namespace TorchEnv.Tool.Commands;

/// <summary>
/// Options shared by several commands, defined once so that they are spelled and described the same everywhere.
/// <see cref="Json"/> and <see cref="Verbose"/> are global (recursive from the root); the others are added by the
/// commands that use them.
/// </summary>
internal static class CommonOptions
{
    /// <summary><c>--json</c>: one JSON document on standard output, nothing else there.</summary>
    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Write one JSON document to standard output (logs and progress go to standard error).",
        Recursive = true,
    };

    /// <summary><c>--verbose</c>: detail lines on standard error.</summary>
    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Print details (sources, timings, stack traces of internal errors) to standard error.",
        Recursive = true,
    };

    /// <summary><c>--no-warn</c>: warning codes not to report.</summary>
    public static readonly Option<string[]> NoWarn = new("--no-warn")
    {
        Description = "Do not report these warning codes (e.g. TENV0239); errors cannot be silenced.",
        HelpName = "TENVnnnn",
        AllowMultipleArgumentsPerToken = true,
        Recursive = true,
    };

    /// <summary><c>--file/-f</c>: the spec.</summary>
    public static readonly Option<string> File = new("--file", "-f")
    {
        Description = "The environment spec.",
        HelpName = "environment.yml",
        DefaultValueFactory = _ => EnvironmentSpecReader.DefaultFileName,
    };

    /// <summary><c>--lock-file</c>: the lock, by default beside the spec.</summary>
    public static readonly Option<string?> LockFile = new("--lock-file")
    {
        Description = "The lock file [default: environment.lock.yml beside the spec].",
        HelpName = "environment.lock.yml",
    };

    /// <summary><c>--locked</c>: fail instead of updating a missing or stale lock.</summary>
    public static readonly Option<bool> Locked = new("--locked")
    {
        Description = "Require the lock to be up to date with the spec; never write it; exit 2 if it is missing or stale [env: "
            + LockModeVariables.Locked + "].",
    };

    /// <summary><c>--frozen</c>: use the lock as it is.</summary>
    public static readonly Option<bool> Frozen = new("--frozen")
    {
        Description = "Use the lock as it is, without checking it against the spec; never write it [env: "
            + LockModeVariables.Frozen + "].",
    };

    /// <summary><c>--variant</c>: one variant of the spec.</summary>
    public static readonly Option<string?> Variant = new("--variant")
    {
        Description = $"Only this variant of the spec (e.g. cpu, cuda; {VariantArgument.AutoHelp}) [default: all].",
        HelpName = "name",
    };

    /// <summary><c>--platform</c>: one runtime identifier.</summary>
    public static readonly Option<string?> Platform = new("--platform")
    {
        Description = "Only this platform (runtime identifier, e.g. linux-x64) [default: all].",
        HelpName = "rid",
    };

    /// <summary>The spec's full path.</summary>
    public static string SpecPath(this CommandContext context) =>
        context.Host.FullPath(context.Get(File) ?? EnvironmentSpecReader.DefaultFileName);

    /// <summary>The lock's full path: <c>--lock-file</c>, or <c>environment.lock.yml</c> beside the spec (where the SDK looks too).</summary>
    public static string LockPath(this CommandContext context) =>
        context.Get(LockFile) is { Length: > 0 } given ? context.Host.FullPath(given) : LockFileWriter.PathFor(context.SpecPath());

    /// <summary>The lock mode from <c>--locked</c>, <c>--frozen</c> and their environment variables.</summary>
    public static LockMode LockMode(this CommandContext context) => LockModeResolver.Resolve(
        context.Get(Locked), context.Get(Frozen), context.Host.GetEnvironmentVariable);

    /// <summary>
    /// The NuGet global packages folder for projects in <paramref name="directory"/>: <c>NUGET_PACKAGES</c> as the host
    /// sees it (relative to the working folder), else NuGet.config's <c>globalPackagesFolder</c>, else <c>~/.nuget/packages</c>.
    /// Every command asks here, so a run never reads the process's <c>NUGET_PACKAGES</c> behind its host's back.
    /// </summary>
    public static string GlobalPackagesFolder(this CommandContext context, string directory) =>
        GlobalPackagesFolderLocator.For(directory, name => context.Host.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? context.Host.FullPath(value)
            : null);
}
