namespace TorchEnv.Shared;

/// <summary>
/// The libtorch functions TorchEnv.Training's autocast scope calls (<c>at::autocast</c>, libtorch 2.10.0) and the names
/// they are exported under. One list for the two places that need it and cannot reference each other: TorchEnv.Core's
/// doctor checks that the locked libtorch has them, TorchEnv.Training resolves them to call them. This file is linked
/// into both projects (each compiles its own internal copy); a test in Training.Tests checks that the two agree.
/// </summary>
/// <remarks>
/// The names depend on the C++ ABI: Itanium mangling in <c>libtorch_cpu.so</c> (Linux) and
/// <c>libtorch_cpu.dylib</c> (macOS), MSVC decoration in <c>torch_cpu.dll</c> (Windows; read from the PE export table
/// of <c>libtorch-cpu-win-x64</c> 2.10.0). Both ABIs' names sit side by side so that a platform's name is chosen, not
/// guessed. The names are tied to the libtorch version, which is what a lock pins: check them, never assume them.
/// </remarks>
internal static class LibTorchAutocastExports
{
    public static readonly Export SetEnabled = new(
        "at::autocast::set_autocast_enabled(c10::DeviceType, bool)",
        "_ZN2at8autocast20set_autocast_enabledEN3c1010DeviceTypeEb",
        "?set_autocast_enabled@autocast@at@@YAXW4DeviceType@c10@@_N@Z");

    public static readonly Export IsEnabled = new(
        "at::autocast::is_autocast_enabled(c10::DeviceType)",
        "_ZN2at8autocast19is_autocast_enabledEN3c1010DeviceTypeE",
        "?is_autocast_enabled@autocast@at@@YA_NW4DeviceType@c10@@@Z");

    public static readonly Export SetDtype = new(
        "at::autocast::set_autocast_dtype(c10::DeviceType, c10::ScalarType)",
        "_ZN2at8autocast18set_autocast_dtypeEN3c1010DeviceTypeENS1_10ScalarTypeE",
        "?set_autocast_dtype@autocast@at@@YAXW4DeviceType@c10@@W4ScalarType@4@@Z");

    public static readonly Export GetDtype = new(
        "at::autocast::get_autocast_dtype(c10::DeviceType)",
        "_ZN2at8autocast18get_autocast_dtypeEN3c1010DeviceTypeE",
        "?get_autocast_dtype@autocast@at@@YA?AW4ScalarType@c10@@W4DeviceType@4@@Z");

    public static readonly Export ClearCache = new(
        "at::autocast::clear_cache()",
        "_ZN2at8autocast11clear_cacheEv",
        "?clear_cache@autocast@at@@YAXXZ");

    public static readonly Export IncrementNesting = new(
        "at::autocast::increment_nesting()",
        "_ZN2at8autocast17increment_nestingEv",
        "?increment_nesting@autocast@at@@YAHXZ");

    public static readonly Export DecrementNesting = new(
        "at::autocast::decrement_nesting()",
        "_ZN2at8autocast17decrement_nestingEv",
        "?decrement_nesting@autocast@at@@YAHXZ");

    public static readonly Export IsCacheEnabled = new(
        "at::autocast::is_autocast_cache_enabled()",
        "_ZN2at8autocast25is_autocast_cache_enabledEv",
        "?is_autocast_cache_enabled@autocast@at@@YA_NXZ");

    public static readonly Export SetCacheEnabled = new(
        "at::autocast::set_autocast_cache_enabled(bool)",
        "_ZN2at8autocast26set_autocast_cache_enabledEb",
        "?set_autocast_cache_enabled@autocast@at@@YAX_N@Z");

    /// <summary>Every export, in the order above.</summary>
    public static IReadOnlyList<Export> All { get; } =
    [
        SetEnabled, IsEnabled, SetDtype, GetDtype, ClearCache, IncrementNesting, DecrementNesting, IsCacheEnabled, SetCacheEnabled,
    ];

    /// <summary>One exported function: its C++ signature and its name under each ABI.</summary>
    /// <param name="Signature">The C++ declaration, for people.</param>
    /// <param name="Itanium">The Itanium-mangled name (Linux, macOS).</param>
    /// <param name="Msvc">The MSVC-decorated name (Windows).</param>
    public sealed record Export(string Signature, string Itanium, string Msvc)
    {
        /// <summary>The name a Windows (<paramref name="windows"/>: MSVC) or any other build (Itanium) of libtorch exports.</summary>
        public string NameOn(bool windows) => windows ? Msvc : Itanium;
    }

    /// <summary>
    /// True when a runtime identifier (<c>win-x64</c>, <c>linux-x64</c>, …) names Windows, whose libtorch exports the
    /// MSVC names.
    /// </summary>
    public static bool IsWindows(string rid) => rid.StartsWith("win", StringComparison.OrdinalIgnoreCase);
}
