using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Spec;
using TorchEnv.Core.Stack;

namespace TorchEnv.Core.Tests.Spec;

/// <summary>
/// Robustness: a spec with a few random characters inserted, deleted or replaced either reads and plans, or fails with
/// coded diagnostics that have a location and a fix — never with another exception (YamlDotNet's own included).
/// </summary>
public sealed class MutatedSpecTests
{
    private const string Alphabet = "abc:-[]{}&*!|>,'\"\n \t#=.0123456789~?%@`\\";

    [Fact]
    public void Random_edits_of_a_valid_spec_fail_only_with_coded_diagnostics()
    {
        var random = new Random(20251125);
        var failures = 0;
        var malformed = new List<string>();
        for (var i = 0; i < 1000; i++)
        {
            var text = Mutate(SpecTestFiles.CpuAndCudaVariants, random);
            try
            {
                StackPlanner.PlanAll(EnvironmentSpecReader.Parse(text, SpecTestFiles.FileName));
            }
            catch (TorchEnvException ex)
            {
                failures++;
                malformed.AddRange(ex.Diagnostics
                    .Where(d => d.Code.Length != 8 || !d.Code.StartsWith("TENV", StringComparison.Ordinal)
                        || d.Location is not { Line: >= 1, Column: >= 1 } || string.IsNullOrWhiteSpace(d.Fix))
                    .Select(d => $"{d}\n{text}"));
            }
        }

        Assert.Empty(malformed);

        // Most edits break something; if none did, the mutations would not be exercising the reader.
        Assert.InRange(failures, 500, 999);
    }

    private static string Mutate(string text, Random random)
    {
        var chars = text.ToList();
        for (var edits = random.Next(1, 4); edits > 0; edits--)
        {
            var at = random.Next(chars.Count);
            switch (random.Next(3))
            {
                case 0:
                    chars.RemoveAt(at);
                    break;
                case 1:
                    chars.Insert(at, Alphabet[random.Next(Alphabet.Length)]);
                    break;
                default:
                    chars[at] = Alphabet[random.Next(Alphabet.Length)];
                    break;
            }
        }

        return new string(chars.ToArray());
    }
}
