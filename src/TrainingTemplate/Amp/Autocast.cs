using TorchEnv.Training.Diagnostics;
using TorchSharp;

namespace TorchEnv.Training.Amp;

/// <summary>
/// Automatic mixed precision over libtorch's own autocast: inside a scope, libtorch runs each operation in the
/// precision its autocast policy lists for it (matrix products and convolutions in bf16/fp16, reductions and losses in
/// float32) while the weights stay float32. The C# counterpart of PyTorch's <c>with torch.autocast(device, dtype):</c>.
/// </summary>
/// <example>
/// <code>
/// using (Autocast.Enter(device, ScalarType.BFloat16))
/// {
///     var loss = lossFunction.call(model.call(input), target);   // matmuls/convs in bf16, loss in float32
/// }
/// loss.backward();   // outside the scope, as in PyTorch
/// </code>
/// </example>
/// <remarks>
/// libtorch's autocast state is per thread: enter and dispose a scope on the same thread, innermost first. Nested
/// scopes behave as PyTorch's: each saves the previous state, the outermost exit clears the cast cache.
/// </remarks>
public static class Autocast
{
    /// <summary>Opens an autocast scope on <paramref name="device"/>'s type.</summary>
    /// <param name="device">The device the model runs on (CPU or CUDA).</param>
    /// <param name="dtype">The lower precision: <see cref="torch.ScalarType.BFloat16"/> (CPU or CUDA) or <see cref="torch.ScalarType.Float16"/>.</param>
    /// <param name="enabled">False gives a scope that does nothing (not even look for libtorch's exports), for <c>--amp off</c>.</param>
    /// <param name="cacheEnabled">Cache the low-precision copies of weights inside the outermost scope (PyTorch's default).</param>
    public static AutocastScope Enter(torch.Device device, torch.ScalarType dtype, bool enabled = true, bool cacheEnabled = true) =>
        Enter(device.type, dtype, enabled, cacheEnabled);

    /// <summary>Opens an autocast scope for a device type.</summary>
    /// <inheritdoc cref="Enter(torch.Device, torch.ScalarType, bool, bool)" />
    public static AutocastScope Enter(DeviceType deviceType, torch.ScalarType dtype, bool enabled = true, bool cacheEnabled = true)
    {
        if (!enabled)
        {
            return AutocastScope.NoOp;
        }

        CheckSupported(deviceType, dtype);
        return AutocastScope.Open(AutocastNative.Instance, deviceType, enabled: true, dtype, cacheEnabled);
    }

    /// <summary>Opens the scope a <see cref="MixedPrecisionPlan"/> asks for: autocast to its dtype, or nothing when the plan is off.</summary>
    public static AutocastScope Enter(torch.Device device, MixedPrecisionPlan plan) =>
        plan.Dtype is { } dtype ? Enter(device.type, dtype) : AutocastScope.NoOp;

    /// <summary>
    /// Turns autocast off for a region inside an autocast scope (PyTorch's nested <c>torch.autocast(enabled=False)</c>),
    /// e.g. for an operation that must run in float32. Restores the outer state when disposed.
    /// </summary>
    public static AutocastScope Suspend(DeviceType deviceType)
    {
        CheckDevice(deviceType);
        var native = AutocastNative.Instance;
        return AutocastScope.Open(native, deviceType, enabled: false, native.GetDtype(deviceType), native.IsCacheEnabled());
    }

    /// <summary>Whether autocast is on for <paramref name="deviceType"/> on this thread.</summary>
    public static bool IsEnabled(DeviceType deviceType) => AutocastNative.Instance.IsEnabled(deviceType);

    /// <summary>The precision autocast lowers to on <paramref name="deviceType"/> on this thread.</summary>
    public static torch.ScalarType GetDtype(DeviceType deviceType) => AutocastNative.Instance.GetDtype(deviceType);

    /// <summary>
    /// Checks that libtorch's autocast exports are present in the loaded libtorch; throws TENV0601 naming the first
    /// missing symbol (other libtorch version, Windows' MSVC name mangling) or TENV0602 when libtorch is not loaded.
    /// </summary>
    public static void EnsureAvailable() => _ = AutocastNative.Instance;

    private static void CheckSupported(DeviceType deviceType, torch.ScalarType dtype)
    {
        CheckDevice(deviceType);
        if (dtype is not (torch.ScalarType.BFloat16 or torch.ScalarType.Float16))
        {
            throw TrainingMessages.AutocastUnsupported(
                deviceType.ToString(), dtype.ToString(), "autocast lowers float32 work to BFloat16 or Float16 only");
        }
    }

    private static void CheckDevice(DeviceType deviceType)
    {
        if (deviceType is not (DeviceType.CPU or DeviceType.CUDA))
        {
            throw TrainingMessages.AutocastUnsupported(
                deviceType.ToString(), "any dtype", "TorchEnv.Training drives libtorch's CPU and CUDA autocast only");
        }
    }
}
