namespace TorchEnv.Core.Spec;

/// <summary>Reads and validates <c>environment.yml</c>.</summary>
public static class EnvironmentSpecReader
{
    /// <summary>The conventional spec file name.</summary>
    public const string DefaultFileName = "environment.yml";

    /// <summary>
    /// Reads, parses and validates a spec file. Throws <see cref="Diagnostics.TorchEnvException"/> carrying every
    /// error found (code, file, line, column, fix).
    /// </summary>
    public static EnvironmentSpec Read(string path) => throw new NotImplementedException("Implemented in issue 2 (spec).");

    /// <summary>Parses spec text; <paramref name="path"/> is used for locations and relative channel folders.</summary>
    public static EnvironmentSpec Parse(string text, string path) => throw new NotImplementedException("Implemented in issue 2 (spec).");
}
