using System.Text.RegularExpressions;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Sdk.Tasks.Diagnostics;
using TorchEnv.TestSupport;
using TorchEnv.Tool.Cli;

namespace TorchEnv.Core.Tests;

/// <summary>
/// docs/diagnostics.md is the one catalogue of codes: every code TorchEnv reports has exactly one <c>## TENVnnnn</c>
/// section with a cause and a fix, and no section documents a code nothing reports. The codes are the descriptors that
/// Core, the SDK's tasks and the tool declare, plus two places that cannot reference Core and keep their codes in text:
/// TorchEnv.Training (it depends on TorchSharp only; its codes are read from its sources) and the generated
/// <c>TorchEnvironment</c> source (its template).
/// </summary>
public sealed partial class DiagnosticsCatalogTests
{
    private static readonly string Root = RepositoryRoot.Get();

    private static readonly IReadOnlyList<(string Code, string Body)> Sections = ReadSections();

    /// <summary>Every descriptor of Core, Tasks and Tool.</summary>
    internal static readonly IReadOnlyList<DiagnosticDescriptor> Descriptors =
    [
        .. DiagnosticDescriptor.DeclaredIn(typeof(Diagnostic).Assembly),
        .. DiagnosticDescriptor.DeclaredIn(typeof(SdkDiagnostics).Assembly),
        .. DiagnosticDescriptor.DeclaredIn(typeof(ToolMessages).Assembly),
    ];

    /// <summary>The codes TorchEnv.Training reports: every code its sources name outside comments.</summary>
    internal static readonly IReadOnlySet<string> TrainingCodes = CodesInText(TrainingSources()).ToHashSet(StringComparer.Ordinal);

    /// <summary>The codes the generated source reports: its string literals (its texts also name the build's codes).</summary>
    internal static readonly IReadOnlySet<string> GeneratedSourceCodes =
        SourceFiles(Path.Combine(Root, "src", "Tasks"), "*.template")
            .SelectMany(f => CodeLiteral().Matches(File.ReadAllText(f)).Select(m => m.Groups["code"].Value))
            .ToHashSet(StringComparer.Ordinal);

    private static readonly IReadOnlySet<string> Reported =
        Descriptors.Select(d => d.Code).Concat(TrainingCodes).Concat(GeneratedSourceCodes).ToHashSet(StringComparer.Ordinal);

    [Fact]
    public void The_descriptors_the_training_library_and_the_catalogue_are_found()
    {
        // Guards the reads below: an empty read would make every other test here pass.
        Assert.True(Descriptors.Count > 150, $"only {Descriptors.Count} descriptors found");
        Assert.True(TrainingCodes.Count > 20, $"only {TrainingCodes.Count} codes found in src/TrainingTemplate");
        Assert.True(GeneratedSourceCodes.Count > 3, $"only {GeneratedSourceCodes.Count} codes found in the generated source's template");
        Assert.True(Sections.Count > 150, $"only {Sections.Count} sections found in docs/diagnostics.md");
    }

    [Fact]
    public void Every_reported_code_has_a_section()
    {
        var documented = Sections.Select(s => s.Code).ToHashSet(StringComparer.Ordinal);

        var undocumented = Reported.Where(code => !documented.Contains(code)).Order(StringComparer.Ordinal).ToList();

        Assert.Empty(undocumented);
    }

    [Fact]
    public void No_code_has_two_sections()
    {
        var twice = Sections.GroupBy(s => s.Code).Where(g => g.Count() > 1).Select(g => g.Key).ToList();

        Assert.Empty(twice);
    }

    [Fact]
    public void No_section_documents_a_code_nothing_reports()
    {
        var unused = Sections.Select(s => s.Code).Where(code => !Reported.Contains(code)).ToList();

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

    [Fact]
    public void Every_code_is_declared_once_and_owned_by_one_assembly()
    {
        var twice = Descriptors.GroupBy(d => d.Code).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        var sharedWithText = Descriptors.Select(d => d.Code).Where(c => TrainingCodes.Contains(c) || GeneratedSourceCodes.Contains(c)).ToList();
        var trainingAndGenerated = TrainingCodes.Intersect(GeneratedSourceCodes).ToList();

        Assert.Empty(twice);
        Assert.Empty(sharedWithText);
        Assert.Empty(trainingAndGenerated);
    }

    [Fact]
    public void Every_code_of_the_training_library_is_made_in_one_place()
    {
        // TorchEnv.Training has no descriptors (it cannot reference Core): each code is named once, in its factory of
        // TrainingMessages, so a code given to two different messages shows here.
        var twice = CodesInText(TrainingSources()).GroupBy(c => c, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();

        Assert.Empty(twice);
    }

    [Fact]
    public void Every_descriptors_message_and_fix_format_is_valid()
    {
        object?[] arguments = [.. Enumerable.Range(0, 12).Select(i => (object?)$"arg{i}")];

        var invalid = Descriptors.Where(d => !Formats(d, arguments)).Select(d => d.Code).ToList();

        Assert.Empty(invalid);
    }

    [Fact]
    public void Core_tasks_and_tool_name_no_code_outside_a_descriptor()
    {
        // A code must come from its descriptor (which holds its exit class and is in the catalogue): a literal code
        // elsewhere in these sources, e.g. compared against Diagnostic.Code, is a code the catalogue may not know.
        var declared = Descriptors.Select(d => d.Code).ToHashSet(StringComparer.Ordinal);
        var strays = new List<string>();
        foreach (var project in new[] { "Core", "Tasks", "Tool" })
        {
            foreach (var file in SourceFiles(Path.Combine(Root, "src", project), "*.cs"))
            {
                var lines = File.ReadAllLines(file);
                for (var i = 0; i < lines.Length; i++)
                {
                    foreach (Match literal in CodeLiteral().Matches(lines[i]))
                    {
                        // A declaration: new("TENVnnnn", DiagnosticSeverity.…, ExitClass.…, …).
                        var isDeclaration = lines[i].Contains("DiagnosticSeverity.", StringComparison.Ordinal);
                        if (!isDeclaration || !declared.Contains(literal.Groups["code"].Value))
                        {
                            strays.Add($"{Path.GetRelativePath(Root, file)}:{i + 1}: {literal.Value}");
                        }
                    }
                }
            }
        }

        Assert.Empty(strays);
    }

    private static bool Formats(DiagnosticDescriptor descriptor, object?[] arguments)
    {
        try
        {
            descriptor.Create(null, arguments);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static List<(string Code, string Body)> ReadSections()
    {
        var text = File.ReadAllText(Path.Combine(Root, "docs", "diagnostics.md")).ReplaceLineEndings("\n");
        return Section().Matches(text).Select(m => (m.Groups["code"].Value, m.Groups["body"].Value)).ToList();
    }

    /// <summary>
    /// Codes in the given files outside comment lines (comments name ranges such as "TENV0601–TENV0619" and retired
    /// codes, which are not reported).
    /// </summary>
    private static List<string> CodesInText(IEnumerable<string> files) =>
        files.SelectMany(File.ReadLines)
            .Where(l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal))
            .SelectMany(l => Code().Matches(l).Select(m => m.Value))
            .ToList();

    private static IEnumerable<string> TrainingSources() => SourceFiles(Path.Combine(Root, "src", "TrainingTemplate"), "*.cs");

    private static IEnumerable<string> SourceFiles(string folder, string pattern) =>
        Directory.EnumerateFiles(folder, pattern, SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"));

    [GeneratedRegex(@"^## (?<code>TENV\d{4})[ \t]*\n(?<body>.*?)(?=^## |\z)", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Section();

    [GeneratedRegex(@"\bTENV\d{4}\b")]
    private static partial Regex Code();

    [GeneratedRegex("\"(?<code>TENV\\d{4})\"")]
    private static partial Regex CodeLiteral();
}
