using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Sdk.Tasks.CoreServices;
using TorchEnv.Sdk.Tasks.Diagnostics;
using TorchEnv.Sdk.Tasks.Logging;

namespace TorchEnv.Sdk.Tasks;

/// <summary>
/// Base of every TorchEnv task: <see cref="Execute"/> runs <see cref="ExecuteCore"/> and succeeds when no error was
/// logged. A <see cref="TorchEnvException"/> becomes its coded diagnostics (with file and line); any other exception
/// becomes TENV0499 with the stack trace in the detailed log, so a bug never shows as a bare MSBuild crash.
/// </summary>
public abstract class TaskBase : Microsoft.Build.Utilities.Task, ICancelableTask
{
    private readonly CancellationTokenSource _cancellation = new();
    private DiagnosticLogger? _diagnostics;

    /// <summary>Where the tasks reach TorchEnv.Core; tests replace it with a fake.</summary>
    internal ITorchEnvCore Core { get; set; } = TorchEnvCore.Instance;

    /// <summary>Logs Core diagnostics as MSBuild errors, warnings and messages with code and location.</summary>
    internal DiagnosticLogger Diagnostics => _diagnostics ??= new DiagnosticLogger(Log);

    /// <summary>Cancelled when the build is cancelled (Ctrl+C), so that downloads stop.</summary>
    protected CancellationToken CancellationToken => _cancellation.Token;

    /// <inheritdoc />
    public sealed override bool Execute()
    {
        try
        {
            ExecuteCore();
        }
        catch (TorchEnvException e)
        {
            Diagnostics.Report(e.Diagnostics);
        }
        catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
        {
            // MSBuild reports the cancellation itself.
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Diagnostics.Report(SdkDiagnostics.UnexpectedFailure(GetType().Name, e));
            Log.LogMessage(MessageImportance.Low, e.ToString());
        }

        return !Log.HasLoggedErrors;
    }

    /// <inheritdoc />
    public void Cancel() => _cancellation.Cancel();

    /// <summary>The task's work; report problems through <see cref="Diagnostics"/> or by throwing <see cref="TorchEnvException"/>.</summary>
    protected abstract void ExecuteCore();
}
