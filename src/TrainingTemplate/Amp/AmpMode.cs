namespace TorchEnv.Training.Amp;

/// <summary>What the user asked for on the command line (<c>--amp</c>).</summary>
public enum AmpMode
{
    /// <summary>Pick for the device: fp16 + GradScaler on CUDA; bf16 on a CPU with native bf16; otherwise off.</summary>
    Auto,

    /// <summary>Autocast to bfloat16 (float32's exponent range: no loss scaling needed).</summary>
    BFloat16,

    /// <summary>Autocast to float16, with a <see cref="GradScaler"/> against gradient underflow.</summary>
    Float16,

    /// <summary>Everything in float32.</summary>
    Off,
}

/// <summary>The command-line names of <see cref="AmpMode"/>: <c>auto</c>, <c>bf16</c>, <c>fp16</c>, <c>off</c>.</summary>
public static class AmpModeNames
{
    /// <summary>The accepted names, in the order help texts list them.</summary>
    public static IReadOnlyList<string> All { get; } = ["auto", "bf16", "fp16", "off"];

    /// <summary>Parses a name (case-insensitive); null when it is not one of <see cref="All"/>.</summary>
    public static AmpMode? TryParse(string text) => text.ToLowerInvariant() switch
    {
        "auto" => AmpMode.Auto,
        "bf16" or "bfloat16" => AmpMode.BFloat16,
        "fp16" or "float16" or "half" => AmpMode.Float16,
        "off" or "fp32" or "none" => AmpMode.Off,
        _ => null,
    };

    /// <summary>The command-line name of a mode.</summary>
    public static string ToName(AmpMode mode) => mode switch
    {
        AmpMode.Auto => "auto",
        AmpMode.BFloat16 => "bf16",
        AmpMode.Float16 => "fp16",
        _ => "off",
    };
}
