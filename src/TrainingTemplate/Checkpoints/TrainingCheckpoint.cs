using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using TorchEnv.Training.Amp;
using TorchEnv.Training.Diagnostics;
using TorchEnv.Training.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchEnv.Training.Checkpoints;

/// <summary>
/// One file with everything a run needs to continue exactly: model (parameters and buffers such as batch-norm
/// statistics), optimizer state (TorchSharp's own format: momentum buffers, Adam moments, hyper-parameters), GradScaler
/// state, progress (epoch, step, batch within the epoch), the loader's seed, the state of torch's default random
/// generator, and the run's options as JSON. Written atomically (temporary file + rename).
/// </summary>
/// <remarks>
/// Layout: magic <c>TENVCKPT</c>, format version, metadata JSON, options JSON, progress, loader seed, scaler state,
/// RNG state, then the model and optimizer sections (each length-prefixed), then the end marker <c>TENVEND!</c> —
/// a truncated file is detected. CUDA generator states are not saved (TorchSharp 0.107.0 does not expose them).
/// </remarks>
public sealed class TrainingCheckpoint
{
    private const int FormatVersion = 1;
    private static readonly byte[] s_magic = "TENVCKPT"u8.ToArray();
    private static readonly byte[] s_end = "TENVEND!"u8.ToArray();
    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = false,
        Converters = { new JsonStringEnumConverter() },
    };

    private TrainingCheckpoint(TrainingProgress progress, long loaderSeed, string optionsJson, string libTorchVersion, DateTimeOffset created)
    {
        Progress = progress;
        LoaderSeed = loaderSeed;
        OptionsJson = optionsJson;
        LibTorchVersion = libTorchVersion;
        Created = created;
    }

    /// <summary>Where training stood.</summary>
    public TrainingProgress Progress { get; }

    /// <summary>The data loader's seed; with <see cref="TrainingProgress.Epoch"/> it fixes the order of the epoch to continue.</summary>
    public long LoaderSeed { get; }

    /// <summary>The run's options as JSON.</summary>
    public string OptionsJson { get; }

    /// <summary>The libtorch version that wrote the checkpoint.</summary>
    public string LibTorchVersion { get; }

    /// <summary>When it was written (UTC).</summary>
    public DateTimeOffset Created { get; }

    /// <summary>The run's options, deserialised.</summary>
    public TOptions? Options<TOptions>() => JsonSerializer.Deserialize<TOptions>(OptionsJson, s_json);

    /// <summary>Writes a checkpoint to <paramref name="path"/> atomically.</summary>
    public static void Save<TOptions>(
        string path,
        nn.Module model,
        optim.Optimizer optimizer,
        GradScaler? scaler,
        TrainingProgress progress,
        long loaderSeed,
        TOptions options)
    {
        // Serialise everything before touching the file system, so a failure leaves the previous checkpoint as it was.
        var optionsJson = JsonSerializer.Serialize(options, s_json);
        var modelBytes = Section(writer => model.save(writer));
        var optimizerBytes = Section(Savable(optimizer).save_state_dict);
        byte[] rng;
        using (var state = random.get_rng_state())
        {
            rng = state.data<byte>().ToArray();
        }

        var metadata = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["libtorch"] = __version__,
            ["created"] = DateTimeOffset.UtcNow.ToString("O"),
            ["model"] = model.GetType().FullName ?? model.GetType().Name,
            ["optimizer"] = optimizer.GetType().Name,
        });

        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            writer.Write(s_magic);
            writer.Write(FormatVersion);
            writer.Write(metadata);
            writer.Write(optionsJson);
            writer.Write(progress.Epoch);
            writer.Write(progress.GlobalStep);
            writer.Write(progress.BatchInEpoch);
            writer.Write(progress.SamplesSeen);
            writer.Write(loaderSeed);
            var scalerState = scaler?.StateDict();
            writer.Write(scalerState is not null);
            if (scalerState is not null)
            {
                writer.Write(scalerState.Scale);
                writer.Write(scalerState.GrowthFactor);
                writer.Write(scalerState.BackoffFactor);
                writer.Write(scalerState.GrowthInterval);
                writer.Write(scalerState.GrowthTracker);
            }

            writer.Write(rng.Length);
            writer.Write(rng);
            writer.Write(modelBytes.LongLength);
            writer.Write(modelBytes);
            writer.Write(optimizerBytes.LongLength);
            writer.Write(optimizerBytes);
            writer.Write(s_end);
        });
    }

    /// <summary>
    /// Reads <paramref name="path"/> into <paramref name="model"/>, <paramref name="optimizer"/> and
    /// <paramref name="scaler"/>, and restores torch's default random generator. Throws TENV0650 (missing),
    /// TENV0651 (unreadable) or TENV0652 (written for another model or optimizer).
    /// </summary>
    public static TrainingCheckpoint Load(string path, nn.Module model, optim.Optimizer optimizer, GradScaler? scaler)
    {
        if (!File.Exists(path))
        {
            throw TrainingMessages.CheckpointNotFound(Path.GetFullPath(path));
        }

        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            var (metadata, optionsJson) = ReadHeader(reader, path);
            var progress = new TrainingProgress(reader.ReadInt32(), reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt64());
            var loaderSeed = reader.ReadInt64();
            GradScalerState? scalerState = null;
            if (reader.ReadBoolean())
            {
                scalerState = new GradScalerState(reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadInt32(), reader.ReadInt32());
            }

            var rng = reader.ReadBytes(reader.ReadInt32());
            var modelBytes = ReadSection(reader, path);
            var optimizerBytes = ReadSection(reader, path);
            if (!reader.ReadBytes(s_end.Length).AsSpan().SequenceEqual(s_end))
            {
                throw TrainingMessages.CheckpointUnreadable(path, "the end marker is missing (the file is truncated or was not written by TorchEnv)");
            }

            LoadSection(modelBytes, r => model.load(r, strict: true), path, "the model's parameters differ");
            LoadSection(optimizerBytes, Savable(optimizer).load_state_dict, path, "the optimizer type or its parameter groups differ");
            if (scalerState is not null)
            {
                scaler?.LoadStateDict(scalerState);
            }

            using (var state = tensor(rng))
            {
                random.set_rng_state(state);
            }

            var created = metadata.TryGetValue("created", out var text) && DateTimeOffset.TryParse(text, out var at) ? at : DateTimeOffset.MinValue;
            return new TrainingCheckpoint(progress, loaderSeed, optionsJson, metadata.GetValueOrDefault("libtorch", "?"), created);
        }
        catch (EndOfStreamException ex)
        {
            throw TrainingMessages.CheckpointUnreadable(path, "it ends early (truncated)", ex);
        }
        catch (JsonException ex)
        {
            throw TrainingMessages.CheckpointUnreadable(path, "its metadata is not valid JSON", ex);
        }
    }

    /// <summary>
    /// The options stored in the checkpoint at <paramref name="path"/>, read without loading any tensor: a program
    /// compares them with its command line before it builds the data and the model they describe. Throws TENV0650 or
    /// TENV0651 as <see cref="Load"/> does.
    /// </summary>
    public static TOptions ReadOptions<TOptions>(string path)
    {
        if (!File.Exists(path))
        {
            throw TrainingMessages.CheckpointNotFound(Path.GetFullPath(path));
        }

        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            var (_, optionsJson) = ReadHeader(reader, path);
            return JsonSerializer.Deserialize<TOptions>(optionsJson, s_json)
                ?? throw TrainingMessages.CheckpointUnreadable(path, "its options are empty");
        }
        catch (EndOfStreamException ex)
        {
            throw TrainingMessages.CheckpointUnreadable(path, "it ends early (truncated)", ex);
        }
        catch (JsonException ex)
        {
            throw TrainingMessages.CheckpointUnreadable(path, "its options are not valid JSON", ex);
        }
    }

    private static (Dictionary<string, string> Metadata, string OptionsJson) ReadHeader(BinaryReader reader, string path)
    {
        if (!reader.ReadBytes(s_magic.Length).AsSpan().SequenceEqual(s_magic))
        {
            throw TrainingMessages.CheckpointUnreadable(path, "it does not start with the TorchEnv checkpoint marker");
        }

        var version = reader.ReadInt32();
        if (version != FormatVersion)
        {
            throw TrainingMessages.CheckpointUnreadable(path, $"format version {version} is not {FormatVersion}, the one this TorchEnv.Training reads");
        }

        var metadata = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.ReadString()) ?? [];
        return (metadata, reader.ReadString());
    }

    // TorchSharp's optimizers (SGD, Adam, AdamW, …) derive from OptimizerHelper, which holds the state I/O.
    private static TorchSharp.Modules.OptimizerHelper Savable(optim.Optimizer optimizer) =>
        optimizer as TorchSharp.Modules.OptimizerHelper ?? throw TrainingMessages.OptimizerNotSavable(optimizer.GetType().Name);

    private static byte[] Section(Action<BinaryWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            write(writer);
        }

        return buffer.ToArray();
    }

    private static byte[] ReadSection(BinaryReader reader, string path)
    {
        var length = reader.ReadInt64();
        if (length < 0 || length > reader.BaseStream.Length - reader.BaseStream.Position)
        {
            throw TrainingMessages.CheckpointUnreadable(path, "a section is longer than the file (truncated)");
        }

        return reader.ReadBytes((int)length);
    }

    private static void LoadSection(byte[] bytes, Action<BinaryReader> load, string path, string what)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes, writable: false), Encoding.UTF8);
        try
        {
            load(reader);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidDataException or InvalidOperationException or EndOfStreamException)
        {
            throw TrainingMessages.CheckpointMismatch(path, $"{what} ({ex.Message})", ex);
        }
    }
}
