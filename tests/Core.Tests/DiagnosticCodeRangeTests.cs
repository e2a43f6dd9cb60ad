using TorchEnv.Core.Adopt;
using TorchEnv.Core.Cache;
using TorchEnv.Core.Containers;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Doctor;
using TorchEnv.Core.Export;
using TorchEnv.Core.Gpu;
using TorchEnv.Core.IO;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Naming;
using TorchEnv.Core.Native;
using TorchEnv.Core.Packages;
using TorchEnv.Core.Resolution;
using TorchEnv.Core.Spec;
using TorchEnv.Core.Stack;
using TorchEnv.Sdk.Tasks.Diagnostics;
using TorchEnv.Tool.Cli;

namespace TorchEnv.Core.Tests;

/// <summary>Each area declares its codes in its own range (docs/diagnostics.md's table of ranges), read from its descriptors.</summary>
public sealed class DiagnosticCodeRangeTests
{
    private static readonly Dictionary<Type, (int Low, int High)> Ranges = new()
    {
        [typeof(SpecMessages)] = (1, 99),
        [typeof(StackMessages)] = (100, 199),
        [typeof(PackageMessages)] = (200, 219),
        [typeof(ResolutionMessages)] = (200, 219),
        [typeof(LockMessages)] = (220, 259),
        [typeof(LockModeMessages)] = (504, 505), // what the user asked for, in the command line's range; the build reports them too
        [typeof(NativeMessages)] = (300, 379),
        [typeof(GpuMessages)] = (380, 389),
        [typeof(SdkDiagnostics)] = (400, 499),
        [typeof(ToolMessages)] = (500, 519),
        [typeof(DoctorMessages)] = (520, 539),
        [typeof(ExportMessages)] = (540, 552),
        [typeof(AdoptMessages)] = (553, 556), // adopt shares export's range
        [typeof(ContainerMessages)] = (560, 569),
        [typeof(CacheMessages)] = (570, 579),
        [typeof(NamingMessages)] = (580, 589),
        [typeof(IOMessages)] = (590, 599),
    };

    public static TheoryData<Type> Areas => [.. Ranges.Keys];

    [Theory]
    [MemberData(nameof(Areas))]
    public void Every_code_of_an_area_is_in_its_range(Type messages)
    {
        var (low, high) = Ranges[messages];

        var codes = DiagnosticDescriptor.DeclaredBy(messages).Select(d => d.Code).ToList();

        Assert.NotEmpty(codes);
        Assert.All(codes, code => Assert.InRange(Number(code), low, high));
    }

    [Fact]
    public void The_training_library_and_the_generated_source_keep_to_their_ranges()
    {
        // Neither can reference Core, so their codes are read from their sources (see DiagnosticsCatalogTests).
        Assert.All(DiagnosticsCatalogTests.TrainingCodes, code => Assert.InRange(Number(code), 600, 669));
        Assert.All(DiagnosticsCatalogTests.GeneratedSourceCodes, code => Assert.InRange(Number(code), 670, 699));
    }

    [Fact]
    public void Every_type_that_declares_descriptors_has_a_range()
    {
        var assemblies = new[] { typeof(Diagnostic).Assembly, typeof(SdkDiagnostics).Assembly, typeof(ToolMessages).Assembly };

        var declaring = assemblies.SelectMany(a => a.GetTypes()).Where(t => DiagnosticDescriptor.DeclaredBy(t).Count > 0).ToList();

        Assert.Equal(Ranges.Keys.OrderBy(t => t.FullName), declaring.OrderBy(t => t.FullName));
    }

    private static int Number(string code) => int.Parse(code["TENV".Length..], System.Globalization.CultureInfo.InvariantCulture);
}
