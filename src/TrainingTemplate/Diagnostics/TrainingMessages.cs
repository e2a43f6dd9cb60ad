using TorchEnv.Training.Data.Images;

namespace TorchEnv.Training.Diagnostics;

/// <summary>
/// Every message of TorchEnv.Training in one place. Each factory returns the exception (or warning text) with its code;
/// the codes are documented in <c>docs/diagnostics.md</c>.
/// </summary>
internal static class TrainingMessages
{
    // ---- Mixed precision: TENV0601–TENV0619 ---------------------------------------------------------------------

    public static TrainingException AutocastSymbolMissing(string symbol, string signature, string library, string libtorchVersion) => new(
        "TENV0601",
        $"libtorch's autocast export '{symbol}' ({signature}) is not in {library} (locked libtorch {libtorchVersion}). " +
        "TorchEnv.Training calls libtorch's own autocast through these exports; their names are tied to the libtorch " +
        "version and to the platform's C++ name mangling (Itanium on Linux and macOS, MSVC on Windows).",
        "Run with mixed precision off (--amp off), or lock a TorchSharp/libtorch pair this version of TorchEnv.Training " +
        "supports (TorchSharp 0.107.0 with libtorch 2.10.0); 'dotnet torchenv doctor' checks the locked libtorch's exports.");

    public static TrainingException LibTorchNotLoaded(string detail) => new(
        "TENV0602",
        $"libtorch_cpu, which holds libtorch's autocast, could not be found among the loaded native libraries ({detail}).",
        "Make sure TorchSharp loads (create any tensor first, e.g. torch.zeros(1)); 'dotnet torchenv doctor' shows why a " +
        "native library does not load.");

    public static TrainingException AutocastUnsupported(string device, string dtype, string why) => new(
        "TENV0603",
        $"Autocast to {dtype} on {device} is not supported: {why}.",
        "Use bf16 or fp16 on cpu, fp16 or bf16 on cuda, or --amp off.");

    public static TrainingException AutocastScopeMisuse(string why) => new(
        "TENV0604",
        $"An autocast scope was closed incorrectly: {why}. libtorch's autocast state is per thread and scopes nest.",
        "Dispose autocast scopes on the thread that entered them, innermost first: " +
        "'using (Autocast.Enter(...)) { ... }' does this for you.");

    public static TrainingException UnscaleTwice() => new(
        "TENV0605",
        "GradScaler.Unscale was called twice for the same optimizer since the last Update().",
        "Call Unscale(optimizer) at most once per step (before gradient clipping), then Step and Update.");

    public static TrainingException StepOrderViolated(string what) => new(
        "TENV0606",
        $"GradScaler: {what}.",
        "Per step call Scale(loss).backward(), optionally Unscale(optimizer), then Step(optimizer) once, then Update().");

    public static TrainingException NoInfChecksRecorded() => new(
        "TENV0607",
        "GradScaler.Update found no inf/NaN checks: Step (or Unscale) was not called for any optimizer since the last " +
        "Update, or no parameter had a gradient.",
        "Call scaler.Step(optimizer) after backward() and before scaler.Update(); check that the loss was scaled " +
        "(scaler.Scale(loss).backward()).");

    public static TrainingException HalfPrecisionGradients(string parameter) => new(
        "TENV0608",
        $"GradScaler cannot unscale float16 gradients (parameter '{parameter}'). Mixed precision keeps the weights in " +
        "float32 and lets autocast lower the precision of single operations.",
        "Keep the model in float32 (do not call model.half()) and use Autocast.Enter(device, ScalarType.Float16).");

    public static TrainingException GradScalerStateInvalid(string what) => new(
        "TENV0609",
        $"GradScaler state or options are invalid: {what}.",
        "Use a positive finite scale, growth factor > 1, backoff factor in (0, 1) and a growth interval >= 1.");

    public static string EmulatedBFloat16Warning(string cpu) =>
        $"warning TENV0610: bf16 autocast on a CPU without native bf16 ({cpu}: no avx512_bf16 or amx_bf16 flag) runs " +
        "bf16 matrix work emulated, many times slower than float32. Fix: use --amp off (or --amp auto, which picks off " +
        "here). Suppress: pass --amp bf16 knowingly; this warning is printed once.";

    // ---- Device: TENV0615–TENV0619 ----------------------------------------------------------------------------

    public static TrainingException CudaUnavailable(string lockedDevice) => new(
        "TENV0615",
        lockedDevice == "cuda"
            ? "--device cuda was asked for, but CUDA is not usable in this process (torch.cuda.is_available() is false): no NVIDIA GPU or driver is visible."
            : $"--device cuda was asked for, but this program is built on the locked {lockedDevice} variant, whose libtorch has no CUDA (torch.cuda.is_available() is false).",
        lockedDevice == "cuda"
            ? "Run with --device cpu, or on a machine where `nvidia-smi` shows a GPU and a driver new enough for the locked CUDA (`dotnet torchenv doctor` checks it)."
            : "Run with --device cpu, or lock a CUDA variant (`cuda=12.8` and `cudnn=9` in environment.yml, or `dotnet new torchenv-train --device cuda`), then `dotnet torchenv lock` and build on a machine with an NVIDIA GPU.")
    {
        ExitCode = TrainingExitCodes.StackCheckFailed,
    };

    // ---- Data loading: TENV0620–TENV0629 ---------------------------------------------------------------------

    public static TrainingException WorkerFailed(int worker, long batch, Exception inner) => new(
        "TENV0620",
        $"Loader worker {worker} failed while building batch {batch}: {inner.GetType().Name}: {inner.Message}",
        "See the inner exception for the cause (usually the dataset's GetTensor or the collate function); the epoch " +
        "was stopped and every prefetched batch released.",
        inner);

    public static TrainingException LoaderOptionInvalid(string option, object? value, string rule) => new(
        "TENV0621",
        $"Data loader option {option} = {value} is invalid: {rule}.",
        $"Set {option} so that {rule}.");

    public static TrainingException EmptyEpoch(long samples, int batchSize) => new(
        "TENV0622",
        $"An epoch has no batches: {samples} samples with batch size {batchSize} and dropLast = true.",
        "Use a smaller batch size, more data, or dropLast = false.");

    public static TrainingException EpochAlreadyRunning() => new(
        "TENV0623",
        "This loader is already delivering an epoch; its workers serve one epoch at a time.",
        "Finish or dispose the previous epoch's enumerator (a foreach loop does this) before starting the next.");

    // ---- Images: TENV0630–TENV0639 ------------------------------------------------------------------------------

    public static TrainingException ImageFolderInvalid(string root, string why) => new(
        "TENV0630",
        $"'{root}' is not an image folder: {why}.",
        "Lay the images out as <root>/<class>/<image>.png (one folder per class, at least one image), or leave --data " +
        "unset to use the bundled data set.");

    public static TrainingException ImageFormatUnsupported(string file, int count) => new(
        "TENV0631",
        $"'{file}' (and {count - 1} more files like it) cannot be decoded: the image decoder reads PNG, JPEG, GIF, BMP " +
        "and WebP, not this format.",
        "Convert the images to PNG or JPEG, or pass an IImageDecoder that reads them to ImageFolderDataset.");

    public static TrainingException ImageCorrupt(string file, string why, Exception? inner = null) => new(
        "TENV0632",
        $"'{file}' is not a readable image: {why}.",
        "Re-save the image (PNG or JPEG), or remove it from the data folder.",
        inner);

    public static TrainingException ImageTooSmall(string file, int width, int height, int crop, int padding) => new(
        "TENV0633",
        padding > 0
            ? $"'{file}' is {width}x{height}: even with {padding} pixels of padding on each side it is smaller than the {crop}x{crop} training crop."
            : $"'{file}' is {width}x{height}, smaller than the {crop}x{crop} crop.",
        $"Crop less (--image-size {Math.Min(width, height) + 2 * padding} or smaller), or resize every image first " +
        $"(--resize {crop}: the shorter side becomes {crop} pixels).");

    public static TrainingException ImageCodecMissing(string file, Exception inner) => new(
        "TENV0634",
        $"'{file}' needs SkiaSharp's native library to be decoded, and it could not be loaded ({inner.GetType().Name}: " +
        $"{(inner.InnerException ?? inner).Message}).",
        "On Linux add SkiaSharp.NativeAssets.Linux.NoDependencies (the version of SkiaSharp that TorchSharp brings, " +
        "2.88.6 for TorchSharp 0.107.0) to environment.yml under nuget: (the template does), then lock and build again.",
        inner);

    public static TrainingException ImageFormatUnknown(string file, ImageFileFormat format, ReadOnlySpan<byte> data) => new(
        "TENV0635",
        format == ImageFileFormat.Unknown
            ? $"'{file}' is not an image this loader reads (PNG, JPEG, GIF, BMP, WebP): {ImageFileFormats.Describe(data)}."
            : $"'{file}' is {format}, which the image decoder in use does not read.",
        "Remove the file from the data folder, re-save it as PNG or JPEG, or pass an IImageDecoder that reads it.");

    public static TrainingException CacheBudgetInvalid(long bytes) => new(
        "TENV0636",
        $"The decoded-image cache budget {bytes} is negative.",
        "Give a budget in bytes of at least 0 (0 turns the cache off; null picks a quarter of the memory).");

    // ---- Profiler: TENV0640–TENV0649 ----------------------------------------------------------------------------

    public static TrainingException ScheduleInvalid(string what) => new(
        "TENV0640",
        $"Profiler schedule is invalid: {what}.",
        "Use wait >= 0, warmup >= 0, active >= 1, repeat >= 0 (0 = repeat until the end), skipFirst >= 0.");

    // ---- Checkpoints: TENV0650–TENV0659 -------------------------------------------------------------------------

    public static TrainingException CheckpointNotFound(string path) => new(
        "TENV0650",
        $"No checkpoint at '{path}' to resume from.",
        "Train once without --resume (a checkpoint is written after every epoch), or point --checkpoint-dir at the " +
        "folder that holds last.ckpt.");

    public static TrainingException CheckpointUnreadable(string path, string why, Exception? inner = null) => new(
        "TENV0651",
        $"'{path}' is not a readable TorchEnv checkpoint: {why}.",
        "Delete it and train from the start, or resume from another checkpoint.",
        inner);

    public static TrainingException CheckpointMismatch(string path, string what, Exception? inner = null) => new(
        "TENV0652",
        $"The checkpoint '{path}' does not fit this program: {what}.",
        "Resume with the same model and optimizer the checkpoint was written with, or train from the start.",
        inner);

    public static TrainingException OptimizerNotSavable(string type) => new(
        "TENV0653",
        $"The optimizer {type} cannot be checkpointed: it does not derive from TorchSharp's OptimizerHelper, which saves optimizer state.",
        "Use one of TorchSharp's optimizers (torch.optim.SGD, Adam, AdamW, …) or derive yours from OptimizerHelper.");

    // ---- Weights for PyTorch (--export-pytorch): TENV0658–TENV0659 ------------------------------------------------

    public static TrainingException PyTorchExportTooLarge(string path, string what) => new(
        "TENV0658",
        $"The PyTorch state dict '{path}' would be too large for the zip format TorchEnv writes: {what}. Nothing was written.",
        "Export a smaller model, or save the weights in parts (PyTorchStateDict.Save with a subset of the entries each).");

    public static TrainingException PyTorchExportUnsupported(string path, string name, string dtype) => new(
        "TENV0659",
        $"'{name}' is a {dtype} tensor, which TorchEnv does not write into a PyTorch state dict ('{path}'). Nothing was written.",
        "Convert it first (e.g. to float32), or leave it out of the entries: float32/64, float16, bfloat16, int8/16/32/64, uint8 and bool are written.");

    // ---- Command line: TENV0660–TENV0669 ------------------------------------------------------------------------

    public static TrainingException UnknownOption(string option, IEnumerable<string> known) => new(
        "TENV0660",
        $"Unknown option '{option}'.",
        $"Use one of: {string.Join(", ", known)} (or --help).")
    {
        ExitCode = TrainingExitCodes.UsageError,
    };

    public static TrainingException OptionValueInvalid(string option, string? value, string expected) => new(
        "TENV0661",
        value is null ? $"Option '{option}' needs a value." : $"Option '{option}' has the invalid value '{value}'.",
        $"Pass {option} {expected}.")
    {
        ExitCode = TrainingExitCodes.UsageError,
    };

    public static TrainingException ResumeConflict(string option, string stored, string given, string checkpoint) => new(
        "TENV0662",
        $"{option} {given} contradicts the checkpoint '{checkpoint}', which was trained with {option} {stored}; resuming with another value would silently change the run.",
        $"Leave {option} out to continue with the checkpoint's {stored}, or train from the start without --resume (another --checkpoint-dir keeps this checkpoint).")
    {
        ExitCode = TrainingExitCodes.UsageError,
    };
}
