using System.Text;

namespace TorchEnv.Core.Native;

/// <summary>One byte range of the output that differs from the input (or was appended), and why.</summary>
/// <param name="Offset">File offset in the output.</param>
/// <param name="Length">Number of bytes.</param>
/// <param name="Description">What the bytes are, e.g. <c>vna_flags of GLIBCXX_3.4.32 (VER_FLG_WEAK)</c>.</param>
public sealed record CompatPatchChange(long Offset, long Length, string Description);

/// <summary>What <see cref="LibStdCxxCompatPatcher.Patch"/> did.</summary>
public sealed record CompatPatchResult
{
    /// <summary>The file read (never modified).</summary>
    public required string InputPath { get; init; }

    /// <summary>The file written.</summary>
    public required string OutputPath { get; init; }

    /// <summary>True when the input was already patched by TorchEnv: it was copied unchanged.</summary>
    public required bool AlreadyPatched { get; init; }

    /// <summary>The version need marked weak, e.g. <c>GLIBCXX_3.4.32</c>.</summary>
    public required string WeakenedVersion { get; init; }

    /// <summary>The library the weakened version belongs to (<c>libstdc++.so.6</c>).</summary>
    public required string Library { get; init; }

    /// <summary>Symbols whose version binding was cleared (<c>_ZSt21ios_base_library_initv</c>).</summary>
    public required IReadOnlyList<string> UnversionedSymbols { get; init; }

    /// <summary>The <c>DT_NEEDED</c> added: the shim's file name.</summary>
    public required string AddedNeeded { get; init; }

    /// <summary>Every changed or appended byte range of the output (empty when <see cref="AlreadyPatched"/>); everything else is byte-identical to the input.</summary>
    public required IReadOnlyList<CompatPatchChange> Changes { get; init; }

    /// <summary>Size of the input in bytes.</summary>
    public required long InputLength { get; init; }

    /// <summary>Size of the output in bytes.</summary>
    public required long OutputLength { get; init; }

    /// <summary>Side effects worth knowing, e.g. which program header was reused.</summary>
    public required IReadOnlyList<string> Notes { get; init; }

    /// <summary>A readable account of the patch, one line per change.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        if (AlreadyPatched)
        {
            text.AppendLine($"{InputPath} was already patched (weak {WeakenedVersion}, NEEDED {AddedNeeded}); copied unchanged to {OutputPath}.");
            return text.ToString();
        }

        text.AppendLine($"Patched {InputPath} -> {OutputPath}: {WeakenedVersion} of {Library} marked weak, {string.Join(", ", UnversionedSymbols)} unversioned, NEEDED {AddedNeeded} added ({InputLength} -> {OutputLength} bytes).");
        foreach (var change in Changes)
        {
            text.AppendLine($"  0x{change.Offset:x8} +{change.Length,-6} {change.Description}");
        }

        foreach (var note in Notes)
        {
            text.AppendLine($"  note: {note}");
        }

        return text.ToString();
    }
}
