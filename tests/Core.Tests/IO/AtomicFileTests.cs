using TorchEnv.Core.IO;
using TorchEnv.TestSupport;

namespace TorchEnv.Core.Tests.IO;

public sealed class AtomicFileTests : IDisposable
{
    private readonly TempDirectory _temp = new("torchenv-atomic");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_failing_writer_leaves_the_target_as_it_was_and_no_temporary_file()
    {
        var target = _temp.WriteFile("out/file.txt", "old");

        Assert.Throws<IOException>(() => AtomicFile.Write<int>(target, temporary =>
        {
            File.WriteAllText(temporary, "half");
            throw new IOException("disk full");
        }));

        Assert.Equal("old", File.ReadAllText(target));
        Assert.Equal(["file.txt"], Directory.GetFiles(_temp.Combine("out")).Select(Path.GetFileName));
    }

    [Fact]
    public void The_writer_fills_a_file_beside_the_target_which_then_replaces_it()
    {
        var target = _temp.WriteFile("out/file.txt", "old");

        var folder = AtomicFile.Write(target, temporary =>
        {
            File.WriteAllText(temporary, "new");
            return Path.GetDirectoryName(temporary);
        });

        Assert.Equal(_temp.Combine("out"), folder);
        Assert.Equal("new", File.ReadAllText(target));
        Assert.Equal(["file.txt"], Directory.GetFiles(_temp.Combine("out")).Select(Path.GetFileName));
    }

    [Fact]
    public void Text_is_written_as_UTF8_without_BOM_and_rewritten_only_when_it_changed()
    {
        var target = _temp.Combine("new-folder", "environment.yml");

        AtomicFile.WriteText(target, "name: é\n");
        var first = File.GetLastWriteTimeUtc(target);
        File.SetLastWriteTimeUtc(target, first.AddHours(-1));

        Assert.Equal("name: é\n"u8.ToArray(), File.ReadAllBytes(target));
        Assert.False(AtomicFile.WriteIfChanged(target, "name: é\n"));
        Assert.Equal(first.AddHours(-1), File.GetLastWriteTimeUtc(target));
        Assert.True(AtomicFile.WriteIfChanged(target, "name: e\n"));
        Assert.Equal("name: e\n", File.ReadAllText(target));
    }
}
