namespace TorchEnv.Core.Doctor;

/// <summary>
/// The libtorch functions TorchEnv.Training's autocast scope calls through P/Invoke, with their Itanium-mangled names
/// as exported by <c>libtorch_cpu.so</c> (Linux) — the names are tied to the libtorch version, which is what a lock
/// pins, so their presence is checked in the locked binary instead of assumed.
/// </summary>
public static class LibTorchAutocastExports
{
    /// <summary>The mangled names, with the C++ signature each stands for.</summary>
    public static IReadOnlyList<(string Mangled, string Signature)> All { get; } =
    [
        ("_ZN2at8autocast20set_autocast_enabledEN3c1010DeviceTypeEb", "at::autocast::set_autocast_enabled(c10::DeviceType, bool)"),
        ("_ZN2at8autocast19is_autocast_enabledEN3c1010DeviceTypeE", "at::autocast::is_autocast_enabled(c10::DeviceType)"),
        ("_ZN2at8autocast18set_autocast_dtypeEN3c1010DeviceTypeENS1_10ScalarTypeE", "at::autocast::set_autocast_dtype(c10::DeviceType, c10::ScalarType)"),
        ("_ZN2at8autocast18get_autocast_dtypeEN3c1010DeviceTypeE", "at::autocast::get_autocast_dtype(c10::DeviceType)"),
        ("_ZN2at8autocast11clear_cacheEv", "at::autocast::clear_cache()"),
        ("_ZN2at8autocast17increment_nestingEv", "at::autocast::increment_nesting()"),
        ("_ZN2at8autocast17decrement_nestingEv", "at::autocast::decrement_nesting()"),
    ];
}
