using System.CommandLine;
using System.CommandLine.Help;
using TorchEnv.Tool.Cli;

namespace TorchEnv.Tool.Commands;

/// <summary>The root command, <c>torchenv</c>: global options and one registration line per command.</summary>
internal static class TorchEnvCommand
{
    /// <summary>The command users type (the tool's <c>ToolCommandName</c>).</summary>
    public const string CommandName = "torchenv";

    /// <summary>Builds the whole command tree for a run in <paramref name="host"/>.</summary>
    public static Command Create(ToolHost host)
    {
        // A plain command named "torchenv" rather than RootCommand, whose name would be the assembly's (TorchEnv.Tool).
        var root = new Command(
            CommandName,
            "torchenv: reproducible TorchSharp environments. Lock environment.yml into environment.lock.yml, check it in CI, "
            + "and explain what is locked and why.")
        {
            new HelpOption(),
            new VersionOption(),
            CommonOptions.Json,
            CommonOptions.Verbose,
            CommonOptions.NoWarn,

            // One line per command; each command lives in its own file under Commands/.
            InitCommand.Create(host),
            LockCommand.Create(host),
            VerifyCommand.Create(host),
            WhyCommand.Create(host),
            DiffCommand.Create(host),
            ExportCommand.Create(host),
            AdoptCommand.Create(host),
            DoctorCommand.Create(host),
            DockerfileCommand.Create(host),
            CacheCommand.Create(host),
            NativeProbeCommand.Create(host),
        };
        root.SetAction(parseResult => CommandLine.ShowHelpOrFail(parseResult, host));
        return root;
    }
}
