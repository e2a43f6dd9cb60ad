namespace TorchEnv.Core.Spec.Yaml;

/// <summary>
/// Bounds on what a spec file may contain, so that a hostile or broken file (a "billion laughs" alias bomb, a huge
/// generated file) fails fast with a coded error instead of exhausting the machine. Real specs are a few hundred bytes
/// with a nesting depth of five; the limits leave a wide margin. Documented in <c>docs/environment-yml.md</c>.
/// </summary>
internal static class SpecLimits
{
    /// <summary>Largest spec file, checked before parsing.</summary>
    public const int MaxFileBytes = 1024 * 1024;

    /// <summary>Deepest nesting of lists and mappings (the spec's own shape needs five).</summary>
    public const int MaxDepth = 16;

    /// <summary>Most nodes, counting every alias as the full node it stands for (so an alias bomb is measured expanded).</summary>
    public const int MaxNodes = 10_000;

    /// <summary>Most aliases (<c>*name</c>) in a file.</summary>
    public const int MaxAliases = 100;
}
