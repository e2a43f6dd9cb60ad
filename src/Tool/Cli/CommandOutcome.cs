using Spectre.Console;

namespace TorchEnv.Tool.Cli;

/// <summary>
/// What a command returns: its exit code, the result object written as <c>result</c> in the <c>--json</c> document,
/// and how to show that result to people (called only without <c>--json</c>).
/// </summary>
/// <param name="ExitCode">One of <see cref="ExitCodes"/>.</param>
/// <param name="Result">The machine-readable result (serialised with camelCase names), or null.</param>
/// <param name="Render">Writes the human-readable result to standard output, or null for nothing.</param>
internal sealed record CommandOutcome(int ExitCode, object? Result, Action<IAnsiConsole>? Render = null);
