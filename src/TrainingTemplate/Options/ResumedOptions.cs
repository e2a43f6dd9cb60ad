using System.Globalization;
using TorchEnv.Training.Diagnostics;

namespace TorchEnv.Training.Options;

/// <summary>
/// The honest resume: a resumed run continues with the options stored in its checkpoint. An option that changes the
/// run (seed, batch size, schedule, data, model) and was given on the command line with another value is refused
/// (TENV0662, naming the option); one that was not given is taken from the checkpoint, and <see cref="Taken"/> says
/// so. Options that only change where or how the run reports (its end, logging, folders) are free.
/// </summary>
/// <example>
/// <code>
/// var resume = new ResumedOptions(cli.Given, checkpointPath);
/// options = options with { Seed = resume.Keep("--seed", stored.Seed, options.Seed) };
/// Console.WriteLine(resume.Summary());
/// </code>
/// </example>
public sealed class ResumedOptions
{
    private readonly IReadOnlySet<string> _given;
    private readonly string _checkpoint;
    private readonly List<string> _taken = [];

    /// <summary>Starts the comparison.</summary>
    /// <param name="given">The options on the command line (<see cref="CommandLineArguments.Given"/>).</param>
    /// <param name="checkpoint">The checkpoint resumed from, for messages.</param>
    public ResumedOptions(IReadOnlySet<string> given, string checkpoint)
    {
        ArgumentNullException.ThrowIfNull(given);
        ArgumentNullException.ThrowIfNull(checkpoint);
        _given = given;
        _checkpoint = checkpoint;
    }

    /// <summary>The options taken from the checkpoint because the command line's default differed, as <c>--name value</c>.</summary>
    public IReadOnlyList<string> Taken => _taken;

    /// <summary>
    /// The stored value of a run-changing option: throws TENV0662 when <paramref name="option"/> was given with
    /// another value than <paramref name="stored"/>.
    /// </summary>
    public T Keep<T>(string option, T stored, T current)
    {
        if (EqualityComparer<T>.Default.Equals(stored, current))
        {
            return stored;
        }

        if (_given.Contains(option))
        {
            throw TrainingMessages.ResumeConflict(option, Show(stored), Show(current), _checkpoint);
        }

        _taken.Add($"{option} {Show(stored)}");
        return stored;
    }

    /// <summary>The stored value of an option that may change on resume, unless the command line gives one.</summary>
    public T Continue<T>(string option, T stored, T current)
    {
        if (_given.Contains(option) || EqualityComparer<T>.Default.Equals(stored, current))
        {
            return current;
        }

        _taken.Add($"{option} {Show(stored)}");
        return stored;
    }

    /// <summary>One line for the console: which options came from the checkpoint.</summary>
    public string Summary() =>
        _taken.Count == 0
            ? "resume: the command line agrees with the checkpoint's options"
            : $"resume: continuing with the checkpoint's {string.Join(", ", _taken)} (not given on the command line)";

    private static string Show<T>(T value) => value switch
    {
        null => "unset",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "unset",
    };
}
