using TorchEnv.Training.Diagnostics;
using static TorchSharp.torch;

namespace TorchEnv.Training.Data.Images;

/// <summary>
/// What happens to a decoded image before training sees it, in torchvision's terms: optional <c>Resize</c> of the
/// shorter side (once, when the image is decoded — the decoded cache holds resized images), then <c>RandomCrop</c>
/// with zero padding (training) or <c>CenterCrop</c> (evaluation; an image smaller than the crop is padded, as
/// torchvision does), <c>RandomHorizontalFlip</c>, and <c>Normalize</c> with per-channel mean and standard deviation.
/// Crops and flips are copies of uint8 pixels into the batch; normalisation is one tensor operation on the whole batch.
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

    /// <summary>The image as the crop reads it: resized when <see cref="ResizeShorterSide"/> asks for it, else unchanged.</summary>
    public DecodedImage Resized(DecodedImage image) =>
        ResizeShorterSide is { } side && Math.Min(image.Width, image.Height) != side ? BilinearResize(image, side) : image;

    /// <summary>
    /// Where the crop of an image of <paramref name="width"/> × <paramref name="height"/> (after resizing) lies and
    /// whether it is mirrored. Draws from <paramref name="random"/> in a fixed order (left, top, flip) so that the same
    /// stream always gives the same augmentation.
    /// </summary>
    /// <exception cref="TrainingException">TENV0633 when the padded image is smaller than a random crop.</exception>
    public CropPlacement Place(int width, int height, ref SplitMix64 random, string path)
    {
        int left, top;
        if (RandomCrop)
        {
            var spanX = width + 2 * Padding - Size;
            var spanY = height + 2 * Padding - Size;
            if (spanX < 0 || spanY < 0)
            {
                throw TrainingMessages.ImageTooSmall(path, width, height, Size, Padding);
            }

            left = random.NextInt(0, spanX + 1) - Padding;
            top = random.NextInt(0, spanY + 1) - Padding;
        }
        else
        {
            // Negative when the image is smaller than the crop: the outside is zero padding, centred (torchvision's CenterCrop).
            left = (width - Size) / 2;
            top = (height - Size) / 2;
        }

        var flip = HorizontalFlip && random.NextDouble() < 0.5;
        return new CropPlacement(left, top, flip);
    }

    /// <summary>
    /// Copies the crop of <paramref name="image"/> at <paramref name="placement"/> into <paramref name="planar"/>:
    /// <c>[3, Size, Size]</c> uint8, channel-major (the tensor layout); pixels outside the image are 0.
    /// </summary>
    public void CopyCrop(DecodedImage image, CropPlacement placement, Span<byte> planar) =>
        CopyCrop(image.Rgb, image.Width, image.Height, placement, planar);

    /// <summary>Copies a crop of interleaved RGB pixels <paramref name="rgb"/> (<paramref name="width"/> × <paramref name="height"/>) into <paramref name="planar"/>.</summary>
    /// <inheritdoc cref="CopyCrop(DecodedImage, CropPlacement, Span{byte})" />
    public void CopyCrop(ReadOnlySpan<byte> rgb, int width, int height, CropPlacement placement, Span<byte> planar)
    {
        var plane = Size * Size;
        var red = planar[..plane];
        var green = planar.Slice(plane, plane);
        var blue = planar.Slice(2 * plane, plane);
        for (var y = 0; y < Size; y++)
        {
            var sourceY = placement.Top + y;
            var row = y * Size;
            if (sourceY < 0 || sourceY >= height)
            {
                red.Slice(row, Size).Clear();
                green.Slice(row, Size).Clear();
                blue.Slice(row, Size).Clear();
                continue;
            }

            var sourceRow = rgb.Slice(sourceY * width * 3, width * 3);
            for (var x = 0; x < Size; x++)
            {
                var sourceX = placement.Left + (placement.Flip ? Size - 1 - x : x);
                if (sourceX >= 0 && sourceX < width)
                {
                    red[row + x] = sourceRow[3 * sourceX];
                    green[row + x] = sourceRow[3 * sourceX + 1];
                    blue[row + x] = sourceRow[3 * sourceX + 2];
                }
                else
                {
                    red[row + x] = 0;
                    green[row + x] = 0;
                    blue[row + x] = 0;
                }
            }
        }
    }

    /// <summary>
    /// <c>Normalize</c> on a whole batch: uint8 <c>[n, 3, Size, Size]</c> in, float32 out, each value
    /// <c>v · (1 / (255 · std)) + (−mean / std)</c> per channel — a multiply and an add in float32, in that order.
    /// </summary>
    public Tensor Normalize(Tensor pixels)
    {
        var (scale, shift) = NormalizationConstants();
        using var scaleTensor = tensor(scale, [1, 3, 1, 1]);
        using var shiftTensor = tensor(shift, [1, 3, 1, 1]);
        return pixels.to(ScalarType.Float32).mul_(scaleTensor).add_(shiftTensor);
    }

    /// <summary>Per-channel factor and offset of <see cref="Normalize"/>, as float32 values.</summary>
    public (float[] Scale, float[] Shift) NormalizationConstants()
    {
        if (Mean.Length != 3 || Std.Length != 3)
        {
            throw new InvalidOperationException($"Mean and Std need one value per channel (3); they have {Mean.Length} and {Std.Length}.");
        }

        return ([1f / (255f * Std[0]), 1f / (255f * Std[1]), 1f / (255f * Std[2])], [-Mean[0] / Std[0], -Mean[1] / Std[1], -Mean[2] / Std[2]]);
    }

    // Bilinear resize (pixel centres aligned, as PIL and torchvision do without antialiasing).
    private static DecodedImage BilinearResize(DecodedImage image, int shorterSide)
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

/// <summary>Where a crop lies in an image (may start outside it: padding) and whether it is mirrored.</summary>
/// <param name="Left">Column of the image under the crop's first column (before mirroring).</param>
/// <param name="Top">Row of the image under the crop's first row.</param>
/// <param name="Flip">Mirrored left-right.</param>
public readonly record struct CropPlacement(int Left, int Top, bool Flip);
