using System.Reflection;
using TorchEnv.Core.Native;
using TorchEnv.TestSupport;

namespace TorchEnv.Core.Tests.Native;

public sealed class NativeDiagnosticsDocumentationTests
{
    [Fact]
    public void Every_native_code_is_in_range_and_documented()
    {
        var codes = typeof(NativeMessages).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name.EndsWith("Code", StringComparison.Ordinal))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();
        var documentation = File.ReadAllText(Path.Combine(RepositoryRoot.Get(), "docs", "diagnostics.md"));

        Assert.Equal(12, codes.Count);
        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.All(codes, code =>
        {
            Assert.InRange(int.Parse(code["TENV".Length..]), 300, 399);
            Assert.Contains($"\n## {code}\n", documentation);
        });
    }
}
