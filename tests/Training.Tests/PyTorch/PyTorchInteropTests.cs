using TorchEnv.TestSupport;
using TorchEnv.Training.Normalization;
using TorchEnv.Training.Optimizers;
using TorchEnv.Training.PyTorch;
using TrainingApp1;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace TorchEnv.Training.Tests.PyTorch;

/// <summary>
/// The weights TorchEnv.Training exports, loaded by real PyTorch (Debian's python3-torch, which
/// eng/install-prerequisites.sh installs) into the template's network written in PyTorch
/// (templates/torchenv-train/pytorch/model.py): the logits of a fixed batch must be the .NET model's.
/// </summary>
[Trait("Category", "Integration")]
[Collection(TorchCollection.Name)]
public sealed class PyTorchInteropTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>
    /// Largest difference allowed between a .NET and a PyTorch logit (both float32, logits of magnitude ~1): libtorch
    /// 2.10 and Debian's PyTorch 1.13 may pick different kernels and summation orders. Measured here: 6e-8.
    /// </summary>
    private const double Tolerance = 1e-5;

    /// <summary>Debian's interpreter, whose python3-torch the prerequisites install (a pyenv python3 on PATH has none).</summary>
    private const string Python = "/usr/bin/python3";

    private readonly TempDirectory _temp = new("torchenv-pytorch-interop");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void PyTorch_loads_the_exported_template_model_strictly_and_reproduces_its_logits()
    {
        var probe = ProcessRunner.Run(Python, ["-c", "import torch; print(torch.__version__)"], TimeSpan.FromMinutes(2));
        Assert.True(probe.ExitCode == 0,
            $"{Python} cannot import torch: install Debian's python3-torch (eng/install-prerequisites.sh does, as root).\n{probe.StandardError}");
        var weights = _temp.Combine("model.pt");
        var batchFile = _temp.Combine("batch.pt");

        manual_seed(11);
        using var model = new SmallResNet(classes: 7);
        BatchNormCounters.RemoveUnused(model);
        Train(model, steps: 3);                  // weights and batch-norm statistics away from their initial values
        model.eval();
        using var images = randn(6, 3, 32, 32);
        using var logits = Logits(model, images);

        PyTorchStateDict.Save(model, weights);
        PyTorchStateDict.Save([("images", images), ("logits", logits)], batchFile);

        var modelDirectory = Path.Combine(RepositoryRoot.Get(), "templates", "torchenv-train", "pytorch");
        var script = Path.Combine(RepositoryRoot.Get(), "tests", "Training.Tests", "PyTorch", "compare_logits.py");
        var result = ProcessRunner.Run(Python, [script, modelDirectory, weights, batchFile, Tolerance.ToString("R", System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromMinutes(5));
        output.WriteLine(result.StandardOutput);
        output.WriteLine(result.StandardError);
        Assert.True(result.ExitCode == 0, $"PyTorch did not reproduce the .NET logits (exit {result.ExitCode}):\n{result.StandardOutput}\n{result.StandardError}");
        Assert.Contains("loaded strictly", result.StandardOutput, StringComparison.Ordinal);
    }

    private static Tensor Logits(nn.Module<Tensor, Tensor> model, Tensor images)
    {
        using var noGrad = no_grad();
        return model.call(images);
    }

    private static void Train(nn.Module<Tensor, Tensor> model, int steps)
    {
        var optimizer = new AdamW(model.parameters(), 0.01, weightDecay: 0.01);
        using var loss = nn.CrossEntropyLoss();
        model.train();
        for (var step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            var images = randn(16, 3, 32, 32);
            var labels = randint(0, 7, [16]);
            optimizer.zero_grad();
            loss.call(model.call(images), labels).backward();
            optimizer.step();
        }
    }
}
