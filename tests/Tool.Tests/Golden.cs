using TorchEnv.TestSupport;

namespace TorchEnv.Tool.Tests;

/// <summary>
/// Golden files for the <c>--json</c> shapes: <c>tests/Tool.Tests/Golden/&lt;name&gt;.json</c>. Temporary paths are scrubbed
/// to <c>&lt;temp&gt;</c> first. Run with <c>TORCHENV_UPDATE_GOLDEN=1</c> to rewrite them after an intended change,
/// then review the diff: a changed property name breaks every script that reads it.
/// </summary>
public static class Golden
{
    public static void AssertMatches(string name, string actual, params (string Value, string Placeholder)[] scrub)
    {
        var scrubbed = actual.Replace("\r\n", "\n");
        foreach (var (value, placeholder) in scrub.OrderByDescending(s => s.Value.Length))
        {
            scrubbed = scrubbed.Replace(value, placeholder);
        }

        var path = Path.Combine(RepositoryRoot.Get(), "tests", "Tool.Tests", "Golden", name + ".json");
        if (Environment.GetEnvironmentVariable("TORCHENV_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, scrubbed);
            return;
        }

        Assert.True(File.Exists(path), $"Missing golden file {path}; run with TORCHENV_UPDATE_GOLDEN=1 to create it. Actual:\n{scrubbed}");
        Assert.Equal(File.ReadAllText(path).Replace("\r\n", "\n"), scrubbed);
    }
}
