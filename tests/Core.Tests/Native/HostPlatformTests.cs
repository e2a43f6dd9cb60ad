using System.Runtime.InteropServices;
using TorchEnv.Core.Native;
using TorchEnv.Core.Spec;

namespace TorchEnv.Core.Tests.Native;

/// <summary>This machine's platform, one answer for verify, doctor and the build.</summary>
public sealed class HostPlatformTests
{
    [Theory]
    [InlineData("LINUX", Architecture.X64, "linux-x64")]
    [InlineData("LINUX", Architecture.Arm64, "linux-arm64")]
    [InlineData("WINDOWS", Architecture.X64, "win-x64")]
    [InlineData("WINDOWS", Architecture.Arm64, "win-arm64")]
    [InlineData("OSX", Architecture.Arm64, "osx-arm64")]
    [InlineData("OSX", Architecture.X64, "osx-x64")]
    public void Is_the_portable_runtime_identifier_of_os_and_architecture(string os, Architecture architecture, string expected)
    {
        Assert.Equal(expected, HostPlatform.Of(OSPlatform.Create(os), architecture));
    }

    [Fact]
    public void This_machine_is_a_platform_a_spec_can_name()
    {
        Assert.Contains(HostPlatform.Current, KnownPlatforms.All);
        Assert.True(HostPlatform.IsCurrent(HostPlatform.Current.ToUpperInvariant()));
    }

    [Fact]
    public void A_given_platform_wins_and_none_means_this_machine()
    {
        Assert.Equal("win-arm64", HostPlatform.Or(" win-arm64 "));
        Assert.Equal(HostPlatform.Current, HostPlatform.Or(null));
        Assert.Equal(HostPlatform.Current, HostPlatform.Or(""));
    }
}
