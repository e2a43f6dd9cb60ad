using System.Reflection;
using TorchEnv.Core.Native;

namespace TorchEnv.Core.Tests.Native;

/// <summary>The native layer keeps to its code range (docs/diagnostics.md itself is checked by DiagnosticsCatalogTests).</summary>
public sealed class NativeDiagnosticCodeTests
{
    [Fact]
    public void Every_native_code_is_in_range_and_unique()
    {
        var codes = typeof(NativeMessages).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name.EndsWith("Code", StringComparison.Ordinal))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();

        Assert.Equal(12, codes.Count);
        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.All(codes, code => Assert.InRange(int.Parse(code["TENV".Length..]), 300, 399));
    }
}
