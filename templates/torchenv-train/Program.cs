// TrainingApp1 — trains a small ResNet on images with TorchSharp, on the stack locked in environment.lock.yml.
//
//   dotnet run                               train on the bundled data set (generated into data/shapes on first run)
//   dotnet run -- --epochs 10 --amp bf16     more epochs, bf16 mixed precision
//   dotnet run -- --benchmark                samples/s, data-wait share and the step breakdown, then exit
//   dotnet run -- --profile                  also write a Chrome trace + summary to runs/profile (ui.perfetto.dev)
//   dotnet run -- --resume                   continue from checkpoints/last.ckpt exactly where it stopped
//   dotnet run -- --data ~/pictures          your own images: <dir>/train/<class>/*.jpg and <dir>/test/<class>/*.jpg (or .png)
//   dotnet run -- --export-pytorch model.pt  also write the trained weights for PyTorch (pytorch/model.py loads them)
//   dotnet run -- --help                     every option with its default
//
// The reusable machinery (autocast, GradScaler, prefetching loader, profiler, checkpoints) is TorchEnv.Training;
// this file only wires it together, in the order a run happens.
using System.Text.Json;
using TorchEnv.Training.Amp;
using TorchEnv.Training.Checkpoints;
using TorchEnv.Training.Data;
using TorchEnv.Training.Data.Images;
using TorchEnv.Training.Diagnostics;
using TorchEnv.Training.Logging;
using TorchEnv.Training.Normalization;
using TorchEnv.Training.Optimizers;
using TorchEnv.Training.Profiling;
using TorchEnv.Training.PyTorch;
using TorchSharp;
using TrainingApp1;
using static TorchSharp.torch;

try
{
    return Train(TrainingOptions.Parse(args));
}
catch (TrainingException error)
{
    Console.Error.WriteLine(error.ToDisplayString());
    return error.Code.StartsWith("TENV066", StringComparison.Ordinal) ? 64 : 1;   // 64: bad command line (sysexits)
}

static int Train(TrainingOptions? options)
{
    // ---- 1. Options and device ---------------------------------------------------------------------------------
    if (options is null)
    {
        return 0;   // --help
    }

    var device = options.Device == "cuda" ? CUDA : CPU;
    if (options.Threads is int threads)
    {
        set_num_threads(threads);
    }

    manual_seed(options.Seed);
    Console.WriteLine($"TrainingApp1 on libtorch {__version__}, device {device.type}, {get_num_threads()} compute threads");
    Console.WriteLine(options);

    // ---- 2. Data: every image decoded once into memory (when it fits), batches cut from it on this thread --------
    var dataRoot = options.Data ?? SyntheticShapes.EnsureCreated(Path.Combine("data", "shapes"));
    using var trainSet = new ImageFolderDataset(Path.Combine(dataRoot, "train"), ImageTransform.Train(options.ImageSize, resizeShorterSide: options.Resize), seed: options.Seed);
    using var testSet = new ImageFolderDataset(Path.Combine(dataRoot, "test"), ImageTransform.Evaluate(options.ImageSize, options.Resize));
    var cacheBudget = options.Cache ?? ImageFolderDataset.DefaultCacheBudget();
    var trainCache = trainSet.CacheDecoded(cacheBudget);
    testSet.CacheDecoded(Math.Max(0, cacheBudget - trainCache.Bytes));
    Console.WriteLine($"data: {trainCache}");
    using var trainLoader = PrefetchingDataLoader.Create(trainSet, new DataLoaderOptions
    {
        BatchSize = options.BatchSize,
        Seed = options.Seed,
        DropLast = true,
        Workers = options.Workers,
        Device = device,
    });
    using var testLoader = PrefetchingDataLoader.Create(testSet, new DataLoaderOptions
    {
        BatchSize = 256,
        Shuffle = false,
        Workers = options.Workers,
        Device = device,
    });
    Console.WriteLine($"data: {trainSet.Count} training / {testSet.Count} test images, {trainSet.Classes.Count} classes, " +
                      (trainLoader.Workers == 0 ? "batches cut on the training thread" : $"{trainLoader.Workers} loader worker(s) x prefetch {trainLoader.Options.PrefetchFactor}"));

    // ---- 3. Model, optimizer, loss -----------------------------------------------------------------------------
    var model = new SmallResNet(trainSet.Classes.Count).to(device);
    // TorchSharp 0.107.0's batch-norm counter and AdamW pass libtorch temporary Scalars that a GC can free mid-call
    // (TorchSharp PR #1434): drop the counter (unused with a fixed momentum) and use TorchEnv's AdamW (same update).
    BatchNormCounters.RemoveUnused(model);
    var optimizer = new AdamW(model.parameters(), options.LearningRate, weightDecay: 0.01);
    var lossFunction = nn.CrossEntropyLoss();

    // ---- 4. Mixed precision: autocast to bf16/fp16 where the hardware computes it natively; a scaler for fp16 --
    var amp = MixedPrecisionPlan.Resolve(device, options.Amp);
    var scaler = new GradScaler(enabled: amp.UsesGradScaler);
    Console.WriteLine($"precision: {amp.Reason}");
    if (amp.Warning is not null)
    {
        Console.Error.WriteLine(amp.Warning);
    }

    // ---- 5. Resume: model, optimizer, scaler, RNG and the position in the epoch --------------------------------
    var checkpointPath = Path.Combine(options.CheckpointDir, "last.ckpt");
    var progress = TrainingProgress.Start;
    if (options.Resume)
    {
        progress = TrainingCheckpoint.Load(checkpointPath, model, optimizer, scaler).Progress;
        Console.WriteLine($"resumed from {checkpointPath} at epoch {progress.Epoch + 1}, step {progress.GlobalStep}");
    }

    // ---- 6. Training loop with the step profiler --------------------------------------------------------------
    var scheduleSteps = options.Epochs * trainLoader.BatchesPerEpoch;    // the learning-rate schedule spans every epoch
    var stopAt = Math.Min(options.MaxSteps ?? long.MaxValue, options.Benchmark ? options.MaxSteps ?? 60 : scheduleSteps);
    using var profiler = new StepProfiler(ProfilerFor(options, stopAt - progress.GlobalStep, device, amp, trainLoader));
    profiler.Observe(trainLoader);
    if (options.Profile)
    {
        profiler.TraceModules(model);
    }

    var tensorboard = utils.tensorboard.SummaryWriter(Path.Combine(options.LogDir, "tensorboard"));
    var display = new ProgressReporter();
    while (progress.GlobalStep < stopAt && progress.Epoch < options.Epochs)
    {
        model.train();
        foreach (var hostBatch in profiler.TimeDataWait(trainLoader.GetEpoch(progress.Epoch, progress.BatchInEpoch)))
        {
            using var stepScope = NewDisposeScope();
            TensorBatch batch;
            using (profiler.Span(StepSpans.HostToDevice))
            {
                batch = hostBatch.To(device);   // pinned memory + non-blocking copy on CUDA; a no-op on CPU
            }

            using (batch)
            {
                SetLearningRate(optimizer, LearningRate(progress.GlobalStep, scheduleSteps, options.LearningRate));
                Tensor loss;
                using (profiler.Span(StepSpans.Forward))
                using (Autocast.Enter(device, amp))
                {
                    loss = lossFunction.call(model.call(batch[ImageFolderDataset.ImageKey]), batch[ImageFolderDataset.LabelKey]);
                }

                using (profiler.Span(StepSpans.Backward))
                {
                    optimizer.zero_grad();
                    scaler.Scale(loss).backward();
                }

                using (profiler.Span(StepSpans.OptimizerStep))
                {
                    scaler.Step(optimizer);   // skipped when fp16 gradients overflowed
                    scaler.Update();
                }

                progress = progress.AfterStep(batch.Size);
                float? lossValue = progress.GlobalStep % options.LogEvery == 0 ? profiler.ReadScalar(loss) : null;   // a host sync: not every step
                if (lossValue is float value)
                {
                    tensorboard.add_scalar("train/loss", value, (int)progress.GlobalStep);
                }

                display.Step(progress.Epoch, options.Epochs, progress.GlobalStep, stopAt, batch.Size, lossValue);
                profiler.Step(batch.Size);
            }

            if (progress.GlobalStep >= stopAt)
            {
                break;
            }
        }

        if (progress.BatchInEpoch == trainLoader.BatchesPerEpoch)
        {
            progress = progress.NextEpoch();
        }

        if (options.Benchmark)
        {
            continue;
        }

        // ---- 7. Evaluation --------------------------------------------------------------------------------------
        var accuracy = Evaluate(model, testLoader, device, amp);
        tensorboard.add_scalar("test/accuracy", (float)accuracy, (int)progress.GlobalStep);
        display.WriteLine($"step {progress.GlobalStep}: loss {display.LastLoss:F4}, test accuracy {accuracy:P1} (chance: {1.0 / testSet.Classes.Count:P0})");

        // ---- 8. Checkpoint (atomic: a crash never leaves half a file) --------------------------------------------
        TrainingCheckpoint.Save(checkpointPath, model, optimizer, scaler, progress, options.Seed, options);
    }

    // ---- Weights for PyTorch (--export-pytorch): a state dict torch.load reads; pytorch/model.py is this network ----
    if (options.ExportPyTorch is { } exportPath)
    {
        display.WriteLine($"weights: {PyTorchStateDict.Save(model, exportPath).Count} tensors written to {exportPath} (PyTorch state dict, see README)");
    }

    // ---- 9. What the profiler saw -----------------------------------------------------------------------------
    profiler.Dispose();
    if (options.Profile || options.Benchmark)
    {
        var summary = profiler.Summary();
        display.WriteLine(summary.ToTable());
        foreach (var trace in profiler.TraceFiles)
        {
            display.WriteLine($"trace: {trace}");
        }

        if (options.Benchmark)
        {
            display.WriteLine("BENCHMARK " + JsonSerializer.Serialize(new
            {
                program = "template",
                amp = amp.EffectiveName,
                workers = trainLoader.Workers,
                computeThreads = get_num_threads(),
                cachedImages = trainCache.Cached ? trainCache.Images : 0,
                decodeSeconds = Math.Round(trainCache.Elapsed.TotalSeconds, 3),
                batchSize = options.BatchSize,
                steps = summary.Steps,
                samplesPerSecond = Math.Round(summary.SamplesPerSecond, 2),
                samplesPerCpuSecond = Math.Round(summary.SamplesPerCpuSecond, 2),
                dataWaitShare = Math.Round(summary.Share(StepSpans.DataWait), 4),
                peakWorkingSetMiB = summary.PeakWorkingSetBytes / (1024 * 1024),
                breakdown = summary.Spans.ToDictionary(s => s.Name, s => Math.Round(s.Share, 4)),
                threadCores = summary.ThreadCores,
            }));
        }
    }

    return 0;
}

// 1) linear warm-up over the first 2% of the steps, 2) cosine decay to zero over the rest.
static double LearningRate(long step, long totalSteps, double peak)
{
    var warmup = Math.Max(1, totalSteps / 50);
    if (step < warmup)
    {
        return peak * (step + 1) / warmup;
    }

    var progress = (double)(step - warmup) / Math.Max(1, totalSteps - warmup);
    return peak * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(1, progress)));
}

static void SetLearningRate(optim.Optimizer optimizer, double rate)
{
    foreach (var group in optimizer.ParamGroups)
    {
        group.LearningRate = rate;
    }
}

// --profile: the article's schedule (wait 1, warm-up 1, record 3) with a trace; --benchmark: every step after a
// five-step warm-up, no trace; otherwise off (spans cost nothing).
static ProfilerOptions ProfilerFor(TrainingOptions options, long steps, Device device, MixedPrecisionPlan amp, PrefetchingDataLoader loader)
{
    var shared = new ProfilerOptions { Device = device, MixedPrecision = amp, Loader = (loader.Workers, loader.Options.PrefetchFactor) };
    if (options.Benchmark)
    {
        var warmup = (int)Math.Min(5, Math.Max(0, steps - 1));
        return shared with { Schedule = new ProfilerSchedule(Wait: 0, Warmup: warmup, Active: (int)Math.Max(1, steps - warmup)) };
    }

    return options.Profile ? shared with { LogDirectory = Path.Combine(options.LogDir, "profile"), Name = "train" } : ProfilerOptions.Off;
}

static double Evaluate(nn.Module<Tensor, Tensor> model, PrefetchingDataLoader loader, Device device, MixedPrecisionPlan amp)
{
    model.eval();
    using var noGrad = no_grad();
    long correct = 0, total = 0;
    foreach (var hostBatch in loader.GetEpoch(0))
    {
        using var scope = NewDisposeScope();
        using var batch = hostBatch.To(device);
        using (Autocast.Enter(device, amp))
        {
            var predicted = model.call(batch[ImageFolderDataset.ImageKey]).argmax(1);
            correct += predicted.eq(batch[ImageFolderDataset.LabelKey]).sum().item<long>();
        }

        total += batch.Size;
    }

    model.train();
    return correct / (double)total;
}
