using TorchEnv.Core.Lock;
using TorchEnv.Core.Resolution;
using TorchEnv.Core.Stack;

namespace TorchEnv.Core.Tests.Resolution;

/// <summary>
/// A CUDA lock of <see cref="CudaFeedFixture"/>'s packages for linux-x64 (host needs from the ELF files, the NVIDIA
/// driver, CUDA and cuDNN found in the parts) and win-x64, locked once with every package installed in the fixture's
/// global packages folder: what the checks recompute <c>host:</c> and <c>stack:</c> from.
/// </summary>
public sealed class CudaLockFixture : IAsyncLifetime
{
    public CudaFeedFixture Feed { get; } = new();

    public IReadOnlyList<StackPlan> Plans { get; } = [CudaFeedFixture.Plan("linux-x64"), CudaFeedFixture.Plan("win-x64")];

    public EnvironmentLock Lock { get; private set; } = null!;

    public string LockText => LockFileWriter.Serialize(Lock);

    /// <summary>A service over the fixture's spec and plans for a lock at <paramref name="lockPath"/>, checking the fixture's packages.</summary>
    public LockService Service(string lockPath, string? packagesFolder = null) =>
        new(Feed.Spec(), Plans, lockPath, Feed.Options(packagesFolder));

    /// <summary>Writes <paramref name="text"/> as a lock file in a scratch folder and returns its path.</summary>
    public string WriteLock(string text)
    {
        var path = Path.Combine(Feed.Scratch("lock"), LockFileWriter.DefaultFileName);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public async Task InitializeAsync() => Lock = await EnvironmentLocker.LockAsync(Feed.Spec(), Plans, previous: null, Feed.Options());

    public Task DisposeAsync()
    {
        Feed.Dispose();
        return Task.CompletedTask;
    }
}
