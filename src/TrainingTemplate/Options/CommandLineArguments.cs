using System.Globalization;
using System.Numerics;
using System.Text;
using TorchEnv.Training.Diagnostics;

namespace TorchEnv.Training.Options;

/// <summary>
/// A small reader for a training program's <c>--name value</c> options (also <c>--name=value</c>; flags have no
/// value). Each accessor declares one option with its default and help text, consumes it, and validates it; then
/// <see cref="EnsureAllUsed"/> rejects anything left (TENV0660) and <see cref="Usage"/> prints every declared option.
/// </summary>
/// <example>
/// <code>
/// var cli = new CommandLineArguments(args);
/// var epochs = cli.Int("--epochs", 5, "passes over the training set", min: 1);
/// var profile = cli.Flag("--profile", "write a Chrome trace and a summary");
/// cli.EnsureAllUsed();
/// </code>
/// </example>
public sealed class CommandLineArguments
{
    private readonly List<string?> _tokens;
    private readonly List<(string Name, string Value, string Help)> _declared = [];
    private readonly HashSet<string> _given = new(StringComparer.Ordinal);

    /// <summary>Wraps the program's arguments.</summary>
    public CommandLineArguments(IEnumerable<string> args)
    {
        _tokens = [];
        foreach (var arg in args)
        {
            // --name=value is the same as --name value.
            var equals = arg.StartsWith("--", StringComparison.Ordinal) ? arg.IndexOf('=') : -1;
            if (equals > 2)
            {
                _tokens.Add(arg[..equals]);
                _tokens.Add(arg[(equals + 1)..]);
            }
            else
            {
                _tokens.Add(arg);
            }
        }

        HelpRequested = Take("--help") || Take("-h");
    }

    /// <summary>Whether <c>--help</c> or <c>-h</c> was given.</summary>
    public bool HelpRequested { get; }

    /// <summary>The declared options that were on the command line (a default is not "given"): what a resumed run may not contradict.</summary>
    public IReadOnlySet<string> Given => _given;

    /// <summary>A flag: true when present.</summary>
    public bool Flag(string name, string help)
    {
        _declared.Add((name, "", help));
        return Take(name);
    }

    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public int Int(string name, int defaultValue, string help, int min = int.MinValue, int max = int.MaxValue) =>
        OptionalInt(name, help, min, max, defaultValue.ToString(CultureInfo.InvariantCulture)) ?? defaultValue;

    /// <summary>A whole number, or null when absent.</summary>
    public int? OptionalInt(string name, string help, int min = int.MinValue, int max = int.MaxValue, string defaultText = "unset")
    {
        var text = Value(name, "N", help, defaultText);
        if (text is null)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw TrainingMessages.OptionValueInvalid(name, text, Range("a whole number", min, max));
    }

    /// <summary>A number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public double Double(string name, double defaultValue, string help, double min = double.MinValue, double max = double.MaxValue)
    {
        var text = Value(name, "X", help, defaultValue.ToString(CultureInfo.InvariantCulture));
        if (text is null)
        {
            return defaultValue;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw TrainingMessages.OptionValueInvalid(name, text, Range("a number", min, max));
    }

    /// <summary>
    /// A memory size: <c>auto</c> (or absent) gives null, <c>off</c> or <c>0</c> gives 0, otherwise a number with a
    /// unit <c>KiB</c>, <c>MiB</c>, <c>GiB</c> (also <c>K</c>, <c>M</c>, <c>G</c>, <c>KB</c>, <c>MB</c>, <c>GB</c>, all powers of 1024); a bare number is MiB.
    /// </summary>
    public long? MemorySize(string name, string help, string defaultText = "auto")
    {
        var text = Value(name, "auto|off|SIZE", help, defaultText);
        if (text is null || text.Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (text.Equals("off", StringComparison.OrdinalIgnoreCase))
        {
            return 0;
        }

        var digits = text.TakeWhile(c => char.IsAsciiDigit(c) || c == '.').Count();
        var unit = text[digits..].Trim().ToUpperInvariant();
        long? factor = unit switch
        {
            "" or "M" or "MB" or "MIB" => 1L << 20,
            "K" or "KB" or "KIB" => 1L << 10,
            "G" or "GB" or "GIB" => 1L << 30,
            _ => null,
        };
        return factor is { } f && double.TryParse(text[..digits], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount >= 0
            ? (long)(amount * f)
            : throw TrainingMessages.OptionValueInvalid(name, text, "auto, off, or a size such as 512MiB or 4GiB");
    }

    /// <summary>A text value, or <paramref name="defaultValue"/> when absent.</summary>
    public string? String(string name, string? defaultValue, string help, string valueName = "VALUE") =>
        Value(name, valueName, help, defaultValue ?? "unset") ?? defaultValue;

    /// <summary>One of a fixed set of names, parsed by <paramref name="parse"/> (null = not a valid name).</summary>
    public T Choice<T>(string name, T defaultValue, string defaultName, string help, IReadOnlyList<string> names, Func<string, T?> parse)
        where T : struct
    {
        var text = Value(name, string.Join('|', names), help, defaultName);
        if (text is null)
        {
            return defaultValue;
        }

        return parse(text) ?? throw TrainingMessages.OptionValueInvalid(name, text, "one of " + string.Join(", ", names));
    }

    /// <summary>One of a fixed set of names (compared case-insensitively; returned as listed in <paramref name="names"/>).</summary>
    public string Choice(string name, string defaultValue, string help, IReadOnlyList<string> names)
    {
        var text = Value(name, string.Join('|', names), help, defaultValue);
        if (text is null)
        {
            return defaultValue;
        }

        return names.FirstOrDefault(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase))
            ?? throw TrainingMessages.OptionValueInvalid(name, text, "one of " + string.Join(", ", names));
    }

    /// <summary>Throws TENV0660 for the first argument no accessor consumed.</summary>
    public void EnsureAllUsed()
    {
        var left = _tokens.FirstOrDefault(t => t is not null);
        if (left is not null)
        {
            throw TrainingMessages.UnknownOption(left, _declared.Select(d => d.Name));
        }
    }

    /// <summary>Help text listing every declared option with its default.</summary>
    public string Usage(string program, string description)
    {
        var text = new StringBuilder();
        text.AppendLine(description).AppendLine().AppendLine($"Usage: {program} [options]").AppendLine().AppendLine("Options:");
        foreach (var (name, value, help) in _declared)
        {
            text.AppendLine($"  {name,-18} {help}{(value.Length == 0 ? "" : $" (default: {value})")}");
        }

        text.AppendLine($"  {"--help",-18} show this help");
        return text.ToString();
    }

    private string? Value(string name, string valueName, string help, string defaultText)
    {
        _declared.Add((name, defaultText, help.Replace("VALUE", valueName, StringComparison.Ordinal)));
        var at = _tokens.IndexOf(name);
        if (at < 0)
        {
            return null;
        }

        if (at + 1 >= _tokens.Count || _tokens[at + 1] is not { } value || (value.StartsWith("--", StringComparison.Ordinal) && value.Length > 2))
        {
            throw TrainingMessages.OptionValueInvalid(name, null, valueName);
        }

        _tokens[at] = null;
        _tokens[at + 1] = null;
        _given.Add(name);
        return value;
    }

    private bool Take(string name)
    {
        var at = _tokens.IndexOf(name);
        if (at < 0)
        {
            return false;
        }

        _tokens[at] = null;
        _given.Add(name);
        return true;
    }

    private static string Range<TNumber>(string kind, TNumber min, TNumber max)
        where TNumber : IMinMaxValue<TNumber>, IEquatable<TNumber>, IFormattable
    {
        var c = CultureInfo.InvariantCulture;
        var hasMin = !min.Equals(TNumber.MinValue);
        var hasMax = !max.Equals(TNumber.MaxValue);
        return (hasMin, hasMax) switch
        {
            (true, true) => $"{kind} from {min.ToString(null, c)} to {max.ToString(null, c)}",
            (true, false) => $"{kind} >= {min.ToString(null, c)}",
            (false, true) => $"{kind} <= {max.ToString(null, c)}",
            _ => kind,
        };
    }
}
