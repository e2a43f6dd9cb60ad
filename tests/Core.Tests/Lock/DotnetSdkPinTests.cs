using TorchEnv.Core.Lock;

namespace TorchEnv.Core.Tests.Lock;

/// <summary>The lock's dotnet-sdk pin against an SDK version: the build (running SDK) and doctor (installed SDKs) both ask this.</summary>
public sealed class DotnetSdkPinTests
{
    [Theory]
    [InlineData("10.0.401", "10.0.401", true)]
    [InlineData("10.0.401", "10.0.402", false)]
    [InlineData("10.0.*", "10.0.402", true)]
    [InlineData("10.0.*", "10.1.100", false)]
    [InlineData("[10.0.100, 10.1.0)", "10.0.401", true)]
    [InlineData("[10.0.100, 10.1.0)", "9.0.100", false)]
    [InlineData("10.0.401", "10.0.401-preview.1", false)]
    public void A_pin_is_matched_by_the_same_version_or_one_inside_its_range(string locked, string sdk, bool matches) =>
        Assert.Equal(matches, DotnetSdkPin.Matches(locked, sdk));
}
