using System.Text;

namespace TorchEnv.Core.Tests.Resolution.Mutation;

/// <summary>
/// Seeded random edits of a lock's bytes, the kinds a hand edit, a bad merge or a broken tool makes: 1–3 of byte flips
/// (one bit), deletions (1–8 bytes), duplications (1–40 bytes, the copy right after the original) and YAML punctuation
/// (one character put in or over another).
/// </summary>
internal sealed class LockMutator(int seed)
{
    private const string Punctuation = ":-\"'#[]{},&*!|>%@? \n\t";

    private readonly Random _random = new(seed);

    /// <summary>One mutant of <paramref name="original"/> and what was done, for the failure message.</summary>
    public (byte[] Bytes, string Description) Mutate(byte[] original)
    {
        var bytes = new List<byte>(original);
        var done = new List<string>();
        for (var edits = _random.Next(1, 4); edits > 0 && bytes.Count > 0; edits--)
        {
            var at = _random.Next(bytes.Count);
            switch (_random.Next(4))
            {
                case 0:
                    var bit = _random.Next(8);
                    bytes[at] ^= (byte)(1 << bit);
                    done.Add($"flip bit {bit} at {at}");
                    break;
                case 1:
                    var length = Math.Min(_random.Next(1, 9), bytes.Count - at);
                    bytes.RemoveRange(at, length);
                    done.Add($"delete {length} at {at}");
                    break;
                case 2:
                    var span = bytes.GetRange(at, Math.Min(_random.Next(1, 41), bytes.Count - at));
                    bytes.InsertRange(at + span.Count, span);
                    done.Add($"duplicate {span.Count} at {at}");
                    break;
                default:
                    var mark = (byte)Punctuation[_random.Next(Punctuation.Length)];
                    var insert = _random.Next(2) == 0;
                    if (insert)
                    {
                        bytes.Insert(at, mark);
                    }
                    else
                    {
                        bytes[at] = mark;
                    }

                    done.Add($"{(insert ? "insert" : "put")} '{Escape(mark)}' at {at}");
                    break;
            }
        }

        return (bytes.ToArray(), string.Join(", ", done));
    }

    private static string Escape(byte mark) => mark switch
    {
        (byte)'\n' => "\\n",
        (byte)'\t' => "\\t",
        _ => Encoding.ASCII.GetString([mark]),
    };
}
