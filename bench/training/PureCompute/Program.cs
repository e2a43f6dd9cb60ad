// The compute ceiling of the template's training step: the template's SmallResNet, TorchEnv.Training's AdamW and
// autocast, on a few batches decoded once into memory before the clock starts. Same batch size, precision and
// compute threads as the run it is compared with; no loader thread exists, so nothing competes with libtorch's
// compute threads. Prints one "BENCHMARK {json}" line in the template's format.
//
//   PureCompute [--max-steps 60] [--batch-size 64] [--amp off|bf16] [--threads N] [--data data/shapes] [--seed 42]
using System.Diagnostics;
using System.Text.Json;
using TorchEnv.Training.Amp;
using TorchEnv.Training.Data.Images;
using TorchEnv.Training.Normalization;
using TorchEnv.Training.Optimizers;
using TorchEnv.Training.Options;
using TorchSharp;
using TrainingApp1;
using static TorchSharp.torch;

var cli = new CommandLineArguments(args);
var steps = cli.Int("--max-steps", 60, "steps to run (the first 5 are warm-up)", min: 6);
var batchSize = cli.Int("--batch-size", 64, "images per step", min: 1);
var amp = cli.Choice("--amp", AmpMode.Off, "off", "precision", AmpModeNames.All, AmpModeNames.TryParse);
var threads = cli.OptionalInt("--threads", "libtorch compute threads", min: 1, defaultText: "one per core");
var dataRoot = cli.String("--data", Path.Combine("data", "shapes"), "bundled data set folder", "DIR")!;
var seed = cli.Int("--seed", 42, "seed");
cli.EnsureAllUsed();
const int warmup = 5;
const int distinctBatches = 8;

if (threads is int n)
{
    set_num_threads(n);
}

manual_seed(seed);
SyntheticShapes.EnsureCreated(dataRoot);
var trainSet = new ImageFolderDataset(Path.Combine(dataRoot, "train"), ImageTransform.Train(32), seed: seed);
var images = new Tensor[distinctBatches];
var labels = new Tensor[distinctBatches];
for (var b = 0; b < distinctBatches; b++)
{
    var indices = Enumerable.Range(0, batchSize).Select(i => (b * batchSize + i) * 7919L % trainSet.Count).ToArray();
    using var assembled = trainSet.Assemble(indices, seed, epoch: 0);
    var batch = assembled.ToTensors();
    images[b] = batch[ImageFolderDataset.ImageKey];
    labels[b] = batch[ImageFolderDataset.LabelKey];
}

var device = CPU;
var model = new SmallResNet(trainSet.Classes.Count);
BatchNormCounters.RemoveUnused(model);
var optimizer = new AdamW(model.parameters(), 0.003, weightDecay: 0.01);
var lossFunction = nn.CrossEntropyLoss();
var plan = MixedPrecisionPlan.Resolve(device, amp);
var scaler = new GradScaler(enabled: plan.UsesGradScaler);
model.train();

var measured = new Stopwatch();
var cpuAtStart = TimeSpan.Zero;
long samples = 0;
for (var step = 0; step < steps; step++)
{
    if (step == warmup)
    {
        measured.Start();
        cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
    }

    using var scope = NewDisposeScope();
    Tensor loss;
    using (Autocast.Enter(device, plan))
    {
        loss = lossFunction.call(model.call(images[step % distinctBatches]), labels[step % distinctBatches]);
    }

    optimizer.zero_grad();
    scaler.Scale(loss).backward();
    scaler.Step(optimizer);
    scaler.Update();
    if (step % 20 == 0)
    {
        _ = loss.item<float>();   // the template reads the loss every 20 steps too
    }

    if (step >= warmup)
    {
        samples += batchSize;
    }
}

measured.Stop();
using var process = Process.GetCurrentProcess();
var cpu = process.TotalProcessorTime - cpuAtStart;
Console.WriteLine("BENCHMARK " + JsonSerializer.Serialize(new
{
    program = "ceiling",
    amp = plan.EffectiveName,
    workers = 0,
    computeThreads = get_num_threads(),
    batchSize,
    steps = steps - warmup,
    samplesPerSecond = Math.Round(samples / measured.Elapsed.TotalSeconds, 2),
    samplesPerCpuSecond = Math.Round(samples / cpu.TotalSeconds, 2),
    dataWaitShare = 0.0,
    peakWorkingSetMiB = process.PeakWorkingSet64 / (1024 * 1024),
}));
return 0;
