using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Spec;
using TorchEnv.Core.Stack;
using TorchEnv.Core.Tests.Spec;

namespace TorchEnv.Core.Tests.Stack;

/// <summary>Builds one-variant specs from dependency lines and plans them.</summary>
internal static class StackTestSpecs
{
    /// <summary>A spec with the given dependency lines (one per entry) and platforms.</summary>
    public static EnvironmentSpec Spec(string platforms, params string[] dependencies) => SpecTestFiles.Parse(
        $"name: demo\nplatforms: [{platforms}]\ndependencies:\n" + string.Concat(dependencies.Select(d => $"  - {d}\n")));

    public static StackPlan Plan(string platform, params string[] dependencies)
    {
        var spec = Spec(platform, dependencies);
        return StackPlanner.Plan(spec, spec.DefaultVariant, platform);
    }

    public static Diagnostic Fails(string platform, params string[] dependencies)
    {
        var spec = Spec(platform, dependencies);
        return Assert.Throws<TorchEnvException>(() => StackPlanner.Plan(spec, spec.DefaultVariant, platform)).Diagnostic;
    }

    /// <summary>The root packages of a candidate as <c>id range</c> strings.</summary>
    public static string[] Roots(StackCandidate candidate) =>
        candidate.Roots.Select(r => $"{r.Id} {r.Range.ToNormalizedString()}").ToArray();
}
