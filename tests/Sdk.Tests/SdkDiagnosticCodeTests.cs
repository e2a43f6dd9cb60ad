using System.Text.RegularExpressions;
using TorchEnv.Sdk.Tasks.Diagnostics;

namespace TorchEnv.Sdk.Tests;

/// <summary>
/// The codes TorchEnvironment.Verify() reports at run time keep to the SDK's range (docs/diagnostics.md itself is
/// checked for every code under src/ by Core.Tests' DiagnosticsCatalogTests).
/// </summary>
public sealed partial class SdkDiagnosticCodeTests
{
    [Fact]
    public void RunTimeCodesStayInTheSdksRange()
    {
        using var stream = typeof(SdkDiagnostics).Assembly.GetManifestResourceStream("TorchEnv.Sdk.Tasks.Generation.TorchEnvironment.cs.template")!;
        var template = new StreamReader(stream).ReadToEnd();
        var codes = CodeInTemplate().Matches(template).Select(m => m.Groups[1].Value).Distinct().ToList();

        Assert.NotEmpty(codes);
        Assert.All(codes, code => Assert.InRange(int.Parse(code[4..], System.Globalization.CultureInfo.InvariantCulture), 650, 699));
    }

    [GeneratedRegex("\"(TENV\\d{4})\"")]
    private static partial Regex CodeInTemplate();
}
