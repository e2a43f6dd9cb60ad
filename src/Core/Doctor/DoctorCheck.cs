using TorchEnv.Core.Diagnostics;

namespace TorchEnv.Core.Doctor;

/// <summary>The outcome of one doctor check.</summary>
public enum CheckStatus
{
    /// <summary>✓ the host satisfies what the lock needs.</summary>
    Pass,

    /// <summary>✗ it does not; <see cref="DoctorCheck.Fix"/> says what to do.</summary>
    Fail,

    /// <summary>– the check does not apply (a CPU variant has no driver to check, another platform's entry, …).</summary>
    NotApplicable,
}

/// <summary>One row of <c>torchenv doctor</c>'s table.</summary>
/// <param name="Id">Stable id for scripts: <c>dotnet-sdk</c>, <c>host-abi</c>, <c>nvidia-driver</c>, <c>gpu</c>, <c>packages</c>, <c>cudnn</c>, <c>native-load</c>, <c>autocast</c>, <c>packages-folder</c>, <c>temp-folder</c>.</param>
/// <param name="Title">For people, e.g. <c>.NET SDK</c>.</param>
/// <param name="Status">Pass, fail or not applicable.</param>
/// <param name="Found">What the host has.</param>
/// <param name="Needed">What the lock needs.</param>
/// <param name="Fix">What to do when it fails (or why it does not apply); null when it passes.</param>
/// <param name="Details">Extra lines (libraries loaded, files missing), possibly empty.</param>
/// <param name="Diagnostic">The coded error of a failed check (TENV0520–TENV0539), null otherwise.</param>
public sealed record DoctorCheck(
    string Id, string Title, CheckStatus Status, string Found, string Needed, string? Fix, IReadOnlyList<string> Details, Diagnostic? Diagnostic)
{
    /// <summary>✓, ✗ or –.</summary>
    public string Symbol => Status switch
    {
        CheckStatus.Pass => "✓",
        CheckStatus.Fail => "✗",
        _ => "–",
    };

    internal static DoctorCheck Passed(string id, string title, string found, string needed, params string[] details) =>
        new(id, title, CheckStatus.Pass, found, needed, null, details, null);

    internal static DoctorCheck NotApplicable(string id, string title, string why, string needed = "-") =>
        new(id, title, CheckStatus.NotApplicable, "-", needed, why, [], null);

    internal static DoctorCheck Failed(string id, string title, string found, string needed, Diagnostic diagnostic, params string[] details) =>
        new(id, title, CheckStatus.Fail, found, needed, diagnostic.Fix, details, diagnostic);
}

/// <summary>The result of <c>torchenv doctor</c> for one locked variant × platform.</summary>
/// <param name="LockPath">The lock checked.</param>
/// <param name="Variant">The variant.</param>
/// <param name="Platform">The platform of the lock entry.</param>
/// <param name="HostPlatform">This machine's runtime identifier.</param>
/// <param name="Checks">The checks, in a fixed order.</param>
public sealed record DoctorReport(string LockPath, string Variant, string Platform, string HostPlatform, IReadOnlyList<DoctorCheck> Checks)
{
    /// <summary>For <c>--variant auto</c>: the variant chosen and why; null when a variant was named (or the default taken).</summary>
    public Gpu.VariantChoice? Choice { get; init; }

    /// <summary>True when no check failed.</summary>
    public bool Passed => Checks.All(c => c.Status != CheckStatus.Fail);

    /// <summary>The coded errors of the failed checks.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics => Checks.Select(c => c.Diagnostic).OfType<Diagnostic>().ToList();

    /// <summary>The check with this id.</summary>
    public DoctorCheck this[string id] => Checks.Single(c => c.Id == id);
}
