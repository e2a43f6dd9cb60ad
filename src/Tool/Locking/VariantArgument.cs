using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Gpu;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Native;
using TorchEnv.Tool.Cli;

namespace TorchEnv.Tool.Locking;

/// <summary><c>--variant auto</c>: Core's <see cref="AutoVariant"/> on this machine's GPUs (or the test hook's report), said on stderr.</summary>
internal static class VariantArgument
{
    /// <summary>What <c>auto</c> means, for the help of every <c>--variant</c> option.</summary>
    public const string AutoHelp = "auto: the CUDA variant when this machine's NVIDIA driver and GPU can run it, else cpu";

    /// <summary>
    /// <paramref name="variant"/> as given, or for <c>auto</c> the variant Core chooses among the entries of
    /// <paramref name="platform"/> (null: this machine's) — printing which and why.
    /// </summary>
    /// <exception cref="TorchEnvException">TENV0507 when the lock has no entry for the platform; TENV0381 for a bad test-hook report.</exception>
    public static string? Resolve(CommandContext context, EnvironmentLock lockFile, string? variant, string? platform)
    {
        if (!AutoVariant.IsAuto(variant))
        {
            return variant;
        }

        var target = platform ?? HostPlatform.Current;
        var choice = AutoVariant.Choose(lockFile, target, HostPlatform.Current, Detector(context))
            ?? throw new TorchEnvException(ToolMessages.UnknownEnvironment("platform", target, [.. lockFile.Environments.Select(e => e.Platform).Distinct()]));
        Say(context, choice);
        return choice.Variant;
    }

    /// <summary>Prints which variant <c>--variant auto</c> chose and why (stderr).</summary>
    public static void Say(CommandContext context, VariantChoice choice) =>
        context.Log($"--variant auto chose '{choice.Variant}': {choice.Reason}.");

    /// <summary>This machine's GPUs, or the report file the host's <c>TORCHENV_GPU_REPORT</c> names.</summary>
    public static IGpuDetector Detector(CommandContext context) =>
        GpuDetection.ForThisMachine(variable: context.Host.GetEnvironmentVariable(GpuDetection.ReportVariable) ?? "");
}
