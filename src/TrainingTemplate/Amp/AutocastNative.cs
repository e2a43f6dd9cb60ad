using System.Runtime.InteropServices;
using TorchEnv.Shared;
using TorchEnv.Training.Diagnostics;
using TorchSharp;

namespace TorchEnv.Training.Amp;

/// <summary>
/// libtorch's own autocast state (<c>at::autocast</c>), reached through its exported C++ functions. TorchSharp 0.107.0
/// has no binding for them. <c>c10::DeviceType</c> and <c>c10::ScalarType</c> are 1-byte enums passed in registers;
/// <c>bool</c> is one byte; the nesting counters return <c>int64_t</c>. Every symbol is checked before the first call:
/// a missing one is an error naming it, never a guess.
/// </summary>
internal sealed unsafe class AutocastNative
{
    /// <summary>
    /// The names of the exports used, on Windows (MSVC) or elsewhere (Itanium), from the list doctor checks too
    /// (<see cref="LibTorchAutocastExports"/>, linked from src/Shared): the platform's name is chosen, never guessed.
    /// </summary>
    internal static IReadOnlyList<string> Symbols(bool windows) => [.. LibTorchAutocastExports.All.Select(e => e.NameOn(windows))];

    private static readonly Lazy<AutocastNative> s_instance = new(ResolveLoaded, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly delegate* unmanaged<sbyte, byte, void> _setEnabled;
    private readonly delegate* unmanaged<sbyte, byte> _isEnabled;
    private readonly delegate* unmanaged<sbyte, sbyte, void> _setDtype;
    private readonly delegate* unmanaged<sbyte, sbyte> _getDtype;
    private readonly delegate* unmanaged<void> _clearCache;
    private readonly delegate* unmanaged<long> _incrementNesting;
    private readonly delegate* unmanaged<long> _decrementNesting;
    private readonly delegate* unmanaged<byte> _isCacheEnabled;
    private readonly delegate* unmanaged<byte, void> _setCacheEnabled;

    private AutocastNative(IReadOnlyDictionary<LibTorchAutocastExports.Export, IntPtr> exports)
    {
        _setEnabled = (delegate* unmanaged<sbyte, byte, void>)exports[LibTorchAutocastExports.SetEnabled];
        _isEnabled = (delegate* unmanaged<sbyte, byte>)exports[LibTorchAutocastExports.IsEnabled];
        _setDtype = (delegate* unmanaged<sbyte, sbyte, void>)exports[LibTorchAutocastExports.SetDtype];
        _getDtype = (delegate* unmanaged<sbyte, sbyte>)exports[LibTorchAutocastExports.GetDtype];
        _clearCache = (delegate* unmanaged<void>)exports[LibTorchAutocastExports.ClearCache];
        _incrementNesting = (delegate* unmanaged<long>)exports[LibTorchAutocastExports.IncrementNesting];
        _decrementNesting = (delegate* unmanaged<long>)exports[LibTorchAutocastExports.DecrementNesting];
        _isCacheEnabled = (delegate* unmanaged<byte>)exports[LibTorchAutocastExports.IsCacheEnabled];
        _setCacheEnabled = (delegate* unmanaged<byte, void>)exports[LibTorchAutocastExports.SetCacheEnabled];
    }

    /// <summary>The exports of the libtorch_cpu TorchSharp loaded; throws TENV0601/TENV0602 (every time) when unusable.</summary>
    public static AutocastNative Instance => s_instance.Value;

    /// <summary>
    /// Resolves every export through <paramref name="lookup"/> (zero when absent) by its name on Windows
    /// (<paramref name="windows"/>: MSVC) or elsewhere (Itanium), and fails with the first missing one named.
    /// Separate from the loaded library so that both name sets and the missing-symbol path can be tested.
    /// </summary>
    internal static AutocastNative Resolve(Func<string, IntPtr> lookup, string library, string libtorchVersion, bool windows)
    {
        var exports = new Dictionary<LibTorchAutocastExports.Export, IntPtr>();
        foreach (var export in LibTorchAutocastExports.All)
        {
            var symbol = export.NameOn(windows);
            var address = lookup(symbol);
            if (address == IntPtr.Zero)
            {
                throw TrainingMessages.AutocastSymbolMissing(symbol, export.Signature, library, libtorchVersion);
            }

            exports[export] = address;
        }

        return new AutocastNative(exports);
    }

    private static AutocastNative ResolveLoaded()
    {
        var (handle, description) = LibTorchLibrary.Find();
        return Resolve(
            symbol => NativeLibrary.TryGetExport(handle, symbol, out var address) ? address : IntPtr.Zero,
            description,
            torch.__version__,
            OperatingSystem.IsWindows());
    }

    public bool IsEnabled(DeviceType device) => _isEnabled((sbyte)device) != 0;

    public void SetEnabled(DeviceType device, bool enabled) => _setEnabled((sbyte)device, enabled ? (byte)1 : (byte)0);

    public torch.ScalarType GetDtype(DeviceType device) => (torch.ScalarType)_getDtype((sbyte)device);

    public void SetDtype(DeviceType device, torch.ScalarType dtype) => _setDtype((sbyte)device, (sbyte)dtype);

    public bool IsCacheEnabled() => _isCacheEnabled() != 0;

    public void SetCacheEnabled(bool enabled) => _setCacheEnabled(enabled ? (byte)1 : (byte)0);

    public long IncrementNesting() => _incrementNesting();

    public long DecrementNesting() => _decrementNesting();

    public void ClearCache() => _clearCache();
}
