using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Native;

namespace TorchEnv.Core.Containers;

/// <summary>A candidate base image and what it lacks of a lock's host requirements.</summary>
/// <param name="Reference">Image reference.</param>
/// <param name="Distribution">Its OS.</param>
/// <param name="Lacks">Missing versions (empty for the chosen one).</param>
public sealed record BaseImageCandidate(string Reference, LinuxDistribution Distribution, IReadOnlyList<string> Lacks);

/// <summary>The chosen runtime base image and the candidates passed over before it.</summary>
/// <param name="Chosen">The first candidate that provides every requirement.</param>
/// <param name="Rejected">The candidates before it, each with what it lacks.</param>
public sealed record BaseImageChoice(BaseImageCandidate Chosen, IReadOnlyList<BaseImageCandidate> Rejected);

/// <summary>Chooses the first candidate image whose distribution provides a lock's glibc / libstdc++ requirements.</summary>
public static class BaseImageSelector
{
    /// <summary>
    /// The first of <paramref name="candidates"/> (in order) that provides <paramref name="requirements"/>.
    /// Throws <see cref="TorchEnvException"/> (TENV0561) naming what each candidate lacks when none does.
    /// </summary>
    public static BaseImageChoice Select(HostRequirements requirements, IReadOnlyList<(string Reference, LinuxDistribution Distribution)> candidates, string what)
    {
        ArgumentNullException.ThrowIfNull(requirements);
        ArgumentNullException.ThrowIfNull(candidates);
        var judged = candidates.Select(c => new BaseImageCandidate(c.Reference, c.Distribution, c.Distribution.Lacks(requirements))).ToList();
        var index = judged.FindIndex(c => c.Lacks.Count == 0);
        if (index < 0)
        {
            throw new TorchEnvException(ContainerMessages.NoBaseImage(what, requirements, judged));
        }

        return new BaseImageChoice(judged[index], judged.Take(index).ToList());
    }
}
