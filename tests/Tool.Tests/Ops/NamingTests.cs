using System.Text.Json;
using TorchEnv.Tool.Cli;
using TorchEnv.Tool.Tests.Fixtures;

namespace TorchEnv.Tool.Tests.Ops;

public sealed class NamingTests : IDisposable
{
    private readonly OpsFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Lock_warns_at_the_name_when_it_breaks_the_convention_and_still_locks()
    {
        var project = _folder.Project("Demo", "0.107.0", environmentName: "MyEnv");

        var run = _folder.Run(project, "lock", "--json");

        run.AssertExit(ExitCodes.Success);
        using var document = JsonDocument.Parse(run.Out);
        var warning = document.RootElement.GetProperty("diagnostics").EnumerateArray().Single(d => d.GetProperty("code").GetString() == "TENV0580");
        Assert.Equal("warning", warning.GetProperty("severity").GetString());
        Assert.Equal((1, 7), (warning.GetProperty("line").GetInt32(), warning.GetProperty("column").GetInt32()));
        Assert.Contains("name: myenv_torchsharp_cpu", warning.GetProperty("fix").GetString());
        Assert.True(File.Exists(Path.Combine(project, "environment.lock.yml")));
    }

    [Fact]
    public void Lock_says_nothing_about_a_conventional_name_and_no_warn_silences_the_warning()
    {
        var good = _folder.Project("Good", "0.107.0");
        var bad = _folder.Project("Bad", "0.107.0", environmentName: "bad_name");

        Assert.DoesNotContain("TENV058", _folder.Run(good, "lock").Error);
        Assert.DoesNotContain("TENV0580", _folder.Run(bad, "lock", "--no-warn", "TENV0580").Error);
    }

    [Fact]
    public void Init_refuses_a_name_outside_the_convention_and_writes_nothing()
    {
        var run = _folder.Run(_folder.Root, "init", "--name", "My Env", "--json");

        run.AssertExit(ExitCodes.UsageError);
        Assert.Contains("TENV0500", OpsFolder.Codes(run));
        Assert.Contains("three parts", run.Error);
        Assert.False(File.Exists(_folder.Combine("environment.yml")));
    }

    [Fact]
    public void Init_refuses_a_cpu_name_for_a_cuda_spec()
    {
        var run = _folder.Run(_folder.Root, "init", "--device", "cuda", "--name", "mnist_torchsharp_cpu");

        run.AssertExit(ExitCodes.UsageError);
        Assert.Contains("mnist_torchsharp_cuda", run.Error);
    }
}
