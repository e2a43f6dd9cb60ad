using TorchEnv.Core.Spec;

namespace TorchEnv.Core.Stack;

/// <summary>Turns a spec into <see cref="StackPlan"/>s through the stack matrix.</summary>
public static class StackPlanner
{
    /// <summary>
    /// Plans every variant × platform of the spec, in spec order (variants) and platform order as written.
    /// Throws <see cref="Diagnostics.TorchEnvException"/> for impossible combinations (e.g. CUDA on osx-arm64,
    /// <c>cuda=11.8</c> with <c>torchsharp=0.107.*</c>), saying which versions would work.
    /// </summary>
    public static IReadOnlyList<StackPlan> PlanAll(EnvironmentSpec spec) => throw new NotImplementedException("Implemented in issue 2 (spec).");

    /// <summary>Plans one variant × platform.</summary>
    public static StackPlan Plan(EnvironmentSpec spec, VariantSpec variant, string platform) => throw new NotImplementedException("Implemented in issue 2 (spec).");
}
