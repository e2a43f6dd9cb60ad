using TorchEnv.Training.Diagnostics;
using TorchEnv.Training.Hardware;
using TorchSharp;

namespace TorchEnv.Training.Amp;

/// <summary>
/// The mixed-precision set-up for one run: which dtype autocast lowers to (none when off), whether a
/// <see cref="GradScaler"/> is needed (fp16 only), and why — decided once from the device and the user's
/// <see cref="AmpMode"/>.
/// </summary>
/// <param name="Requested">What the user asked for.</param>
/// <param name="Dtype">The autocast dtype, or null when mixed precision is off.</param>
/// <param name="UsesGradScaler">True for fp16, whose narrow exponent range needs loss scaling.</param>
/// <param name="Reason">One sentence for the start-up log.</param>
/// <param name="Warning">A coded warning to print (e.g. TENV0610, bf16 emulated on this CPU), or null.</param>
public sealed record MixedPrecisionPlan(
    AmpMode Requested,
    torch.ScalarType? Dtype,
    bool UsesGradScaler,
    string Reason,
    string? Warning)
{
    /// <summary>True when autocast is on.</summary>
    public bool Enabled => Dtype is not null;

    /// <summary>Short name of the effective precision: <c>bf16</c>, <c>fp16</c> or <c>off</c>.</summary>
    public string EffectiveName => Dtype switch
    {
        torch.ScalarType.BFloat16 => "bf16",
        torch.ScalarType.Float16 => "fp16",
        _ => "off",
    };

    /// <summary>Decides the plan for <paramref name="device"/>.</summary>
    /// <param name="device">Where the model runs.</param>
    /// <param name="requested">The user's choice.</param>
    /// <param name="cpu">The host CPU (defaults to this machine's); decides whether bf16 is native.</param>
    public static MixedPrecisionPlan Resolve(torch.Device device, AmpMode requested, CpuInfo? cpu = null)
    {
        cpu ??= CpuInfo.Current;
        var onCuda = device.type == DeviceType.CUDA;
        if (device.type is not (DeviceType.CPU or DeviceType.CUDA))
        {
            return requested is AmpMode.Auto or AmpMode.Off
                ? Off(requested, $"mixed precision off: autocast is driven on CPU and CUDA only, not {device.type}")
                : throw TrainingMessages.AutocastUnsupported(device.type.ToString(), AmpModeNames.ToName(requested), "only CPU and CUDA are supported");
        }

        return requested switch
        {
            AmpMode.Off => Off(requested, "mixed precision off (--amp off): float32 throughout"),
            AmpMode.Float16 => new(requested, torch.ScalarType.Float16, true,
                "fp16 autocast with a GradScaler (float16's narrow exponent range needs loss scaling)", null),
            AmpMode.BFloat16 => new(requested, torch.ScalarType.BFloat16, false,
                "bf16 autocast (no loss scaling needed)",
                onCuda || cpu.HasNativeBFloat16 ? null : TrainingMessages.EmulatedBFloat16Warning(cpu.ModelName)),
            _ when onCuda => new(requested, torch.ScalarType.Float16, true,
                "auto: fp16 autocast with a GradScaler on CUDA (tensor cores)", null),
            _ when cpu.HasNativeBFloat16 => new(requested, torch.ScalarType.BFloat16, false,
                $"auto: bf16 autocast, this CPU computes bf16 natively ({BFloat16Flag(cpu)})", null),
            _ => Off(requested,
                $"auto: mixed precision off, this CPU ({cpu.ModelName}) has no native bf16 (avx512_bf16/amx_bf16), " +
                "so float32 is faster"),
        };
    }

    private static MixedPrecisionPlan Off(AmpMode requested, string reason) => new(requested, null, false, reason, null);

    private static string BFloat16Flag(CpuInfo cpu) => cpu.Flags.Contains("amx_bf16") ? "amx_bf16" : "avx512_bf16";
}
