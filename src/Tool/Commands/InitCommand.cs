using System.CommandLine;
using Spectre.Console;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.IO;
using TorchEnv.Core.Naming;
using TorchEnv.Tool.Cli;
using TorchEnv.Tool.Scaffolding;

namespace TorchEnv.Tool.Commands;

/// <summary><c>torchenv init</c>: writes a commented <c>environment.yml</c> for a new project.</summary>
internal static class InitCommand
{
    private static readonly Option<string> Device = CreateDeviceOption();

    private static readonly Option<string?> Name = new("--name")
    {
        Description = "Environment name [default: <folder>_torchsharp_<device>].",
    };

    private static readonly Option<string[]> Platforms = new("--platform")
    {
        Description = "Platforms (runtime identifiers) to lock for [default: linux-x64, win-x64, osx-arm64; cuda: linux-x64, win-x64].",
        HelpName = "rid",
        AllowMultipleArgumentsPerToken = true,
    };

    private static readonly Option<bool> Force = new("--force")
    {
        Description = "Overwrite an existing spec.",
    };

    /// <summary>Builds the command.</summary>
    public static Command Create(ToolHost host)
    {
        var command = new Command("init", "Write a commented environment.yml for this project.")
        {
            Device,
            Name,
            Platforms,
            Force,
            CommonOptions.File,
        };
        command.SetToolAction(host, (context, _) => Task.FromResult(Run(context)));
        return command;
    }

    private static CommandOutcome Run(CommandContext context)
    {
        var path = context.SpecPath();
        var device = context.Get(Device) == "cuda" ? InitDevice.Cuda : InitDevice.Cpu;
        var folderName = new DirectoryInfo(Path.GetDirectoryName(path)!).Name;
        var name = context.Get(Name) is { Length: > 0 } given ? given : EnvironmentTemplate.DefaultName(folderName, device);

        // init only ever writes names of the <project>_<framework>_<device> convention (lock warns about others).
        if (EnvironmentNaming.Check(name, EnvironmentTemplate.DeviceName(device), folderName) is [var unconventional, ..])
        {
            throw new TorchEnvException(ToolMessages.Usage($"--name: {unconventional.Message} {unconventional.Fix}"));
        }

        var platforms = context.Get(Platforms) is { Length: > 0 } chosen ? chosen : EnvironmentTemplate.PlatformsFor(device);
        var force = context.Get(Force);
        if (!force && File.Exists(path))
        {
            throw new TorchEnvException(ToolMessages.SpecExists(path));
        }

        // Written whole or not at all; the existence check above is what keeps init from overwriting.
        AtomicFile.WriteText(path, EnvironmentTemplate.Render(name, device, platforms));

        var result = new InitResult(path, name, EnvironmentTemplate.DeviceName(device), platforms);
        return new CommandOutcome(ExitCodes.Success, result, console =>
        {
            console.WriteLine($"Wrote {path} (environment '{name}', {result.Device}, {string.Join(", ", result.Platforms)}).");
            console.WriteLine("Next: 'torchenv lock' writes environment.lock.yml; commit both files.");
        });
    }

    private static Option<string> CreateDeviceOption()
    {
        var option = new Option<string>("--device")
        {
            Description = "cpu (runs everywhere) or cuda (NVIDIA GPUs on linux-x64 and win-x64).",
            DefaultValueFactory = _ => "cpu",
        };
        option.AcceptOnlyFromAmong("cpu", "cuda");
        return option;
    }

    /// <summary>The <c>--json</c> result of <c>init</c>.</summary>
    /// <param name="File">The spec written.</param>
    /// <param name="Name">The environment name in it.</param>
    /// <param name="Device">cpu or cuda.</param>
    /// <param name="Platforms">The platforms it locks for.</param>
    internal sealed record InitResult(string File, string Name, string Device, IReadOnlyList<string> Platforms);
}
