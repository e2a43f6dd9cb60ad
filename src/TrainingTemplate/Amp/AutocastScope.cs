using TorchEnv.Training.Diagnostics;
using TorchSharp;

namespace TorchEnv.Training.Amp;

/// <summary>
/// An open autocast region (see <see cref="Autocast"/>). Disposing it restores the state it found, as PyTorch's
/// <c>torch.autocast.__exit__</c> does: decrement libtorch's nesting counter, clear the cast cache when the outermost
/// region closes, then put back the previous enabled flag, dtype and cache setting.
/// </summary>
public sealed class AutocastScope : IDisposable
{
    // The innermost open scope of this thread: libtorch's state is per thread, so is the order check.
    [ThreadStatic]
    private static AutocastScope? t_innermost;

    private readonly AutocastNative? _native;
    private readonly AutocastScope? _outer;
    private readonly int _threadId;
    private readonly bool _previousEnabled;
    private readonly torch.ScalarType _previousDtype;
    private readonly bool _previousCacheEnabled;
    private bool _disposed;

    private AutocastScope()
    {
    }

    private AutocastScope(
        AutocastNative native,
        DeviceType deviceType,
        bool enabled,
        torch.ScalarType dtype,
        bool previousEnabled,
        torch.ScalarType previousDtype,
        bool previousCacheEnabled)
    {
        _native = native;
        DeviceType = deviceType;
        IsEnabled = enabled;
        Dtype = dtype;
        _previousEnabled = previousEnabled;
        _previousDtype = previousDtype;
        _previousCacheEnabled = previousCacheEnabled;
        _threadId = Environment.CurrentManagedThreadId;
        _outer = t_innermost;
    }

    /// <summary>The scope that does nothing (mixed precision off).</summary>
    internal static AutocastScope NoOp { get; } = new();

    /// <summary>The device type this scope changes autocast for.</summary>
    public DeviceType DeviceType { get; }

    /// <summary>Whether autocast is on inside this scope (false for <see cref="Autocast.Suspend"/> and no-op scopes).</summary>
    public bool IsEnabled { get; }

    /// <summary>The precision autocast lowers to inside this scope.</summary>
    public torch.ScalarType Dtype { get; }

    internal static AutocastScope Open(AutocastNative native, DeviceType deviceType, bool enabled, torch.ScalarType dtype, bool cacheEnabled)
    {
        var scope = new AutocastScope(
            native,
            deviceType,
            enabled,
            dtype,
            native.IsEnabled(deviceType),
            native.GetDtype(deviceType),
            native.IsCacheEnabled());

        native.SetEnabled(deviceType, enabled);
        native.SetDtype(deviceType, dtype);
        native.IncrementNesting();
        native.SetCacheEnabled(cacheEnabled);
        t_innermost = scope;
        return scope;
    }

    /// <summary>Closes the region; see the class remarks. Must run on the thread that opened it, innermost first.</summary>
    public void Dispose()
    {
        if (_native is null || _disposed)
        {
            return;
        }

        if (Environment.CurrentManagedThreadId != _threadId)
        {
            throw TrainingMessages.AutocastScopeMisuse(
                $"it was opened on thread {_threadId} and disposed on thread {Environment.CurrentManagedThreadId}");
        }

        if (!ReferenceEquals(t_innermost, this))
        {
            throw TrainingMessages.AutocastScopeMisuse("an inner scope is still open");
        }

        _disposed = true;
        t_innermost = _outer;
        if (_native.DecrementNesting() == 0)
        {
            _native.ClearCache();
        }

        _native.SetEnabled(DeviceType, _previousEnabled);
        _native.SetDtype(DeviceType, _previousDtype);
        _native.SetCacheEnabled(_previousCacheEnabled);
    }
}
