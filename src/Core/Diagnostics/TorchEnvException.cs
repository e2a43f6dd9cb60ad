namespace TorchEnv.Core.Diagnostics;

/// <summary>
/// Thrown when an operation cannot go on; carries one or more coded <see cref="Diagnostic"/>s.
/// The tool maps it to an exit code, the MSBuild tasks to coded errors with file and line.
/// </summary>
public sealed class TorchEnvException : Exception
{
    /// <summary>Creates the exception from one diagnostic.</summary>
    public TorchEnvException(Diagnostic diagnostic, Exception? inner = null)
        : this([diagnostic], inner)
    {
    }

    /// <summary>Creates the exception from several diagnostics (for example every error found in a spec).</summary>
    public TorchEnvException(IReadOnlyList<Diagnostic> diagnostics, Exception? inner = null)
        : base(string.Join(Environment.NewLine, diagnostics.Select(d => d.ToString())), inner)
    {
        if (diagnostics.Count == 0)
        {
            throw new ArgumentException("At least one diagnostic is required.", nameof(diagnostics));
        }

        Diagnostics = diagnostics;
    }

    /// <summary>The diagnostics, in the order found.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    /// <summary>The first diagnostic.</summary>
    public Diagnostic Diagnostic => Diagnostics[0];
}
