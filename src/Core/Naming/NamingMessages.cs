using TorchEnv.Core.Diagnostics;

namespace TorchEnv.Core.Naming;

/// <summary>The diagnostics of the naming convention (TENV0580–TENV0589), each documented in <c>docs/diagnostics.md</c>.</summary>
public static class NamingMessages
{
    /// <summary>TENV0580 (warning): the name is not <c>&lt;project&gt;_&lt;framework&gt;_&lt;device&gt;</c>.</summary>
    public const string UnconventionalNameCode = "TENV0580";

    /// <summary>TENV0581 (warning): the device part of the name contradicts the spec's variants.</summary>
    public const string DeviceMismatchCode = "TENV0581";

    /// <summary>TENV0580.</summary>
    public static Diagnostic UnconventionalName(string name, string why, string suggestion, SourceLocation? at) => new(
        UnconventionalNameCode,
        DiagnosticSeverity.Warning,
        $"The environment name '{name}' does not follow <project>_<framework>_<device>: {why}.",
        at,
        $"Rename it, e.g. 'name: {suggestion}' (lower case; device cpu, gpu, cuda or multi). The name is not part of the spec hash, so renaming does not make the lock stale.");

    /// <summary>TENV0581.</summary>
    public static Diagnostic DeviceMismatch(string name, string device, string expected, string variants, string suggestion, SourceLocation? at) => new(
        DeviceMismatchCode,
        DiagnosticSeverity.Warning,
        $"The environment name '{name}' says '{device}', but the spec's variants are {variants}.",
        at,
        $"Use the device part '{expected}', e.g. 'name: {suggestion}'.");
}
