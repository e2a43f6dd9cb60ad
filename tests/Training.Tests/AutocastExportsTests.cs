using TorchEnv.Training.Amp;

namespace TorchEnv.Training.Tests;

/// <summary>
/// TorchEnv.Training calls the libtorch exports that `torchenv doctor` checks, no more and no fewer: both compile one
/// list (src/Shared/LibTorchAutocastExports.cs), and this compares the two compiled views.
/// </summary>
public sealed class AutocastExportsTests
{
    [Fact]
    public void Training_resolves_exactly_the_exports_doctor_requires()
    {
        var asked = new List<string>();

        AutocastNative.Resolve(symbol => { asked.Add(symbol); return new IntPtr(1); }, "libtorch_cpu.so", "2.10.0");

        Assert.Equal(9, asked.Count);
        Assert.Equal(Core.Doctor.Doctor.AutocastExports, asked);
        Assert.Equal(Core.Doctor.Doctor.AutocastExports, AutocastNative.Symbols.All);
    }
}
