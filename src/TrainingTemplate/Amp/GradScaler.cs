using TorchEnv.Training.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchEnv.Training.Amp;

/// <summary>
/// Loss scaling for float16 mixed precision, with the semantics of PyTorch's <c>torch.amp.GradScaler</c>: the loss is
/// multiplied by a large scale so that small fp16 gradients do not flush to zero; before the optimizer step the
/// gradients are divided back; a step whose gradients contain inf/NaN is skipped and the scale shrinks; after
/// <c>growthInterval</c> clean steps in a row it grows again.
/// </summary>
/// <example>
/// <code>
/// scaler.Scale(loss).backward();
/// scaler.Unscale(optimizer);          // optional: only when clipping gradients
/// scaler.Step(optimizer);             // skipped when a gradient is inf/NaN
/// scaler.Update();
/// </code>
/// </example>
/// <remarks>
/// Needed for fp16 only: bf16 has float32's exponent range (<see cref="MixedPrecisionPlan.UsesGradScaler"/>).
/// A disabled scaler passes everything through, so one training loop serves every precision.
/// The scale is kept in float32 like PyTorch's; one host synchronisation per step reads the inf/NaN flag.
/// </remarks>
public sealed class GradScaler
{
    private readonly Dictionary<optim.Optimizer, OptimizerStage> _stages = new(ReferenceEqualityComparer.Instance);
    private float _scale;
    private double _growthFactor;
    private double _backoffFactor;
    private int _growthInterval;
    private int _growthTracker;

    /// <summary>Creates a scaler (PyTorch's defaults).</summary>
    /// <param name="enabled">False makes every method a pass-through (bf16 or float32 training).</param>
    /// <param name="initScale">Initial scale, 2^16.</param>
    /// <param name="growthFactor">Factor applied after <paramref name="growthInterval"/> clean steps (&gt; 1).</param>
    /// <param name="backoffFactor">Factor applied after a step with inf/NaN gradients (in (0, 1)).</param>
    /// <param name="growthInterval">Clean steps in a row before the scale grows (&gt;= 1).</param>
    public GradScaler(
        bool enabled = true,
        double initScale = 65536.0,
        double growthFactor = 2.0,
        double backoffFactor = 0.5,
        int growthInterval = 2000)
    {
        IsEnabled = enabled;
        Apply(new GradScalerState(initScale, growthFactor, backoffFactor, growthInterval, 0));
    }

    private enum Stage
    {
        Ready,
        Unscaled,
        Stepped,
    }

    /// <summary>False when the scaler passes everything through.</summary>
    public bool IsEnabled { get; }

    /// <summary>Clean steps in a row since the scale last changed.</summary>
    public int GrowthTracker => _growthTracker;

    /// <summary>The current scale (1 when disabled, as PyTorch's <c>get_scale()</c>).</summary>
    public double GetScale() => IsEnabled ? _scale : 1.0;

    /// <summary>Multiplies the loss by the current scale; returns <paramref name="loss"/> itself when disabled.</summary>
    public Tensor Scale(Tensor loss)
    {
        if (!IsEnabled)
        {
            return loss;
        }

        // An explicit Scalar, disposed after the native call: an implicit one may be finalized during it (TorchSharp PR #1434).
        using var scale = _scale.ToScalar();
        return loss.mul(scale);
    }

    /// <summary>
    /// Divides <paramref name="optimizer"/>'s gradients by the scale in place and records whether any is inf/NaN.
    /// Call it at most once per step, only when the true gradients are needed before the step (clipping); otherwise
    /// <see cref="Step"/> calls it.
    /// </summary>
    public void Unscale(optim.Optimizer optimizer)
    {
        if (!IsEnabled)
        {
            return;
        }

        var stage = StageOf(optimizer);
        if (stage.Current == Stage.Unscaled)
        {
            throw TrainingMessages.UnscaleTwice();
        }

        if (stage.Current == Stage.Stepped)
        {
            throw TrainingMessages.StepOrderViolated("Unscale was called after Step; call Update() first");
        }

        // PyTorch computes the reciprocal in double and rounds it to float32.
        using var inverse = ((float)(1.0 / _scale)).ToScalar();   // explicit and disposed: see Scale
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor? found = null;
        var index = 0;
        foreach (var parameter in optimizer.parameters())
        {
            var grad = parameter.grad;
            index++;
            if (grad is null)
            {
                continue;
            }

            if (grad.dtype == ScalarType.Float16)
            {
                throw TrainingMessages.HalfPrecisionGradients(parameter.name ?? $"#{index}");
            }

            grad.mul_(inverse);
            var nonFinite = grad.isfinite().logical_not().any();
            found = found is null ? nonFinite : found.logical_or(nonFinite);
            stage.Checks++;
        }

        stage.FoundInf?.Dispose();
        stage.FoundInf = found?.DetachFromDisposeScope();
        stage.Current = Stage.Unscaled;
    }

    /// <summary>
    /// Unscales (if not done yet) and runs <paramref name="optimizer"/>'s step unless a gradient is inf/NaN.
    /// </summary>
    /// <returns>True when the optimizer stepped, false when the step was skipped.</returns>
    public bool Step(optim.Optimizer optimizer)
    {
        if (!IsEnabled)
        {
            optimizer.step()?.Dispose();
            return true;
        }

        var stage = StageOf(optimizer);
        if (stage.Current == Stage.Stepped)
        {
            throw TrainingMessages.StepOrderViolated("Step was called twice for one optimizer since the last Update()");
        }

        if (stage.Current == Stage.Ready)
        {
            Unscale(optimizer);
        }

        if (stage.Checks == 0 || stage.FoundInf is null)
        {
            throw TrainingMessages.NoInfChecksRecorded();
        }

        // The one host synchronisation of the step (PyTorch's step() reads found_inf the same way).
        var foundInf = stage.FoundInf.item<bool>();
        stage.FoundInfValue = foundInf;
        stage.Current = Stage.Stepped;
        if (foundInf)
        {
            return false;
        }

        optimizer.step()?.Dispose();
        return true;
    }

    /// <summary>
    /// Adjusts the scale for the next step: times the backoff factor when this step found inf/NaN gradients, times
    /// the growth factor after <c>growthInterval</c> clean steps in a row. Call once per step, after every Step.
    /// </summary>
    /// <param name="newScale">Sets the scale directly instead (must be positive and finite).</param>
    public void Update(double? newScale = null)
    {
        if (!IsEnabled)
        {
            return;
        }

        try
        {
            if (newScale is { } explicitScale)
            {
                if (!(explicitScale > 0) || !double.IsFinite(explicitScale))
                {
                    throw TrainingMessages.GradScalerStateInvalid($"new scale {explicitScale}");
                }

                _scale = (float)explicitScale;
                return;
            }

            var checkedStages = _stages.Values.Where(s => s.Current != Stage.Ready && s.FoundInf is not null).ToList();
            if (checkedStages.Count == 0)
            {
                throw TrainingMessages.NoInfChecksRecorded();
            }

            var foundInf = checkedStages.Any(s => s.FoundInfValue ?? s.FoundInf!.item<bool>());
            AdvanceScale(foundInf);
        }
        finally
        {
            ResetStages();
        }
    }

    /// <summary>The scaler's state, for checkpoints.</summary>
    public GradScalerState StateDict() => new(_scale, _growthFactor, _backoffFactor, _growthInterval, _growthTracker);

    /// <summary>Restores a state from <see cref="StateDict"/>; throws TENV0609 when a value is out of range.</summary>
    public void LoadStateDict(GradScalerState state)
    {
        Apply(state);
        ResetStages();
    }

    // The update rule of libtorch's _amp_update_scale_ (aten/src/ATen/native/cpu/AmpGradScalerKernels.cpp).
    private void AdvanceScale(bool foundInf)
    {
        if (foundInf)
        {
            _scale = (float)(_scale * _backoffFactor);
            _growthTracker = 0;
            return;
        }

        var successful = _growthTracker + 1;
        if (successful == _growthInterval)
        {
            var grown = (float)(_scale * _growthFactor);
            if (float.IsFinite(grown))
            {
                _scale = grown;
            }

            _growthTracker = 0;
        }
        else
        {
            _growthTracker = successful;
        }
    }

    private void Apply(GradScalerState state)
    {
        if (!(state.Scale > 0) || !double.IsFinite(state.Scale))
        {
            throw TrainingMessages.GradScalerStateInvalid($"scale {state.Scale}");
        }

        if (!(state.GrowthFactor > 1) || !double.IsFinite(state.GrowthFactor))
        {
            throw TrainingMessages.GradScalerStateInvalid($"growth factor {state.GrowthFactor}");
        }

        if (!(state.BackoffFactor > 0 && state.BackoffFactor < 1))
        {
            throw TrainingMessages.GradScalerStateInvalid($"backoff factor {state.BackoffFactor}");
        }

        if (state.GrowthInterval < 1 || state.GrowthTracker < 0 || state.GrowthTracker >= state.GrowthInterval)
        {
            throw TrainingMessages.GradScalerStateInvalid(
                $"growth interval {state.GrowthInterval} with growth tracker {state.GrowthTracker}");
        }

        _scale = (float)state.Scale;
        _growthFactor = state.GrowthFactor;
        _backoffFactor = state.BackoffFactor;
        _growthInterval = state.GrowthInterval;
        _growthTracker = state.GrowthTracker;
    }

    private OptimizerStage StageOf(optim.Optimizer optimizer)
    {
        if (!_stages.TryGetValue(optimizer, out var stage))
        {
            stage = new OptimizerStage();
            _stages[optimizer] = stage;
        }

        return stage;
    }

    private void ResetStages()
    {
        foreach (var stage in _stages.Values)
        {
            stage.FoundInf?.Dispose();
        }

        _stages.Clear();
    }

    private sealed class OptimizerStage
    {
        public Stage Current { get; set; } = Stage.Ready;

        public Tensor? FoundInf { get; set; }

        public bool? FoundInfValue { get; set; }

        public int Checks { get; set; }
    }
}
