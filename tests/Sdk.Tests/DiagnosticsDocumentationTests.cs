using System.Reflection;
using System.Text.RegularExpressions;
using TorchEnv.Sdk.Tasks.Diagnostics;
using TorchEnv.TestSupport;

namespace TorchEnv.Sdk.Tests;

/// <summary>Every code the SDK reports, at build and at run time, is documented with its cause and fix.</summary>
public sealed partial class DiagnosticsDocumentationTests
{
    private static readonly string Documentation = File.ReadAllText(Path.Combine(RepositoryRoot.Get(), "docs", "diagnostics.md"));

    public static TheoryData<string> BuildCodes()
    {
        var data = new TheoryData<string>();
        foreach (var field in typeof(SdkDiagnostics).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral))
        {
            data.Add((string)field.GetRawConstantValue()!);
        }

        return data;
    }

    public static TheoryData<string> RunTimeCodes() => new(RunTimeCodeList());

    private static List<string> RunTimeCodeList()
    {
        using var stream = typeof(SdkDiagnostics).Assembly.GetManifestResourceStream("TorchEnv.Sdk.Tasks.Generation.TorchEnvironment.cs.template")!;
        var template = new StreamReader(stream).ReadToEnd();
        return CodeInTemplate().Matches(template).Select(m => m.Groups[1].Value).Distinct().ToList();
    }

    [Theory]
    [MemberData(nameof(BuildCodes))]
    [MemberData(nameof(RunTimeCodes))]
    public void CodeHasASectionWithCauseAndFix(string code)
    {
        var section = Regex.Match(Documentation, $@"^## {code}\n(?<body>.*?)(?=^## |\z)", RegexOptions.Multiline | RegexOptions.Singleline);

        Assert.True(section.Success, $"docs/diagnostics.md has no '## {code}' section.");
        Assert.Contains("**Cause:**", section.Groups["body"].Value, StringComparison.Ordinal);
        Assert.Contains("**Fix:**", section.Groups["body"].Value, StringComparison.Ordinal);
    }

    [Fact]
    public void RunTimeCodesStayInTheSdksRange()
    {
        var codes = RunTimeCodeList();

        Assert.NotEmpty(codes);
        Assert.All(codes, code => Assert.InRange(int.Parse(code[4..], System.Globalization.CultureInfo.InvariantCulture), 650, 699));
    }

    [GeneratedRegex("\"(TENV\\d{4})\"")]
    private static partial Regex CodeInTemplate();
}
