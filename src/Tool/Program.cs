using TorchEnv.Tool.Cli;

namespace TorchEnv.Tool;

/// <summary>Entry point of <c>torchenv</c>; everything happens in <see cref="CommandLine"/> and <c>Commands/</c>.</summary>
internal static class Program
{
    private static Task<int> Main(string[] args) => CommandLine.RunAsync(args, ToolHost.FromProcess());
}
