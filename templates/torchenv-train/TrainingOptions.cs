using TorchEnv.Training.Amp;
using TorchEnv.Training.Options;

namespace TrainingApp1;

/// <summary>
/// Every setting of a run with its default. Parsed from the command line (<c>--name value</c>), printed at start-up
/// and stored in each checkpoint.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>Passes over the training set; the learning-rate schedule spans all of them. 3 takes about two minutes on two CPU cores (~45% test accuracy on the bundled set, 10% is chance; 5 epochs reach ~70%).</summary>
    public int Epochs { get; init; } = 3;

    /// <summary>Stop after this many optimizer steps (unset: run every epoch). For smoke tests and CI; the schedule still spans <see cref="Epochs"/>.</summary>
    public int? MaxSteps { get; init; }

    /// <summary>Images per step. 64 suits 2–16 CPU cores; raise it on a GPU.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Peak learning rate of AdamW (weight decay 0.01; linear warm-up over 2% of the steps, then cosine decay to 0).</summary>
    public double LearningRate { get; init; } = 0.003;

    /// <summary>Loader worker threads (unset: none when the images are decoded into memory — batches are then cut on the training thread —, else 75% of the physical cores minus the compute threads, at least 1).</summary>
    public int? Workers { get; init; }

    /// <summary>Most memory the decoded images may take (unset/auto: a quarter of the memory; 0/off: read and decode every epoch). Decoded once on every core before training.</summary>
    public long? Cache { get; init; }

    /// <summary>libtorch's compute threads (unset: libtorch's default, one per core).</summary>
    public int? Threads { get; init; }

    /// <summary>Mixed precision: auto (fp16 on CUDA, bf16 on CPUs with native bf16, else off), bf16, fp16 or off.</summary>
#if (AmpBf16)
    public AmpMode Amp { get; init; } = AmpMode.BFloat16;
#elif (AmpFp16)
    public AmpMode Amp { get; init; } = AmpMode.Float16;
#elif (AmpOff)
    public AmpMode Amp { get; init; } = AmpMode.Off;
#else
    public AmpMode Amp { get; init; } = AmpMode.Auto;
#endif

    /// <summary>Where to compute: cpu or cuda.</summary>
#if (DeviceCuda)
    public string Device { get; init; } = "cuda";
#else
    public string Device { get; init; } = "cpu";
#endif

    /// <summary>Image folder with <c>train/</c> and <c>test/</c>, one sub-folder per class of PNG/JPEG/GIF/BMP/WebP images (unset: the bundled data set, generated into data/shapes).</summary>
    public string? Data { get; init; }

    /// <summary>Side of the square crops fed to the model (training crops from the image padded by 4 pixels; evaluation takes the centre, padding images that are smaller).</summary>
    public int ImageSize { get; init; } = 32;

    /// <summary>Resize every image so that its shorter side has this many pixels before cropping (unset: keep the size; set it for your own, larger images).</summary>
    public int? Resize { get; init; }

    /// <summary>Seed of the model's initial weights, the shuffles and the augmentations.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Record a few steps (wait 1, warm-up 1, active 3) and write a Chrome trace and a summary to <see cref="LogDir"/>.</summary>
    public bool Profile { get; init; }

    /// <summary>Measure throughput only: no evaluation, no checkpoint; print samples/s, data-wait share and the step breakdown.</summary>
    public bool Benchmark { get; init; }

    /// <summary>Continue from <c>&lt;CheckpointDir&gt;/last.ckpt</c> exactly where it stopped.</summary>
    public bool Resume { get; init; }

    /// <summary>Folder for TensorBoard scalars and profiler traces.</summary>
    public string LogDir { get; init; } = "runs";

    /// <summary>Folder for checkpoints (last.ckpt is written after every epoch and when --max-steps stops the run).</summary>
    public string CheckpointDir { get; init; } = "checkpoints";

    /// <summary>Read the loss back every this many steps (reading it is a host synchronisation).</summary>
    public int LogEvery { get; init; } = 20;

    /// <summary>After training, write the weights to this file as a PyTorch state dict (<c>torch.load</c> reads it; <c>pytorch/model.py</c> is this network in PyTorch). Unset: no export.</summary>
    public string? ExportPyTorch { get; init; }

    /// <summary>Reads the options from the command line; null when --help was asked (the help is printed).</summary>
    public static TrainingOptions? Parse(string[] args)
    {
        var defaults = new TrainingOptions();
        var cli = new CommandLineArguments(args);
        var options = new TrainingOptions
        {
            Epochs = cli.Int("--epochs", defaults.Epochs, "passes over the training set", min: 1),
            MaxSteps = cli.OptionalInt("--max-steps", "stop after N optimizer steps", min: 1),
            BatchSize = cli.Int("--batch-size", defaults.BatchSize, "images per step", min: 1),
            LearningRate = cli.Double("--lr", defaults.LearningRate, "peak learning rate", min: 0),
            Workers = cli.OptionalInt("--workers", "loader worker threads (0: on the training thread)", min: 0, defaultText: "0 when cached, else 75% of cores - compute threads, >= 1"),
            Cache = cli.MemorySize("--cache", "memory for the decoded images, decoded once before training", "auto: a quarter of the memory"),
            Threads = cli.OptionalInt("--threads", "libtorch compute threads", min: 1, defaultText: "one per core"),
            Amp = cli.Choice("--amp", defaults.Amp, AmpModeNames.ToName(defaults.Amp), "mixed precision", AmpModeNames.All, AmpModeNames.TryParse),
            Device = cli.Choice("--device", defaults.Device, "where to compute", ["cpu", "cuda"]),
            Data = cli.String("--data", null, "image folder with train/ and test/", "DIR"),
            ImageSize = cli.Int("--image-size", defaults.ImageSize, "side of the crops", min: 8),
            Resize = cli.OptionalInt("--resize", "resize the shorter side to N before cropping", min: 8),
            Seed = cli.Int("--seed", defaults.Seed, "seed of weights, shuffles and augmentations"),
            Profile = cli.Flag("--profile", "write a Chrome trace and a summary, then go on training"),
            Benchmark = cli.Flag("--benchmark", "measure throughput (no evaluation, no checkpoint)"),
            Resume = cli.Flag("--resume", "continue from the last checkpoint"),
            LogDir = cli.String("--log-dir", defaults.LogDir, "TensorBoard and trace folder", "DIR")!,
            CheckpointDir = cli.String("--checkpoint-dir", defaults.CheckpointDir, "checkpoint folder", "DIR")!,
            LogEvery = cli.Int("--log-every", defaults.LogEvery, "read the loss every N steps", min: 1),
            ExportPyTorch = cli.String("--export-pytorch", null, "after training, write the weights as a PyTorch state dict", "FILE"),
        };

        if (cli.HelpRequested)
        {
            Console.WriteLine(cli.Usage("dotnet run --", "Trains a small ResNet with TorchSharp on the locked stack."));
            return null;
        }

        cli.EnsureAllUsed();
        return options;
    }
}
