using TorchEnv.Core.Diagnostics;

namespace TorchEnv.Core.Naming;

/// <summary>The diagnostics of the naming convention (TENV0580–TENV0589), each documented in <c>docs/diagnostics.md</c>.</summary>
public static class NamingMessages
{
    /// <summary>TENV0580 (warning): the name is not <c>&lt;project&gt;_&lt;framework&gt;_&lt;device&gt;</c>.</summary>
    public static readonly DiagnosticDescriptor UnconventionalNameDescriptor = new(
        "TENV0580", DiagnosticSeverity.Warning, ExitClass.BadInput,
        "The environment name '{0}' does not follow <project>_<framework>_<device>: {1}.",
        "Rename it, e.g. 'name: {2}' (lower case; device cpu, gpu, cuda or multi). The name is not part of the spec hash, so renaming does not make the lock stale.");

    /// <summary>TENV0581 (warning): the device part of the name contradicts the spec's variants.</summary>
    public static readonly DiagnosticDescriptor DeviceMismatchDescriptor = new(
        "TENV0581", DiagnosticSeverity.Warning, ExitClass.BadInput,
        "The environment name '{0}' says '{1}', but the spec's variants are {2}.",
        "Use the device part '{3}', e.g. 'name: {4}'.");

    /// <summary>TENV0580.</summary>
    public static Diagnostic UnconventionalName(string name, string why, string suggestion, SourceLocation? at) =>
        UnconventionalNameDescriptor.Create(at, name, why, suggestion);

    /// <summary>TENV0581.</summary>
    public static Diagnostic DeviceMismatch(string name, string device, string expected, string variants, string suggestion, SourceLocation? at) =>
        DeviceMismatchDescriptor.Create(at, name, device, variants, expected, suggestion);
}
