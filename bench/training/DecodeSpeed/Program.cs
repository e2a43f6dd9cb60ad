// Decode speed of the bundled data set's images (and of 4x larger ones) on one thread: CPU time per image for
// read + decode + crop/flip into a batch without the decoded cache (what a loader worker does per image per epoch),
// then decode alone: TorchEnv.Training's managed PNG decoder against its SkiaSharp decoder on the same PNGs (does the
// managed decoder still earn its place?), and SkiaSharp on JPEG (quality 90). CPU time, not wall time, so that other
// load on the machine does not distort the figures.
//
//   DecodeSpeed [--data data/shapes] [--images 2000]
using System.Diagnostics;
using SkiaSharp;
using TorchEnv.Training.Data;
using TorchEnv.Training.Data.Images;
using TorchEnv.Training.Options;

var cli = new CommandLineArguments(args);
var dataRoot = cli.String("--data", Path.Combine("data", "shapes"), "bundled data set folder", "DIR")!;
var count = cli.Int("--images", 2000, "images per measurement", min: 10);
cli.EnsureAllUsed();

SyntheticShapes.EnsureCreated(dataRoot);
var files = Directory.GetFiles(Path.Combine(dataRoot, "train"), "*.png", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Take(count).ToArray();
var small = files.Select(File.ReadAllBytes).ToArray();
var large = small.Select((png, i) => Upscale(PngDecoder.Instance.Decode(png, files[i]), 4)).ToArray();
var transform = ImageTransform.Train(32, resizeShorterSide: null);

Console.WriteLine($"{"measurement",-52} {"µs CPU/image",14}");
var dataset = new ImageFolderDataset(Path.Combine(dataRoot, "train"), transform);
Report("read + decode + crop into a batch, 32x32 PNG", () =>
{
    for (var i = 0; i < files.Length; i += 64)
    {
        dataset.Assemble(Enumerable.Range(i, Math.Min(64, files.Length - i)).Select(n => (long)n).ToArray(), seed: 1, epoch: 0).Dispose();
    }
});
Report("managed PngDecoder: decode only, 32x32 PNG", () => DecodeAll(small, png => PngDecoder.Instance.Decode(png, "memory")));
Report("SkiaImageDecoder: decode only, 32x32 PNG", () => DecodeAll(small, png => SkiaImageDecoder.Instance.Decode(png, "memory")));
Report("managed PngDecoder: decode only, 128x128 PNG", () => DecodeAll(large.Select(l => l.Png).ToArray(), png => PngDecoder.Instance.Decode(png, "memory")));
Report("SkiaImageDecoder: decode only, 128x128 PNG", () => DecodeAll(large.Select(l => l.Png).ToArray(), png => SkiaImageDecoder.Instance.Decode(png, "memory")));
Report("SkiaImageDecoder: decode only, 128x128 JPEG q90", () => DecodeAll(large.Select(l => l.Jpeg).ToArray(), jpeg => SkiaImageDecoder.Instance.Decode(jpeg, "memory")));
return 0;

// The fastest of three timed passes after a warm-up pass (JIT, page cache): the least disturbed by other processes.
void Report(string name, Action run)
{
    run();
    var best = TimeSpan.MaxValue;
    for (var pass = 0; pass < 3; pass++)
    {
        var before = Process.GetCurrentProcess().TotalProcessorTime;
        run();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - before;
        best = cpu < best ? cpu : best;
    }

    Console.WriteLine($"{name,-52} {best.TotalMicroseconds / files.Length,14:F1}");
}

static void DecodeAll(byte[][] images, Action<byte[]> decode)
{
    foreach (var image in images)
    {
        decode(image);
    }
}

static (byte[] Png, byte[] Jpeg) Upscale(DecodedImage image, int factor)
{
    var width = image.Width * factor;
    var rgb = new byte[width * image.Height * factor * 3];
    for (var y = 0; y < image.Height * factor; y++)
    {
        for (var x = 0; x < width; x++)
        {
            Array.Copy(image.Rgb, ((y / factor) * image.Width + x / factor) * 3, rgb, (y * width + x) * 3, 3);
        }
    }

    var big = new DecodedImage(width, image.Height * factor, rgb);
    using var bitmap = new SKBitmap(big.Width, big.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
    for (var y = 0; y < big.Height; y++)
    {
        for (var x = 0; x < big.Width; x++)
        {
            var at = (y * big.Width + x) * 3;
            bitmap.SetPixel(x, y, new SKColor(rgb[at], rgb[at + 1], rgb[at + 2]));
        }
    }

    return (PngEncoder.Encode(big), bitmap.Encode(SKEncodedImageFormat.Jpeg, 90).ToArray());
}
