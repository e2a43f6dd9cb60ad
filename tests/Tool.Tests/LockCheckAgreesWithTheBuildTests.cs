using System.Text.Json;
using TorchEnv.Tool.Cli;
using TorchEnv.TestSupport.Locking;

namespace TorchEnv.Tool.Tests;

/// <summary>
/// <c>torchenv lock --check</c> over the shared tamper list (TestSupport's <see cref="LockTampers"/>): exactly the errors,
/// codes and lines that Core's lock service refuses in locked mode — the same service the build's locked mode asks
/// (tests/Sdk.Tests/Tasks/LockedModeAgreesWithLockCheckTests runs the build's side over the same list).
/// </summary>
public sealed class LockCheckAgreesWithTheBuildTests
{
    public static TheoryData<string> Tampers => [.. LockTampers.Offline.Select(t => t.Name)];

    [Fact]
    public void The_lock_as_written_passes()
    {
        var project = LockWorkflowWorld.Shared.NewProject("check-untouched");

        var run = ToolRunner.Run(project.Folder, "lock", "--check");

        run.AssertExit(ExitCodes.Success);
        Assert.Empty(project.LockedModeFindings());
    }

    [Theory]
    [MemberData(nameof(Tampers))]
    public void Lock_check_refuses_what_locked_mode_refuses_with_the_same_codes_at_the_same_lines(string name)
    {
        var tamper = LockTampers.Offline.Single(t => t.Name == name);
        var world = LockWorkflowWorld.Shared;
        var project = world.NewProject("check", tamper.Edit(world.LockText));

        var run = ToolRunner.Run(project.Folder, "lock", "--check", "--json");

        var expected = project.LockedModeFindings().Select(d => (d.Code, d.Location?.File, d.Location?.Line)).ToList();
        Assert.Equal(expected, Errors(run));
        if (tamper.Code is null)
        {
            run.AssertExit(ExitCodes.Success);
        }
        else
        {
            run.AssertExit(ExitCodes.CheckFailed);
            Assert.Contains(tamper.Code, expected.Select(e => e.Code));
        }

        Assert.Equal(tamper.Edit(world.LockText), File.ReadAllText(project.LockPath));
    }

    private static List<(string Code, string? File, int? Line)> Errors(ToolRun run)
    {
        using var document = JsonDocument.Parse(run.Out);
        return document.RootElement.GetProperty("diagnostics").EnumerateArray()
            .Where(d => d.GetProperty("severity").GetString() == "error")
            .Select(d => (
                d.GetProperty("code").GetString()!,
                d.GetProperty("file").GetString(),
                d.GetProperty("line").ValueKind == JsonValueKind.Number ? d.GetProperty("line").GetInt32() : (int?)null))
            .ToList();
    }
}
