namespace TorchEnv.Core.Diagnostics;

/// <summary>
/// Collects the diagnostics of one operation so that a user sees every error of a file at once, not one per run.
/// </summary>
internal sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _diagnostics = [];

    /// <summary>Everything collected, in the order found.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics => _diagnostics;

    /// <summary>True when at least one error was collected.</summary>
    public bool HasErrors => _diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);

    /// <summary>Adds a diagnostic unless an equal one is already there (the same fault reached twice, e.g. through an alias).</summary>
    public void Add(Diagnostic diagnostic)
    {
        if (!_diagnostics.Contains(diagnostic))
        {
            _diagnostics.Add(diagnostic);
        }
    }

    /// <summary>Adds every diagnostic of a failed sub-operation.</summary>
    public void AddRange(IEnumerable<Diagnostic> diagnostics)
    {
        foreach (var diagnostic in diagnostics)
        {
            Add(diagnostic);
        }
    }

    /// <summary>Throws a <see cref="TorchEnvException"/> carrying everything collected when there is an error.</summary>
    public void ThrowIfErrors()
    {
        if (HasErrors)
        {
            throw new TorchEnvException(_diagnostics);
        }
    }
}
