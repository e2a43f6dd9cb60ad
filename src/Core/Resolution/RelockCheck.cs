using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Spec;
using TorchEnv.Core.Stack;

namespace TorchEnv.Core.Resolution;

/// <summary>
/// The full check of a lock: the offline findings of <see cref="LockChecker"/>, then "would change" (TENV0240): it
/// locks again with the lock as preference (network only for what is not installed) and compares the text. It lives
/// here, above the lock model, because it resolves.
/// </summary>
public static class RelockCheck
{
    /// <summary>
    /// Reads the lock at <paramref name="lockPath"/> and returns every finding: reader errors, the offline
    /// <see cref="LockService.Check"/> (with the installed packages), and — when those found no error and <paramref name="reResolve"/> is set — TENV0240 if locking
    /// again (keeping every locked version that still satisfies its constraints) would change the file. Resolution
    /// errors during that step are returned as findings too. Nothing is written.
    /// </summary>
    public static async Task<IReadOnlyList<Diagnostic>> CheckAsync(
        EnvironmentSpec spec,
        IReadOnlyList<StackPlan> plans,
        string lockPath,
        LockOptions? options = null,
        bool reResolve = true,
        CancellationToken cancellationToken = default)
    {
        options ??= new LockOptions();
        EnvironmentLock? lockFile = null;
        if (File.Exists(lockPath))
        {
            try
            {
                lockFile = LockFileReader.Read(lockPath);
            }
            catch (TorchEnvException ex)
            {
                return ex.Diagnostics;
            }
        }

        List<Diagnostic> findings;
        try
        {
            findings = new LockService(spec, plans, lockPath, options).Check(lockFile, checkInstalled: true).ToList();
        }
        catch (TorchEnvException ex)
        {
            return ex.Diagnostics; // e.g. a channel that names no source
        }

        if (lockFile is null || !reResolve || findings.Any(f => f.Severity == DiagnosticSeverity.Error))
        {
            return findings;
        }

        try
        {
            var relocked = await EnvironmentLocker.LockAsync(spec, plans, lockFile, options with { Update = LockUpdate.None }, cancellationToken)
                .ConfigureAwait(false);
            if (LockFileWriter.Serialize(relocked with { ToolVersion = lockFile.ToolVersion }) != LockFileWriter.Serialize(lockFile))
            {
                var changes = LockDiff.Compare(lockFile, relocked).SelectMany(d => d.Describe()).ToList();
                findings.Add(LockMessages.WouldChange(lockPath, changes.Count > 0 ? changes : ["the file's layout (it was not written by this torchenv)"]));
            }
        }
        catch (TorchEnvException ex)
        {
            findings.AddRange(ex.Diagnostics);
        }

        return findings;
    }
}
