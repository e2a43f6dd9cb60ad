namespace TorchEnv.Core.Diagnostics;

/// <summary>A position in a user file: 1-based line and column, as editors and MSBuild show them.</summary>
/// <param name="File">Path of the file, as given by the caller (usually full).</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
public sealed record SourceLocation(string File, int Line, int Column)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}({Line},{Column})";
}
