using System.Text.RegularExpressions;
using TorchEnv.TestSupport;

namespace TorchEnv.Core.Tests;

/// <summary>
/// docs/diagnostics.md is the one catalogue of codes: every TENV code the sources under <c>src/</c> emit has exactly one
/// <c>## TENVnnnn</c> section with a fix, and no section documents a code nothing emits.
/// </summary>
public sealed partial class DiagnosticsCatalogTests
{
    private static readonly string Root = RepositoryRoot.Get();

    private static readonly IReadOnlyList<(string Code, string Body)> Sections = ReadSections();

    private static readonly IReadOnlySet<string> Emitted = EmittedCodes();

    [Fact]
    public void The_sources_emit_codes_and_the_catalogue_has_sections()
    {
        // Guards the scans below: an empty scan would make every other test here pass.
        Assert.True(Emitted.Count > 100, $"only {Emitted.Count} codes found under src/");
        Assert.True(Sections.Count > 100, $"only {Sections.Count} sections found in docs/diagnostics.md");
    }

    [Fact]
    public void Every_emitted_code_has_a_section()
    {
        var documented = Sections.Select(s => s.Code).ToHashSet(StringComparer.Ordinal);

        var undocumented = Emitted.Where(code => !documented.Contains(code)).Order(StringComparer.Ordinal).ToList();

        Assert.Empty(undocumented);
    }

    [Fact]
    public void No_code_has_two_sections()
    {
        var twice = Sections.GroupBy(s => s.Code).Where(g => g.Count() > 1).Select(g => g.Key).ToList();

        Assert.Empty(twice);
    }

    [Fact]
    public void No_section_documents_a_code_nothing_emits()
    {
        var unused = Sections.Select(s => s.Code).Where(code => !Emitted.Contains(code)).ToList();

        Assert.Empty(unused);
    }

    [Fact]
    public void Every_section_says_its_cause_and_how_to_fix_it()
    {
        var withoutCause = Sections.Where(s => !s.Body.Contains("**Cause:**", StringComparison.Ordinal)).Select(s => s.Code).ToList();
        var withoutFix = Sections.Where(s => !s.Body.Contains("**Fix:**", StringComparison.Ordinal)).Select(s => s.Code).ToList();

        Assert.Empty(withoutCause);
        Assert.Empty(withoutFix);
    }

    private static List<(string Code, string Body)> ReadSections()
    {
        var text = File.ReadAllText(Path.Combine(Root, "docs", "diagnostics.md")).ReplaceLineEndings("\n");
        return Section().Matches(text).Select(m => (m.Groups["code"].Value, m.Groups["body"].Value)).ToList();
    }

    /// <summary>
    /// Codes in the C# sources and the generated-source template, outside comment lines (comments name ranges such as
    /// "TENV0001–TENV0099" and retired codes, which are not emitted). Build output folders are skipped.
    /// </summary>
    private static HashSet<string> EmittedCodes()
    {
        var codes = new HashSet<string>(StringComparer.Ordinal);
        var files = Directory.EnumerateFiles(Path.Combine(Root, "src"), "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".template", StringComparison.Ordinal))
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"));
        foreach (var file in files)
        {
            foreach (var line in File.ReadLines(file).Where(l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal)))
            {
                codes.UnionWith(Code().Matches(line).Select(m => m.Value));
            }
        }

        return codes;
    }

    [GeneratedRegex(@"^## (?<code>TENV\d{4})[ \t]*\n(?<body>.*?)(?=^## |\z)", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Section();

    [GeneratedRegex(@"\bTENV\d{4}\b")]
    private static partial Regex Code();
}
