using TorchEnv.Core.Native;
using TorchEnv.TestSupport;

namespace TorchEnv.Core.Tests.Native;

/// <summary>
/// The PE export reader on the real <c>libtorch-cpu-win-x64</c> 2.10.0 package (restored through NuGet when the global
/// packages folder lacks it): the Windows counterpart of the real-Linux-package tests.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RealWindowsLibTorchTests
{
    [Fact]
    public void Torch_cpu_dll_exports_all_nine_autocast_functions_under_their_msvc_names()
    {
        var dll = Path.Combine(RealStackPackages.WindowsLibTorchPackage(), "runtimes", "win-x64", "native", "torch_cpu.dll");

        var pe = PeFile.Read(dll);

        Assert.Equal((PeFile.MachineAmd64, true, "torch_cpu.dll"), (pe.Machine, pe.IsPe32Plus, pe.DllName));
        Assert.True(pe.ExportedNames.Count > 10_000, $"only {pe.ExportedNames.Count} exports");
        var msvc = Core.Doctor.Doctor.AutocastExportNames("win-x64");
        Assert.Equal(9, msvc.Count);
        Assert.All(msvc, name => Assert.True(pe.Exports(name), $"torch_cpu.dll does not export {name}"));
        Assert.All(Core.Doctor.Doctor.AutocastExportNames("linux-x64"), name => Assert.False(pe.Exports(name), $"torch_cpu.dll exports the Itanium name {name}"));
    }
}
