using System.Text.Json;

namespace TorchEnv.Training.Data.Images;

/// <summary>Size and seed of the bundled data set.</summary>
public sealed record SyntheticShapesOptions
{
    /// <summary>Side of the square images.</summary>
    public int ImageSize { get; init; } = 32;

    /// <summary>Training images per class.</summary>
    public int TrainPerClass { get; init; } = 500;

    /// <summary>Test images per class.</summary>
    public int TestPerClass { get; init; } = 100;

    /// <summary>Seed of the generator: the same seed gives the same pixels on every machine.</summary>
    public long Seed { get; init; } = 20240607;
}

/// <summary>
/// The bundled, network-free data set: ten classes of shapes and textures (circle, square, triangle, cross, ring,
/// horizontal stripes, vertical stripes, checkerboard, half disc, dots) in random colours, sizes, positions and
/// rotations over a textured background with pixel noise and a distracting blob — easy to learn a little, hard to
/// learn perfectly. Generated deterministically (<see cref="SplitMix64"/>) on first use and written as PNG files in
/// the <c>ImageFolder</c> layout, so the training program runs the real decode path.
/// </summary>
public static class SyntheticShapes
{
    /// <summary>The class folder names, in label order.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
    [
        "0_circle", "1_square", "2_triangle", "3_cross", "4_ring", "5_stripes_horizontal", "6_stripes_vertical",
        "7_checkerboard", "8_half_disc", "9_dots",
    ];

    private const int GeneratorVersion = 1;
    private const string MarkerFile = "synthetic-shapes.json";

    /// <summary>
    /// Makes sure <paramref name="root"/> holds the data set (<c>train/</c> and <c>test/</c>, one folder per class),
    /// generating it when missing or made with other options. The set appears atomically: it is written to a sibling
    /// temporary folder and renamed, so an interrupted run never leaves half a data set behind.
    /// </summary>
    /// <returns>The full path of <paramref name="root"/>.</returns>
    public static string EnsureCreated(string root, SyntheticShapesOptions? options = null)
    {
        options ??= new SyntheticShapesOptions();
        root = Path.GetFullPath(root);
        var expected = Marker(options);
        if (ReadMarker(root) == expected)
        {
            return root;
        }

        var parent = Path.GetDirectoryName(root)!;
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(root)}.tmp-{Guid.NewGuid():N}");
        try
        {
            Write(staging, "train", options.TrainPerClass, options);
            Write(staging, "test", options.TestPerClass, options);
            File.WriteAllText(Path.Combine(staging, MarkerFile), expected);
            if (Directory.Exists(root))
            {
                // An outdated set (other options or generator): move it aside first, then delete it.
                var outdated = Path.Combine(parent, $".{Path.GetFileName(root)}.old-{Guid.NewGuid():N}");
                Directory.Move(root, outdated);
                Directory.Delete(outdated, recursive: true);
            }

            Directory.Move(staging, root);
        }
        catch (IOException) when (ReadMarker(root) == expected)
        {
            // Another process generated the same set at the same time; theirs is as good as ours.
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }

        return root;
    }

    /// <summary>Renders one image of class <paramref name="label"/> (pixels only; deterministic in its arguments).</summary>
    public static DecodedImage Render(int label, int size, ref SplitMix64 random)
    {
        var background = RandomColor(ref random);
        var foreground = ContrastingColor(background, ref random);
        var noise = 0.03 + 0.07 * random.NextDouble();
        var waves = new (double Kx, double Ky, double Phase, double Amplitude)[3];
        for (var i = 0; i < waves.Length; i++)
        {
            var angle = random.NextDouble() * Math.PI * 2;
            var frequency = 0.1 + 0.25 * random.NextDouble();
            waves[i] = (Math.Cos(angle) * frequency, Math.Sin(angle) * frequency, random.NextDouble() * Math.PI * 2, 0.04 + 0.08 * random.NextDouble());
        }

        var shape = new Shape(
            label,
            CenterX: size * (0.3 + 0.4 * random.NextDouble()),
            CenterY: size * (0.3 + 0.4 * random.NextDouble()),
            Radius: size * (0.2 + 0.16 * random.NextDouble()),
            Rotation: random.NextDouble() * Math.PI * 2,
            Tilt: (random.NextDouble() - 0.5) * 0.6,
            Period: 3.0 + 2.5 * random.NextDouble(),
            Dots: RandomDots(size, ref random));

        // A blob in a random colour somewhere, so that "a coloured thing exists" is not the answer.
        var blob = (X: size * random.NextDouble(), Y: size * random.NextDouble(), R: size * (0.06 + 0.08 * random.NextDouble()), Color: RandomColor(ref random));
        var rgb = new byte[size * size * 3];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                double px = x + 0.5, py = y + 0.5;
                var texture = 0.0;
                foreach (var (kx, ky, phase, amplitude) in waves)
                {
                    texture += amplitude * Math.Sin(kx * px + ky * py + phase);
                }

                var coverage = shape.Coverage(px, py);
                var blobCoverage = Math.Clamp(blob.R - Math.Sqrt((px - blob.X) * (px - blob.X) + (py - blob.Y) * (py - blob.Y)) + 0.5, 0, 1);
                for (var c = 0; c < 3; c++)
                {
                    var value = background[c] + texture;
                    value = value * (1 - blobCoverage) + blob.Color[c] * blobCoverage;
                    value = value * (1 - coverage) + foreground[c] * coverage;
                    value += noise * random.NextGaussian();
                    rgb[(y * size + x) * 3 + c] = (byte)Math.Clamp(Math.Round(value * 255), 0, 255);
                }
            }
        }

        return new DecodedImage(size, size, rgb);
    }

    private static void Write(string staging, string split, int perClass, SyntheticShapesOptions options)
    {
        var splitId = split == "train" ? 0 : 1;
        for (var label = 0; label < ClassNames.Count; label++)
        {
            var folder = Path.Combine(staging, split, ClassNames[label]);
            Directory.CreateDirectory(folder);
            var l = label;
            Parallel.For(0, perClass, n =>
            {
                var random = SplitMix64.For((ulong)options.Seed, splitId, l, n);
                var image = Render(l, options.ImageSize, ref random);
                File.WriteAllBytes(Path.Combine(folder, $"{n:D4}.png"), PngEncoder.Encode(image));
            });
        }
    }

    private static string Marker(SyntheticShapesOptions options) => JsonSerializer.Serialize(new
    {
        generator = GeneratorVersion,
        imageSize = options.ImageSize,
        trainPerClass = options.TrainPerClass,
        testPerClass = options.TestPerClass,
        seed = options.Seed,
        classes = ClassNames,
    });

    private static string? ReadMarker(string root)
    {
        var path = Path.Combine(root, MarkerFile);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }

    private static double[] RandomColor(ref SplitMix64 random) =>
        [random.NextDouble(), random.NextDouble(), random.NextDouble()];

    private static double[] ContrastingColor(double[] background, ref SplitMix64 random)
    {
        // Redraw until the colours differ enough to be seen through the noise (bounded: keeps the last draw).
        var color = RandomColor(ref random);
        for (var attempt = 0; attempt < 16; attempt++)
        {
            var distance = Math.Abs(color[0] - background[0]) + Math.Abs(color[1] - background[1]) + Math.Abs(color[2] - background[2]);
            if (distance > 0.6)
            {
                break;
            }

            color = RandomColor(ref random);
        }

        return color;
    }

    private static (double X, double Y, double R)[] RandomDots(int size, ref SplitMix64 random)
    {
        var dots = new (double, double, double)[3 + (int)random.NextBelow(4)];
        for (var i = 0; i < dots.Length; i++)
        {
            dots[i] = (size * (0.15 + 0.7 * random.NextDouble()), size * (0.15 + 0.7 * random.NextDouble()), size * (0.05 + 0.04 * random.NextDouble()));
        }

        return dots;
    }

    /// <summary>One class's figure as a coverage function (signed distance, 1-pixel soft edge).</summary>
    private sealed record Shape(
        int Label,
        double CenterX,
        double CenterY,
        double Radius,
        double Rotation,
        double Tilt,
        double Period,
        (double X, double Y, double R)[] Dots)
    {
        public double Coverage(double px, double py)
        {
            var dx = px - CenterX;
            var dy = py - CenterY;
            var cos = Math.Cos(Rotation);
            var sin = Math.Sin(Rotation);
            var u = cos * dx + sin * dy;
            var v = -sin * dx + cos * dy;
            var r = Radius;
            var disc = Math.Sqrt(dx * dx + dy * dy) - r;
            var distance = Label switch
            {
                0 => disc,
                1 => Box(u, v, r * 0.8, r * 0.8),
                2 => Triangle(u, v, r),
                3 => Math.Min(Box(u, v, r, r * 0.3), Box(u, v, r * 0.3, r)),
                4 => Math.Abs(Math.Sqrt(dx * dx + dy * dy) - r * 0.75) - r * 0.2,
                5 => Math.Max(disc, Stripes(dx * Math.Sin(Tilt) + dy * Math.Cos(Tilt))),
                6 => Math.Max(disc, Stripes(dx * Math.Cos(Tilt) - dy * Math.Sin(Tilt))),
                7 => Math.Max(Box(u, v, r * 0.85, r * 0.85), Checker(u, v)),
                8 => Math.Max(disc, v),
                _ => Dots.Min(d => Math.Sqrt((px - d.X) * (px - d.X) + (py - d.Y) * (py - d.Y)) - d.R),
            };
            return Math.Clamp(0.5 - distance, 0, 1);
        }

        private static double Box(double u, double v, double halfWidth, double halfHeight)
        {
            var qx = Math.Abs(u) - halfWidth;
            var qy = Math.Abs(v) - halfHeight;
            var outside = Math.Sqrt(Math.Max(qx, 0) * Math.Max(qx, 0) + Math.Max(qy, 0) * Math.Max(qy, 0));
            return outside + Math.Min(Math.Max(qx, qy), 0);
        }

        private static double Triangle(double u, double v, double r)
        {
            // Equilateral triangle with circumradius r: the largest of the three edge distances.
            var best = double.MinValue;
            for (var k = 0; k < 3; k++)
            {
                var angle = Math.PI / 2 + k * 2 * Math.PI / 3;
                best = Math.Max(best, u * Math.Cos(angle) + v * Math.Sin(angle) - r / 2);
            }

            return best;
        }

        private double Stripes(double t)
        {
            // Bands of half a period: negative inside a band.
            var phase = t / Period - Math.Floor(t / Period);
            return (Math.Abs(phase - 0.5) - 0.25) * Period;
        }

        private double Checker(double u, double v)
        {
            var cell = Period * 1.2;
            var a = Math.Floor(u / cell) + Math.Floor(v / cell);
            var edge = Math.Min(Math.Abs(u / cell - Math.Round(u / cell)), Math.Abs(v / cell - Math.Round(v / cell))) * cell;
            return ((long)a & 1) == 0 ? -edge : edge;
        }
    }
}
