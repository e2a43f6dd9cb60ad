using TorchSharp;
using static TorchSharp.torch;

namespace TorchEnv.Training.Optimizers;

/// <summary>
/// AdamW (Adam with decoupled weight decay, PyTorch's <c>torch.optim.AdamW</c>) with the update of TorchSharp's
/// <c>optim.AdamW</c> — same defaults, parameter groups, state and checkpoint format (it derives from it) — but
/// every <see cref="Scalar"/> it passes to libtorch is created explicitly and disposed after the call.
/// </summary>
/// <remarks>
/// TorchSharp 0.107.0's own step converts numbers implicitly (<c>mul_(beta1)</c>, <c>add_(grad, alpha: 1 - beta1)</c>):
/// those temporary Scalars are unreachable while libtorch reads them, so a garbage collection during the native call
/// lets their finalizers free them — a use-after-free that aborts training with "Unknown scalar type"
/// (dotnet/TorchSharp PR #1434). Drop-in: <c>new AdamW(model.parameters(), lr, weightDecay: 0.01)</c>.
/// </remarks>
public sealed class AdamW : TorchSharp.Modules.AdamW
{
    /// <summary>Creates the optimizer over one parameter group.</summary>
    /// <param name="parameters">The parameters to optimize.</param>
    /// <param name="lr">Learning rate.</param>
    /// <param name="beta1">Decay of the running average of the gradient.</param>
    /// <param name="beta2">Decay of the running average of the squared gradient.</param>
    /// <param name="eps">Added to the denominator for numerical stability.</param>
    /// <param name="weightDecay">Decoupled weight decay: each step multiplies the parameters by <c>1 - lr * weightDecay</c>.</param>
    /// <param name="amsgrad">Use the AMSGrad variant (the maximum of past squared-gradient averages).</param>
    /// <param name="maximize">Maximize the objective instead of minimizing it.</param>
    public AdamW(
        IEnumerable<TorchSharp.Modules.Parameter> parameters,
        double lr = 1e-3,
        double beta1 = 0.9,
        double beta2 = 0.999,
        double eps = 1e-8,
        double weightDecay = 0,
        bool amsgrad = false,
        bool maximize = false)
        : base(parameters, lr, beta1, beta2, eps, weightDecay, amsgrad, maximize)
    {
    }

    /// <summary>Creates the optimizer over several parameter groups, each with its own options.</summary>
    /// <inheritdoc cref="AdamW(IEnumerable{TorchSharp.Modules.Parameter}, double, double, double, double, double, bool, bool)" />
    public AdamW(
        IEnumerable<ParamGroup> parameters,
        double lr = 1e-3,
        double beta1 = 0.9,
        double beta2 = 0.999,
        double eps = 1e-8,
        double weightDecay = 0,
        bool amsgrad = false,
        bool maximize = false)
        : base(parameters, lr, beta1, beta2, eps, weightDecay, amsgrad, maximize)
    {
    }

    /// <summary>Performs one optimization step (the update of PyTorch's single-tensor AdamW).</summary>
    /// <param name="closure">Re-evaluates the model and returns the loss; optional.</param>
    /// <returns>The closure's loss, or null without a closure.</returns>
    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(StepGroup, closure);

    private void StepGroup(ParamGroup group)
    {
        var options = (Options)group.Options;
        var lr = options.LearningRate!.Value;
        var beta1 = options.beta1!.Value;
        var beta2 = options.beta2!.Value;
        var amsgrad = options.amsgrad!.Value;
        var maximize = options.maximize!.Value;

        // `using` keeps each Scalar reachable until the end of the group, i.e. after every native call that reads it.
        using var decay = (1 - lr * options.weight_decay!.Value).ToScalar();
        using var beta1Scalar = beta1.ToScalar();
        using var beta2Scalar = beta2.ToScalar();
        using var oneMinusBeta1 = (1 - beta1).ToScalar();
        using var oneMinusBeta2 = (1 - beta2).ToScalar();
        using var eps = options.eps!.Value.ToScalar();
        using var one = 1.ToScalar();
        foreach (var parameter in group.Parameters)
        {
            var grad = parameter.grad;
            if (grad is null)
            {
                continue;
            }

            if (maximize)
            {
                grad = grad.neg();
            }

            var state = (State)_state[parameter.Handle];
            state.step += 1;
            parameter.mul_(decay);

            var biasCorrection1 = 1 - Math.Pow(beta1, state.step);
            var biasCorrection2 = 1 - Math.Pow(beta2, state.step);
            using var biasCorrection2Sqrt = Math.Sqrt(biasCorrection2).ToScalar();
            using var negativeStepSize = (-lr / biasCorrection1).ToScalar();

            state.exp_avg.mul_(beta1Scalar).add_(grad, oneMinusBeta1);
            state.exp_avg_sq.mul_(beta2Scalar).addcmul_(grad, grad, oneMinusBeta2);

            Tensor denom;
            if (amsgrad)
            {
                var previous = state.max_exp_avg_sq;
                state.max_exp_avg_sq = maximum(previous, state.exp_avg_sq).DetachFromDisposeScope();
                previous.Dispose();
                denom = state.max_exp_avg_sq.sqrt().div_(biasCorrection2Sqrt).add_(eps, one);
            }
            else
            {
                denom = state.exp_avg_sq.sqrt().div_(biasCorrection2Sqrt).add_(eps, one);
            }

            parameter.addcdiv_(state.exp_avg, denom, negativeStepSize);
        }
    }
}
