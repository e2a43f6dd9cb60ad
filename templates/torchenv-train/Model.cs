using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace TrainingApp1;

/// <summary>
/// A small ResNet for 32×32 images: a 3×3 stem, three stages of residual blocks (the second and third halve the
/// resolution and double the channels), global average pooling and a linear classifier. About 78 000 parameters at
/// the default width of 16 — small enough to learn the bundled data set in about two minutes on two CPU cores;
/// raise the width (<c>--width 32</c> or 64) on a GPU or for your own, harder images.
/// </summary>
/// <remarks>Children are invoked with <c>call()</c> (not <c>forward()</c>) so that the profiler's module hooks see them.</remarks>
public sealed class SmallResNet : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> stem;
    private readonly Module<Tensor, Tensor> stage1;
    private readonly Module<Tensor, Tensor> stage2;
    private readonly Module<Tensor, Tensor> stage3;
    private readonly Module<Tensor, Tensor> pool;
    private readonly Module<Tensor, Tensor> head;

    /// <summary>Creates the network.</summary>
    /// <param name="classes">Number of output classes.</param>
    /// <param name="width">Channels of the first stage (then 2× and 4×).</param>
    public SmallResNet(int classes, int width = 16) : base(nameof(SmallResNet))
    {
        stem = Sequential(Conv2d(3, width, 3, padding: 1, bias: false), BatchNorm2d(width), ReLU());
        stage1 = new ResidualBlock(width, width, stride: 1);
        stage2 = new ResidualBlock(width, 2 * width, stride: 2);
        stage3 = new ResidualBlock(2 * width, 4 * width, stride: 2);
        pool = Sequential(AdaptiveAvgPool2d(1), Flatten());
        head = Linear(4 * width, classes);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        var x = stem.call(images);
        x = stage1.call(x);
        x = stage2.call(x);
        x = stage3.call(x);
        return head.call(pool.call(x)).MoveToOuterDisposeScope();
    }
}

/// <summary>Two 3×3 convolutions with batch norm, added to the input (through a 1×1 projection when the shape changes).</summary>
public sealed class ResidualBlock : Module<Tensor, Tensor>
{
    // `x + y` would pass libtorch an implicit Scalar alpha = 1 that a GC may finalize during the call (TorchSharp PR #1434).
    private static readonly Scalar One = 1.ToScalar();

    private readonly Module<Tensor, Tensor> conv1;
    private readonly Module<Tensor, Tensor> bn1;
    private readonly Module<Tensor, Tensor> conv2;
    private readonly Module<Tensor, Tensor> bn2;
    private readonly Module<Tensor, Tensor> shortcut;

    /// <summary>Creates a block from <paramref name="input"/> to <paramref name="output"/> channels.</summary>
    public ResidualBlock(int input, int output, int stride) : base(nameof(ResidualBlock))
    {
        conv1 = Conv2d(input, output, 3, stride: stride, padding: 1, bias: false);
        bn1 = BatchNorm2d(output);
        conv2 = Conv2d(output, output, 3, padding: 1, bias: false);
        bn2 = BatchNorm2d(output);
        shortcut = stride == 1 && input == output
            ? Identity()
            : Sequential(Conv2d(input, output, 1, stride: stride, bias: false), BatchNorm2d(output));
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = functional.relu(bn1.call(conv1.call(input)));
        x = bn2.call(conv2.call(x));
        return functional.relu(x.add(shortcut.call(input), One)).MoveToOuterDisposeScope();
    }
}
