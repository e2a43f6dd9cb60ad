using TorchEnv.TestSupport;

namespace TorchEnv.Templates.Tests;

public sealed partial class TrainTemplateEndToEndTests
{
    [Fact]
    public void The_generated_project_exports_weights_that_its_pytorch_model_loads_strictly()
    {
        Assert.True(fixture.BuildResult.Succeeded, fixture.BuildResult.ToString());
        var weights = Path.Combine(fixture.Root, "exported", "model.pt");

        var run = fixture.Train("--epochs", "1", "--max-steps", "3", "--export-pytorch", weights, "--checkpoint-dir", Path.Combine(fixture.Root, "exported", "checkpoints"));

        Assert.True(run.Succeeded, run.ToString());
        Assert.Contains($"weights: 56 tensors written to {weights} (PyTorch state dict", run.StandardOutput);
        // The generated project's own pytorch/model.py, with Debian's PyTorch (eng/install-prerequisites.sh installs it).
        var load = ProcessRunner.Run("/usr/bin/python3",
            ["-c", "import sys; from model import load; m = load(sys.argv[1]); print(type(m).__name__, m.head.out_features, 'classes')", weights],
            TimeSpan.FromMinutes(5), fixture.Project.PathOf("pytorch"));
        Assert.True(load.ExitCode == 0, $"PyTorch could not load the export:\n{load.Output}");
        Assert.Equal("SmallResNet 10 classes", load.StandardOutput.Trim());
    }
}
