using System.CommandLine;
using TorchEnv.Core.Doctor;
using TorchEnv.Core.Resolution;
using TorchEnv.Tool.Cli;

namespace TorchEnv.Tool.Commands;

/// <summary>
/// <c>torchenv __native-probe STAGE DEVICE</c> (hidden): the child process of <c>doctor</c>'s native-load check. It loads
/// the natives laid out in STAGE and prints one JSON line (Core's <see cref="NativeLoadProbe.RunChild"/>); if native code
/// crashes, only this process goes.
/// </summary>
internal static class NativeProbeCommand
{
    /// <summary>The hidden command's name.</summary>
    public const string Name = "__native-probe";

    private static readonly Argument<string> Stage = new("stage") { Description = "Folder holding the natives to load." };

    private static readonly Argument<string> Device = new("device") { Description = "cpu or cuda." };

    /// <summary>The folder beside the tool's assembly where its package carries the libstdc++ compatibility shim.</summary>
    public static string ShippedShimFolder => Path.Combine(AppContext.BaseDirectory, "native", "linux-x64");

    /// <summary>Builds the command.</summary>
    public static Command Create(ToolHost host)
    {
        var command = new Command(Name, "Load natives in this process and report (used by doctor).") { Stage, Device };
        command.Hidden = true;
        command.SetAction(parseResult => NativeLoadProbe.RunChild(host.FullPath(parseResult.GetValue(Stage)!), parseResult.GetValue(Device)!, host.Out));
        return command;
    }

    /// <summary>
    /// How to start this tool again as the probe: <c>dotnet exec TorchEnv.Tool.dll __native-probe</c> with the dotnet host
    /// running now (or the one of the running runtime's installation when started through the tool's apphost).
    /// </summary>
    public static NativeProbeLauncher Launcher()
    {
        var executable = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        var process = Environment.ProcessPath;
        var dotnet = process is not null && Path.GetFileName(process).Equals(executable, StringComparison.OrdinalIgnoreCase)
            ? process
            : Path.Combine(DotnetInstallation.Current().Root, executable);
        return new NativeProbeLauncher(dotnet, ["exec", typeof(NativeProbeCommand).Assembly.Location, Name]);
    }
}
