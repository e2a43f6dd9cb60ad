using System.Diagnostics;
using System.Globalization;

namespace TorchEnv.Training.Logging;

/// <summary>
/// The console progress line of a training run: epoch, step, loss, samples/s and ETA. In a terminal one line is
/// redrawn in place (carriage return) at most four times a second; when the output is redirected (CI logs, files)
/// a plain new line is written whenever a new loss value arrives (the program's log interval) and at least every
/// <c>redirectedInterval</c> — no carriage returns, no flicker, no escape codes.
/// </summary>
public sealed class ProgressReporter
{
    private readonly TextWriter _output;
    private readonly Func<TimeSpan> _clock;
    private readonly TimeSpan _interval;
    private TimeSpan? _lastReport;
    private TimeSpan _windowStart;
    private long _windowSamples;
    private long _windowSteps;
    private double _samplesPerSecond;
    private double _secondsPerStep;
    private int _lineLength;

    /// <summary>Creates a reporter.</summary>
    /// <param name="output">Where to write; the console by default.</param>
    /// <param name="interactive">Redraw one line in place; by default when the console output is not redirected.</param>
    /// <param name="redirectedInterval">Time between lines when not interactive (default 10 s).</param>
    /// <param name="clock">Elapsed time since start (for tests); a stopwatch by default.</param>
    public ProgressReporter(TextWriter? output = null, bool? interactive = null, TimeSpan? redirectedInterval = null, Func<TimeSpan>? clock = null)
    {
        _output = output ?? Console.Out;
        IsInteractive = interactive ?? (output is null && !Console.IsOutputRedirected);
        _interval = IsInteractive ? TimeSpan.FromMilliseconds(250) : redirectedInterval ?? TimeSpan.FromSeconds(10);
        if (clock is null)
        {
            var stopwatch = Stopwatch.StartNew();
            clock = () => stopwatch.Elapsed;
        }

        _clock = clock;
        _windowStart = _clock();
    }

    /// <summary>Whether the line is redrawn in place.</summary>
    public bool IsInteractive { get; }

    /// <summary>Samples per second over the last reporting window (0 before the first report).</summary>
    public double SamplesPerSecond => _samplesPerSecond;

    /// <summary>Counts one step and shows the progress when the interval has passed (or when <paramref name="force"/>).</summary>
    /// <param name="epoch">0-based epoch.</param>
    /// <param name="epochs">Epochs in the run.</param>
    /// <param name="step">Steps done (1-based after the first step).</param>
    /// <param name="totalSteps">Steps the run will take.</param>
    /// <param name="samples">Samples in this step.</param>
    /// <param name="loss">The latest loss, when read (null keeps the last shown).</param>
    /// <param name="force">Report now regardless of the interval.</param>
    public void Step(int epoch, int epochs, long step, long totalSteps, int samples, float? loss = null, bool force = false)
    {
        _windowSamples += samples;
        _windowSteps++;
        if (loss is { } value)
        {
            LastLoss = value;
        }

        var now = _clock();
        var newLossInLog = loss is not null && !IsInteractive;
        if (!force && !newLossInLog && _lastReport is { } last && now - last < _interval)
        {
            return;
        }

        var window = (now - _windowStart).TotalSeconds;
        if (window > 0 && _windowSteps > 0)
        {
            _samplesPerSecond = _windowSamples / window;
            _secondsPerStep = window / _windowSteps;
        }

        _windowStart = now;
        _windowSamples = 0;
        _windowSteps = 0;
        _lastReport = now;
        var eta = TimeSpan.FromSeconds(Math.Max(0, totalSteps - step) * _secondsPerStep);
        var c = CultureInfo.InvariantCulture;
        var line = string.Create(c,
            $"epoch {epoch + 1}/{epochs}  step {step}/{totalSteps}  loss {(LastLoss is { } l ? l.ToString("F4", c) : "-")}  {_samplesPerSecond:F1} samples/s  ETA {(int)eta.TotalMinutes:D2}:{eta.Seconds:D2}");
        Write(line);
    }

    /// <summary>The last loss passed to <see cref="Step"/>.</summary>
    public float? LastLoss { get; private set; }

    /// <summary>Writes a message on its own line (ending the in-place progress line first).</summary>
    public void WriteLine(string message)
    {
        if (IsInteractive && _lineLength > 0)
        {
            _output.WriteLine();
            _lineLength = 0;
        }

        _output.WriteLine(message);
        _output.Flush();
    }

    private void Write(string line)
    {
        if (IsInteractive)
        {
            // Pad over the previous line so that a shorter line leaves no characters behind.
            _output.Write("\r" + line.PadRight(_lineLength));
            _lineLength = line.Length;
        }
        else
        {
            _output.WriteLine(line);
        }

        _output.Flush();
    }
}
