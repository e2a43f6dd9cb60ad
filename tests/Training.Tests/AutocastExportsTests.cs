using TorchEnv.Training.Amp;

namespace TorchEnv.Training.Tests;

/// <summary>
/// TorchEnv.Training calls the libtorch exports that `torchenv doctor` checks, no more and no fewer: both compile one
/// list (src/Shared/LibTorchAutocastExports.cs), and this compares the two compiled views.
/// </summary>
public sealed class AutocastExportsTests
{
    [Theory]
    [InlineData("linux-x64")]
    [InlineData("osx-arm64")]
    [InlineData("win-x64")]
    public void Training_resolves_exactly_the_exports_doctor_requires_under_the_platforms_names(string platform)
    {
        var asked = new List<string>();

        AutocastNative.Resolve(symbol => { asked.Add(symbol); return new IntPtr(1); }, "torch_cpu", "2.10.0", windows: platform.StartsWith("win", StringComparison.Ordinal));

        Assert.Equal(9, asked.Count);
        Assert.Equal(Core.Doctor.Doctor.AutocastExportNames(platform), asked);
    }

    [Fact]
    public void Windows_is_asked_for_the_msvc_names_read_from_torch_cpu_dll_and_every_other_platform_for_the_itanium_names()
    {
        Assert.Contains("?set_autocast_enabled@autocast@at@@YAXW4DeviceType@c10@@_N@Z", AutocastNative.Symbols(windows: true));
        Assert.Contains("_ZN2at8autocast20set_autocast_enabledEN3c1010DeviceTypeEb", AutocastNative.Symbols(windows: false));
        Assert.All(AutocastNative.Symbols(windows: true), s => Assert.StartsWith("?", s, StringComparison.Ordinal));
        Assert.All(AutocastNative.Symbols(windows: false), s => Assert.StartsWith("_ZN2at8autocast", s, StringComparison.Ordinal));
    }
}
