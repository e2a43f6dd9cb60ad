using System.Text.RegularExpressions;

namespace TorchEnv.Core.Tests.Spec;

/// <summary>Every code the spec reader and the stack planner can emit is documented in docs/diagnostics.md.</summary>
public sealed partial class DiagnosticsCatalogTests
{
    [Theory]
    [InlineData("src/Core/Spec/SpecMessages.cs")]
    [InlineData("src/Core/Stack/StackMessages.cs")]
    [InlineData("src/Core/Resolution/ResolutionMessages.cs")]
    [InlineData("src/Core/Lock/LockMessages.cs")]
    public void Every_emitted_code_has_a_heading(string messagesFile)
    {
        var root = RepositoryRoot();
        var documented = Heading().Matches(File.ReadAllText(Path.Combine(root, "docs", "diagnostics.md"))).Select(m => m.Groups[1].Value).ToHashSet();

        var emitted = Code().Matches(File.ReadAllText(Path.Combine(root, messagesFile))).Select(m => m.Groups[1].Value).Distinct().ToList();

        Assert.NotEmpty(emitted);
        Assert.All(emitted, code => Assert.Contains(code, documented));
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Sdk.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("Sdk.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^## (TENV\d{4})\s*$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    // Codes as emitted: quoted string literals ("TENV0001"), not the ranges named in comments.
    [GeneratedRegex("\"(TENV\\d{4})\"")]
    private static partial Regex Code();
}
