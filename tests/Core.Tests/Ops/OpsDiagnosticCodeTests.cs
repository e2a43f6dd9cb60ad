using System.Reflection;
using TorchEnv.Core.Cache;
using TorchEnv.Core.Containers;
using TorchEnv.Core.Doctor;
using TorchEnv.Core.Export;
using TorchEnv.Core.IO;
using TorchEnv.Core.Naming;

namespace TorchEnv.Core.Tests.Ops;

/// <summary>Every code of doctor, export, dockerfile, cache and naming is in its range and unique (docs/diagnostics.md itself is checked by DiagnosticsCatalogTests).</summary>
public sealed class OpsDiagnosticCodeTests
{
    [Theory]
    [InlineData(typeof(DoctorMessages), 520, 539)]
    [InlineData(typeof(ExportMessages), 540, 559)]
    [InlineData(typeof(ContainerMessages), 560, 569)]
    [InlineData(typeof(CacheMessages), 570, 579)]
    [InlineData(typeof(NamingMessages), 580, 589)]
    [InlineData(typeof(OutputFiles), 590, 599)]
    public void Every_code_is_in_range_and_unique(Type messages, int low, int high)
    {
        var codes = messages.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name.EndsWith("Code", StringComparison.Ordinal))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();

        Assert.NotEmpty(codes);
        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.All(codes, code => Assert.InRange(int.Parse(code["TENV".Length..]), low, high));
    }
}
