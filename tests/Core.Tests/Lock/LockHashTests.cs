using TorchEnv.Core.Lock;
using TorchEnv.TestSupport;

namespace TorchEnv.Core.Tests.Lock;

/// <summary>The lock identity the generated TorchEnvironment.LockHash and the Dockerfile label both state.</summary>
public sealed class LockHashTests
{
    [Fact]
    public void A_lock_file_and_its_text_have_the_same_identity_the_sha256sum_of_the_bytes()
    {
        using var temp = new TempDirectory("torchenv-lockhash");
        var path = temp.WriteFile("environment.lock.yml", "abc");

        Assert.Equal("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", LockHash.OfFile(path));
        Assert.Equal(LockHash.OfFile(path), LockHash.OfText("abc"));
    }
}
