using TorchEnv.Sdk.Tasks;
using TorchEnv.Sdk.Tests.Support;
using TorchEnv.TestSupport.Locking;

namespace TorchEnv.Sdk.Tests.Tasks;

/// <summary>
/// The build's locked mode (the real task on the real Core, as <c>CI=true dotnet build</c> runs it) over the shared tamper
/// list: exactly the errors, codes and lines of Core's lock service in locked mode, which <c>torchenv lock --check</c>
/// reports too (tests/Tool.Tests/LockCheckAgreesWithTheBuildTests), and the lock never rewritten.
/// </summary>
public sealed class LockedModeAgreesWithLockCheckTests
{
    public static TheoryData<string> Tampers => [.. LockTampers.Offline.Select(t => t.Name)];

    [Fact]
    public void The_lock_as_written_builds()
    {
        var project = LockWorkflowWorld.Shared.NewProject("build-untouched");

        var (succeeded, engine) = BuildLocked(project);

        Assert.True(succeeded, engine.Log);
        Assert.Empty(engine.Warnings);
    }

    [Theory]
    [MemberData(nameof(Tampers))]
    public void Locked_mode_refuses_what_lock_check_refuses_with_the_same_codes_at_the_same_lines(string name)
    {
        var tamper = LockTampers.Offline.Single(t => t.Name == name);
        var world = LockWorkflowWorld.Shared;
        var project = world.NewProject("build", tamper.Edit(world.LockText));

        var (succeeded, engine) = BuildLocked(project);

        var expected = project.LockedModeFindings().Select(d => (d.Code, d.Location?.File, (int?)d.Location?.Line ?? 0)).ToList();
        Assert.Equal(expected, engine.Errors.Select(e => (e.Code, (string?)e.File, e.LineNumber)).ToList());
        Assert.Equal(tamper.Code is null, succeeded);
        if (tamper.Code is not null)
        {
            Assert.Contains(tamper.Code, expected.Select(e => e.Code));
        }

        Assert.Equal(tamper.Edit(world.LockText), File.ReadAllText(project.LockPath));
        Assert.Empty(engine.Warnings);
    }

    private static (bool Succeeded, MockBuildEngine Engine) BuildLocked(LockWorkflowProject project)
    {
        var engine = new MockBuildEngine();
        var task = new ResolveLockedPackages
        {
            BuildEngine = engine,
            SpecFile = project.SpecPath,
            LockFile = project.LockPath,
            Platform = "win-x64",
            LockedMode = true,
            ProjectFile = Path.Combine(project.Folder, "app.csproj"),
            PackagesFolder = project.PackagesFolder,
            OutputFile = Path.Combine(project.Folder, "obj", "app.torchenv.packages.proj"),
        };
        return (task.Execute(), engine);
    }
}
