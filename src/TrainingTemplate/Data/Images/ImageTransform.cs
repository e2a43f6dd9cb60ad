using TorchEnv.Training.Diagnostics;

namespace TorchEnv.Training.Data.Images;

/// <summary>
/// What happens to a decoded image before it becomes a tensor, in managed code on the loader's workers: optional
/// resize (shorter side), zero padding + random crop (or centre crop), random horizontal flip, then per-channel
/// normalisation into a float32 <c>[3, size, size]</c> array.
/// </summary>
public sealed record ImageTransform
{
    /// <summary>ImageNet's channel means, the usual default for natural images.</summary>
    public static readonly float[] ImageNetMean = [0.485f, 0.456f, 0.406f];

    /// <summary>ImageNet's channel standard deviations.</summary>
    public static readonly float[] ImageNetStd = [0.229f, 0.224f, 0.225f];

    /// <summary>Side of the square output.</summary>
    public required int Size { get; init; }

    /// <summary>Resize so that the shorter side equals this (bilinear) before cropping; null keeps the image's size.</summary>
    public int? ResizeShorterSide { get; init; }

    /// <summary>Zero padding added on every side before a random crop (4 for 32-pixel images, as for CIFAR).</summary>
    public int Padding { get; init; }

    /// <summary>Crop at a random position (training) rather than in the centre (evaluation).</summary>
    public bool RandomCrop { get; init; }

    /// <summary>Mirror left-right with probability 1/2.</summary>
    public bool HorizontalFlip { get; init; }

    /// <summary>Per-channel mean subtracted (on the 0–1 scale).</summary>
    public float[] Mean { get; init; } = ImageNetMean;

    /// <summary>Per-channel standard deviation divided by.</summary>
    public float[] Std { get; init; } = ImageNetStd;

    /// <summary>The usual training augmentation: pad, random crop and flip at <paramref name="size"/>.</summary>
    public static ImageTransform Train(int size, int padding = 4, int? resizeShorterSide = null) => new()
    {
        Size = size,
        Padding = padding,
        RandomCrop = true,
        HorizontalFlip = true,
        ResizeShorterSide = resizeShorterSide,
    };

    /// <summary>Evaluation: centre crop at <paramref name="size"/>, no randomness.</summary>
    public static ImageTransform Evaluate(int size, int? resizeShorterSide = null) => new()
    {
        Size = size,
        ResizeShorterSide = resizeShorterSide,
    };

    /// <summary>Applies the transform; <paramref name="random"/> drives the crop position and flip (unused when not random).</summary>
    /// <param name="image">The decoded image.</param>
    /// <param name="random">Per-sample generator (see <see cref="LoaderWorkerInfo.RandomFor"/>).</param>
    /// <param name="path">The file, for error messages.</param>
    /// <returns>Channels × Size × Size floats, channel-major.</returns>
    public float[] Apply(DecodedImage image, ref SplitMix64 random, string path)
    {
        if (ResizeShorterSide is { } side && Math.Min(image.Width, image.Height) != side)
        {
            image = Resize(image, side);
        }

        var padding = RandomCrop ? Padding : 0;
        var spanX = image.Width + 2 * padding - Size;
        var spanY = image.Height + 2 * padding - Size;
        if (spanX < 0 || spanY < 0)
        {
            throw TrainingMessages.ImageTooSmall(path, image.Width, image.Height, Size);
        }

        int left, top;
        if (RandomCrop)
        {
            left = random.NextInt(0, spanX + 1) - padding;
            top = random.NextInt(0, spanY + 1) - padding;
        }
        else
        {
            left = spanX / 2;
            top = spanY / 2;
        }

        var flip = HorizontalFlip && random.NextDouble() < 0.5;
        var plane = Size * Size;
        var output = new float[3 * plane];
        Span<float> scale = [1f / (255f * Std[0]), 1f / (255f * Std[1]), 1f / (255f * Std[2])];
        Span<float> shift = [-Mean[0] / Std[0], -Mean[1] / Std[1], -Mean[2] / Std[2]];
        for (var y = 0; y < Size; y++)
        {
            var sourceY = top + y;
            var rowInside = sourceY >= 0 && sourceY < image.Height;
            for (var x = 0; x < Size; x++)
            {
                var sourceX = left + (flip ? Size - 1 - x : x);
                var at = y * Size + x;
                if (rowInside && sourceX >= 0 && sourceX < image.Width)
                {
                    var pixel = (sourceY * image.Width + sourceX) * 3;
                    output[at] = image.Rgb[pixel] * scale[0] + shift[0];
                    output[plane + at] = image.Rgb[pixel + 1] * scale[1] + shift[1];
                    output[2 * plane + at] = image.Rgb[pixel + 2] * scale[2] + shift[2];
                }
                else
                {
                    output[at] = shift[0];
                    output[plane + at] = shift[1];
                    output[2 * plane + at] = shift[2];
                }
            }
        }

        return output;
    }

    // Bilinear resize (pixel centres aligned, as PIL and torchvision do without antialiasing).
    private static DecodedImage Resize(DecodedImage image, int shorterSide)
    {
        var factor = (double)shorterSide / Math.Min(image.Width, image.Height);
        var width = Math.Max(1, (int)Math.Round(image.Width * factor));
        var height = Math.Max(1, (int)Math.Round(image.Height * factor));
        var rgb = new byte[width * height * 3];
        var sx = (double)image.Width / width;
        var sy = (double)image.Height / height;
        for (var y = 0; y < height; y++)
        {
            var fy = Math.Clamp((y + 0.5) * sy - 0.5, 0, image.Height - 1);
            var y0 = (int)fy;
            var y1 = Math.Min(y0 + 1, image.Height - 1);
            var wy = fy - y0;
            for (var x = 0; x < width; x++)
            {
                var fx = Math.Clamp((x + 0.5) * sx - 0.5, 0, image.Width - 1);
                var x0 = (int)fx;
                var x1 = Math.Min(x0 + 1, image.Width - 1);
                var wx = fx - x0;
                for (var c = 0; c < 3; c++)
                {
                    var top = image.Rgb[(y0 * image.Width + x0) * 3 + c] * (1 - wx) + image.Rgb[(y0 * image.Width + x1) * 3 + c] * wx;
                    var bottom = image.Rgb[(y1 * image.Width + x0) * 3 + c] * (1 - wx) + image.Rgb[(y1 * image.Width + x1) * 3 + c] * wx;
                    rgb[(y * width + x) * 3 + c] = (byte)Math.Round(top * (1 - wy) + bottom * wy);
                }
            }
        }

        return new DecodedImage(width, height, rgb);
    }
}
