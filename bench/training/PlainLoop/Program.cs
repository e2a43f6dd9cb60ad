// The baseline the template's program is measured against: a TorchSharp training loop as it is usually written
// (TorchSharpExamples style) — TorchSharp's own DataLoader with its defaults (one batch built when the loop asks
// for it), float32 throughout, the loss read back every step. Same model, data set class, transform and batch size
// as the template. Prints one "BENCHMARK {json}" line.
//
//   PlainLoop [--max-steps 60] [--batch-size 64] [--workers 1] [--threads N] [--data data/shapes] [--seed 42]
using System.Diagnostics;
using System.Text.Json;
using TorchEnv.Training.Data.Images;
using TorchEnv.Training.Options;
using TorchSharp;
using TrainingApp1;
using static TorchSharp.torch;

var cli = new CommandLineArguments(args);
var steps = cli.Int("--max-steps", 60, "steps to run (the first 5 are warm-up)", min: 6);
var batchSize = cli.Int("--batch-size", 64, "images per step", min: 1);
var workers = cli.Int("--workers", 1, "TorchSharp DataLoader num_worker (its default is 1)", min: 1);
var dataRoot = cli.String("--data", Path.Combine("data", "shapes"), "bundled data set folder", "DIR")!;
var threads = cli.OptionalInt("--threads", "libtorch compute threads", min: 1, defaultText: "one per core");
var seed = cli.Int("--seed", 42, "seed");
cli.EnsureAllUsed();
const int warmup = 5;

if (threads is int n)
{
    set_num_threads(n);
}

manual_seed(seed);
SyntheticShapes.EnsureCreated(dataRoot);
var trainSet = new ImageFolderDataset(Path.Combine(dataRoot, "train"), ImageTransform.Train(32), seed: seed);
using var loader = utils.data.DataLoader(trainSet, batchSize, shuffle: true, seed: seed, num_worker: workers, drop_last: true);
var model = new SmallResNet(trainSet.Classes.Count);
var optimizer = optim.AdamW(model.parameters(), 0.003, weight_decay: 0.01);
var lossFunction = nn.CrossEntropyLoss();
model.train();

var step = 0;
long measuredSamples = 0;
var measured = new Stopwatch();
var dataWait = new Stopwatch();
var cpuAtStart = TimeSpan.Zero;
while (step < steps)
{
    using var batches = loader.GetEnumerator();
    while (step < steps)
    {
        if (step == warmup)
        {
            measured.Start();
            cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
        }

        var measuring = step >= warmup;
        if (measuring)
        {
            dataWait.Start();
        }

        var more = batches.MoveNext();
        dataWait.Stop();
        if (!more)
        {
            break;
        }

        using (var scope = NewDisposeScope())
        {
            var batch = batches.Current;
            optimizer.zero_grad();
            var loss = lossFunction.call(model.call(batch["image"]), batch["label"]);
            loss.backward();
            optimizer.step();
            _ = loss.item<float>();
        }

        if (measuring)
        {
            measuredSamples += batchSize;
        }

        step++;
    }
}

measured.Stop();
using var process = Process.GetCurrentProcess();
var cpu = process.TotalProcessorTime - cpuAtStart;
Console.WriteLine("BENCHMARK " + JsonSerializer.Serialize(new
{
    program = "plain",
    amp = "off",
    workers,
    computeThreads = get_num_threads(),
    batchSize,
    steps = steps - warmup,
    samplesPerSecond = Math.Round(measuredSamples / measured.Elapsed.TotalSeconds, 2),
    samplesPerCpuSecond = Math.Round(measuredSamples / cpu.TotalSeconds, 2),
    dataWaitShare = Math.Round(dataWait.Elapsed.TotalSeconds / measured.Elapsed.TotalSeconds, 4),
    peakWorkingSetMiB = process.PeakWorkingSet64 / (1024 * 1024),
}));
return 0;
