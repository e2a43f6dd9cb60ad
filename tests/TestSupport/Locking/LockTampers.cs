namespace TorchEnv.TestSupport.Locking;

/// <summary>One hand edit of a valid lock and what the offline check must say about it.</summary>
/// <param name="Name">What was edited.</param>
/// <param name="Edit">The edit, applied to the lock's text.</param>
/// <param name="Code">A code that must be among the errors; null when the edit cannot be decided offline (both sides accept it).</param>
public sealed record LockTamper(string Name, Func<string, string> Edit, string? Code)
{
    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>
/// The tamper list: every single-field edit of a lock (a version, a hash, a spec hash, a dependency id or range, a
/// source, the framework, a pruned version, a root, the stack, the name), then edits of the closure (a package removed, a
/// dependency added, a pruned entry dropped). Edits happen in the first environment (osx-arm64) unless the anchor says
/// otherwise. Written for the lock of <see cref="CpuStandInFeed"/>'s stack (cpu on osx-arm64 and win-x64, with
/// torchvision and Extra.Lib), which both <c>LockFeedFixture</c> (Core) and <see cref="LockWorkflowWorld"/> lock.
/// </summary>
public static class LockTampers
{
    /// <summary>
    /// Single-field edits: (name, anchors the edit happens after — '|' separates anchors found one after the other —,
    /// text to replace, replacement or <c>&lt;flip&gt;</c> to change the first character of the value after it, a code
    /// that must be among the errors of a full check, which locks again; a code of the offline check when the edit is
    /// found offline).
    /// </summary>
    public static readonly IReadOnlyList<(string Name, string Anchors, string Find, string Replace, string FullCheckCode, string? OfflineCode)> SingleField =
    [
        ("transitive version below a range", "    packages:\n|      - id: Google.Protobuf\n", "version: 3.25.1", "version: 3.21.9", "TENV0235", "TENV0235"),
        ("root version outside its range", "    packages:\n|      - id: TorchSharp\n        version", "0.107.0", "0.106.0", "TENV0234", "TENV0234"),
        ("version that no source has", "    packages:\n|      - id: Extra.Lib\n        version", "1.0.0", "1.0.1", "TENV0204", null),
        ("sha512", "    packages:\n|      - id: TorchSharp\n", "sha512: \"", "<flip>", "TENV0238", "TENV0238"),
        ("spec hash", "platform: osx-arm64\n", "spec-hash: sha256:", "<flip>", "TENV0231", "TENV0231"),
        ("dependency id", "    packages:\n|      - id: TorchSharp\n", "System.Memory: \"[4.5.5, )\"", "System.Memorx: \"[4.5.5, )\"", "TENV0237", "TENV0237"),
        ("dependency range", "    packages:\n|      - id: TorchSharp\n", "Google.Protobuf: \"[3.21.9, )\"", "Google.Protobuf: \"[3.21.8, )\"", "TENV0237", "TENV0237"),
        ("dependency removed", "    packages:\n|      - id: TorchSharp\n", "          System.Memory: \"[4.5.5, )\"\n", "", "TENV0237", "TENV0237"),
        ("source", "    packages:\n|      - id: TorchSharp\n", "source: \"../feed\"", "source: \"../feed2\"", "TENV0241", "TENV0241"),
        ("framework", "platform: osx-arm64\n", "framework: net10.0", "framework: net9.0", "TENV0243", "TENV0243"),
        ("pruned version", "platform: osx-arm64\n", "System.Memory: 5.0.0", "System.Memory: 4.0.0", "TENV0236", "TENV0236"),
        ("root range", "      - id: TorchVision\n", "range: \"[0.107.0, 0.107.0]\"", "range: \"[0.107.0, )\"", "TENV0244", "TENV0244"),
        ("root reason", "      - id: TorchVision\n", "reason: \"torchvision", "reason: \"tv", "TENV0240", null),
        ("stack torchvision", "platform: osx-arm64\n", "torchvision: 0.107.0", "torchvision: 0.106.0", "TENV0246", "TENV0246"),
        ("stack device", "platform: osx-arm64\n", "device: cpu", "device: cuda", "TENV0249", "TENV0249"),
        ("stack dotnet-sdk outside the spec's range", "platform: osx-arm64\n", "dotnet-sdk: 10.0.401", "dotnet-sdk: 10.1.100", "TENV0249", "TENV0249"),
        ("name", "", "name: demo_torchsharp_cpu", "name: demo_torchsharp_gpu", "TENV0247", "TENV0247"),
        ("second environment sha512", "platform: win-x64\n|    packages:\n", "sha512: \"", "<flip>", "TENV0238", "TENV0238"),
    ];

    /// <summary>Every edit with the code the offline check (<c>lock --check</c>, the build's locked mode) must report.</summary>
    public static IReadOnlyList<LockTamper> Offline { get; } =
    [
        .. SingleField.Select(t => new LockTamper(t.Name, text => Tamper(text, t.Anchors, t.Find, t.Replace), t.OfflineCode)),
        new LockTamper("closure: a package removed", text => RemovePackage(text, "Google.Protobuf"), "TENV0236"),
        new LockTamper("closure: a dependency added", text => Tamper(text, "    packages:\n|      - id: Extra.Lib\n|        dependencies:\n", "", "          Extra.Tool: \"[1.0.0, )\"\n"), "TENV0236"),
        new LockTamper("closure: a pruned entry dropped", DropPruned, "TENV0236"),
    ];

    /// <summary>Applies one anchored edit (see <see cref="SingleField"/>).</summary>
    /// <exception cref="InvalidOperationException">An anchor or the text to replace is not there (the lock's shape changed).</exception>
    public static string Tamper(string text, string anchors, string find, string replace)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(anchors);
        ArgumentNullException.ThrowIfNull(find);
        var start = 0;
        foreach (var anchor in anchors.Split('|', StringSplitOptions.RemoveEmptyEntries))
        {
            start = text.IndexOf(anchor, start, StringComparison.Ordinal);
            if (start < 0)
            {
                throw new InvalidOperationException($"anchor '{anchor}' not found");
            }

            start += anchor.Length;
        }

        var index = text.IndexOf(find, start, StringComparison.Ordinal);
        if (index < 0)
        {
            throw new InvalidOperationException($"'{find}' not found after '{anchors}'");
        }

        if (replace != "<flip>")
        {
            return text[..index] + replace + text[(index + find.Length)..];
        }

        // Change one character of the value so it stays well-formed (hex stays hex, base64 stays base64) but differs.
        var at = index + find.Length;
        var flipped = text[at] == '0' ? '1' : '0';
        return text[..at] + flipped + text[(at + 1)..];
    }

    /// <summary>Removes the first environment's entry of a package (from its <c>- id:</c> line to the next entry).</summary>
    private static string RemovePackage(string text, string id)
    {
        var start = text.IndexOf("      - id: " + id + "\n", text.IndexOf("    packages:\n", StringComparison.Ordinal), StringComparison.Ordinal);
        if (start < 0)
        {
            throw new InvalidOperationException($"package {id} not found");
        }

        var end = text.IndexOf("\n      - id: ", start + 1, StringComparison.Ordinal);
        var environmentEnd = text.IndexOf("\n  - variant: ", start, StringComparison.Ordinal);
        end = end < 0 || (environmentEnd >= 0 && environmentEnd < end) ? (environmentEnd < 0 ? text.Length - 1 : environmentEnd) : end;
        return text[..start] + text[(end + 1)..];
    }

    /// <summary>Drops the first environment's pruned System.Memory (leaving <c>{}</c> when it was the only one).</summary>
    private static string DropPruned(string text)
    {
        const string Only = "    pruned:\n      System.Memory: 5.0.0\n    packages:";
        return text.Contains(Only, StringComparison.Ordinal)
            ? ReplaceFirst(text, Only, "    pruned: {}\n    packages:")
            : ReplaceFirst(text, "      System.Memory: 5.0.0\n", "");
    }

    private static string ReplaceFirst(string text, string find, string replacement)
    {
        var at = text.IndexOf(find, StringComparison.Ordinal);
        return at < 0 ? throw new InvalidOperationException($"'{find}' not found") : text[..at] + replacement + text[(at + find.Length)..];
    }
}
