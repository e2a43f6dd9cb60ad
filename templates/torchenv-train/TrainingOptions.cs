using System.Text.Json.Serialization;
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

    /// <summary>Peak learning rate of AdamW (linear warm-up over <see cref="Warmup"/> of the steps, then cosine decay to 0).</summary>
    public double LearningRate { get; init; } = 0.003;

    /// <summary>AdamW's decoupled weight decay.</summary>
    public double WeightDecay { get; init; } = 0.01;

    /// <summary>Share of all steps over which the learning rate rises linearly to its peak (0.02: the first 2%).</summary>
    public double Warmup { get; init; } = 0.02;

    /// <summary>Channels of the model's first stage (the second and third have 2x and 4x): 16 is about 78 000 parameters; 32 or 64 on a GPU or for harder images.</summary>
    public int Width { get; init; } = 16;

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

    /// <summary>Folder of the runs: TensorBoard scalars and profiler traces go to <c>&lt;LogDir&gt;/&lt;RunName&gt;</c>.</summary>
    public string LogDir { get; init; } = "runs";

    /// <summary>Sub-folder of <see cref="LogDir"/> for this run (default: start time and host, as PyTorch's SummaryWriter names runs); a resumed run keeps its own.</summary>
    public string RunName { get; init; } = $"{DateTime.Now:yyyy-MM-dd_HH-mm-ss}_{Environment.MachineName}";

    /// <summary>Folder for checkpoints: last.ckpt (what --resume reads), the newest step-N.ckpt and best.ckpt (highest test accuracy).</summary>
    public string CheckpointDir { get; init; } = "checkpoints";

    /// <summary>Also write a checkpoint every this many steps inside an epoch (besides every epoch end and the stop of --max-steps): a kill loses at most this many steps.</summary>
    public int CheckpointEvery { get; init; } = 500;

    /// <summary>How many step checkpoints (step-N.ckpt) to keep besides last.ckpt and best.ckpt.</summary>
    public int KeepCheckpoints { get; init; } = 3;

    /// <summary>Also evaluate on the test set every this many steps (unset: at every epoch end and at the stop only); each evaluation writes a checkpoint.</summary>
    public int? EvalEvery { get; init; }

    /// <summary>Images per evaluation batch (no gradients are kept, so it can be larger than <see cref="BatchSize"/>).</summary>
    public int EvalBatchSize { get; init; } = 256;

    /// <summary>Read the loss back every this many steps (reading it is a host synchronisation).</summary>
    public int LogEvery { get; init; } = 20;

    /// <summary>After training, write the weights to this file as a PyTorch state dict (<c>torch.load</c> reads it; <c>pytorch/model.py</c> is this network in PyTorch). Unset: no export.</summary>
    public string? ExportPyTorch { get; init; }

    /// <summary>The options that were on the command line (not stored in checkpoints): a resumed run may not contradict the checkpoint with them.</summary>
    [JsonIgnore]
    internal IReadOnlySet<string> Given { get; init; } = new HashSet<string>();

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
            WeightDecay = cli.Double("--weight-decay", defaults.WeightDecay, "AdamW's weight decay", min: 0),
            Warmup = cli.Double("--warmup", defaults.Warmup, "share of the steps with a linear warm-up", min: 0, max: 1),
            Width = cli.Int("--width", defaults.Width, "channels of the model's first stage", min: 1),
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
            RunName = cli.String("--run-name", defaults.RunName, "sub-folder of --log-dir for this run", "NAME")!,
            CheckpointDir = cli.String("--checkpoint-dir", defaults.CheckpointDir, "checkpoint folder", "DIR")!,
            CheckpointEvery = cli.Int("--checkpoint-every", defaults.CheckpointEvery, "also checkpoint every N steps", min: 1),
            KeepCheckpoints = cli.Int("--keep-checkpoints", defaults.KeepCheckpoints, "step checkpoints kept besides last and best", min: 0),
            EvalEvery = cli.OptionalInt("--eval-every", "also evaluate every N steps", min: 1, defaultText: "epoch ends only"),
            EvalBatchSize = cli.Int("--eval-batch-size", defaults.EvalBatchSize, "images per evaluation batch", min: 1),
            LogEvery = cli.Int("--log-every", defaults.LogEvery, "read the loss every N steps", min: 1),
            ExportPyTorch = cli.String("--export-pytorch", null, "after training, write the weights as a PyTorch state dict", "FILE"),
        };

        if (cli.HelpRequested)
        {
            Console.WriteLine(cli.Usage("dotnet run --", "Trains a small ResNet with TorchSharp on the locked stack."));
            return null;
        }

        cli.EnsureAllUsed();
        return options with { Given = cli.Given };
    }

    /// <summary>
    /// These options continued from the checkpoint's <paramref name="stored"/> ones: what changes the run (seed, data,
    /// batch size, schedule, model) stays as stored, and giving another value on the command line is refused
    /// (TENV0662); the run name and precision stay unless given; everything else (--max-steps, folders, logging,
    /// threads) is this command line's. <paramref name="summary"/> says which options came from the checkpoint.
    /// </summary>
    public TrainingOptions ResumedFrom(TrainingOptions stored, string checkpoint, out string summary)
    {
        var resume = new ResumedOptions(Given, checkpoint);
        var options = this with
        {
            Epochs = resume.Keep("--epochs", stored.Epochs, Epochs),
            BatchSize = resume.Keep("--batch-size", stored.BatchSize, BatchSize),
            LearningRate = resume.Keep("--lr", stored.LearningRate, LearningRate),
            WeightDecay = resume.Keep("--weight-decay", stored.WeightDecay, WeightDecay),
            Warmup = resume.Keep("--warmup", stored.Warmup, Warmup),
            Width = resume.Keep("--width", stored.Width, Width),
            Data = resume.Keep("--data", stored.Data, Data),
            ImageSize = resume.Keep("--image-size", stored.ImageSize, ImageSize),
            Resize = resume.Keep("--resize", stored.Resize, Resize),
            Seed = resume.Keep("--seed", stored.Seed, Seed),
            Amp = resume.Continue("--amp", stored.Amp, Amp),
            RunName = resume.Continue("--run-name", stored.RunName, RunName),
        };
        summary = resume.Summary();
        return options;
    }
}
