using TorchEnv.Sdk.Tasks.Restore;

namespace TorchEnv.Sdk.Tests.Tasks;

/// <summary>Which versions a user may write on a PackageReference to a locked package.</summary>
public sealed class LockedReferencePlannerTests
{
    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("0.107.0", true)]
    [InlineData("0.107.0.0", true)]
    [InlineData("[0.107.0]", true)]
    [InlineData("0.107.*", true)]
    [InlineData("[0.100, 0.200)", true)]
    [InlineData("0.106.0", false)] // NuGet would read ">= 0.106.0", but the user meant 0.106.0.
    [InlineData("0.108.*", false)]
    [InlineData("[0.108, )", false)]
    [InlineData("not a version", false)]
    public void UserVersionAdmitsTheLockedOneOrConflicts(string? userVersion, bool admitted) =>
        Assert.Equal(admitted, LockedReferencePlanner.Admits(userVersion, "0.107.0"));
}
