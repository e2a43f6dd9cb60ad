using SkiaSharp;
using TorchEnv.TestSupport;
using TorchEnv.Training.Data;
using TorchEnv.Training.Data.Images;
using TorchEnv.Training.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace TorchEnv.Training.Tests;

[Trait("Category", "Integration")]
[Collection(TorchCollection.Name)]
public sealed class ImageFolderDatasetTests : IDisposable
{
    private readonly TempDirectory _temp = new("torchenv-images");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Classes_are_folders_and_samples_are_labelled_tensors()
    {
        WritePng("cat/a.png", 40, 30);
        WritePng("cat/b.png", 40, 30);
        WritePng("dog/c.png", 36, 36);
        File.WriteAllText(_temp.Combine("dog", "notes.txt"), "not an image");

        using var dataset = new ImageFolderDataset(_temp.Path, ImageTransform.Train(24));
        Assert.Equal(new[] { "cat", "dog" }, dataset.Classes);
        Assert.Equal(3, dataset.Count);

        var sample = dataset.GetTensor(2);
        Assert.Equal(new long[] { 3, 24, 24 }, sample[ImageFolderDataset.ImageKey].shape);
        Assert.Equal(ScalarType.Float32, sample[ImageFolderDataset.ImageKey].dtype);
        Assert.Equal(1, sample[ImageFolderDataset.LabelKey].item<long>());
    }

    [Fact]
    public void Augmentations_are_fixed_by_seed_epoch_and_sample_and_change_between_epochs()
    {
        WritePng("a/0.png", 32, 32);
        using var dataset = new ImageFolderDataset(_temp.Path, ImageTransform.Train(32), seed: 4);
        var first = Pixels(dataset.GetTensor(0));
        Assert.Equal(first, Pixels(dataset.GetTensor(0)));

        var changed = Enumerable.Range(1, 8).Any(epoch =>
        {
            dataset.Epoch = epoch;
            return !Pixels(dataset.GetTensor(0)).SequenceEqual(first);
        });
        Assert.True(changed, "some later epoch should crop or flip differently");
    }

    [Fact]
    public void The_evaluation_transform_is_a_normalised_centre_crop()
    {
        var rgb = Enumerable.Repeat((byte)255, 8 * 8 * 3).ToArray();
        File.WriteAllBytes(WritePath("w/0.png"), PngEncoder.Encode(new DecodedImage(8, 8, rgb)));
        using var dataset = new ImageFolderDataset(_temp.Path, ImageTransform.Evaluate(4) with { Mean = [0.5f, 0.5f, 0.5f], Std = [0.25f, 0.25f, 0.25f] });
        Assert.All(Pixels(dataset.GetTensor(0)), v => Assert.Equal(2f, v, 5));   // (1 - 0.5) / 0.25
    }

    [Fact]
    public void Jpeg_png_and_webp_load_out_of_the_box_and_a_format_it_cannot_read_fails_at_construction()
    {
        WriteSkia("a/photo.jpg", SKEncodedImageFormat.Jpeg);
        WriteSkia("a/photo.JPEG", SKEncodedImageFormat.Jpeg);
        WritePng("a/picture.png", 12, 12);
        WriteSkia("a/anim.webp", SKEncodedImageFormat.Webp);
        using (var dataset = new ImageFolderDataset(_temp.Path, ImageTransform.Evaluate(8)))
        {
            Assert.Equal(4, dataset.Count);
            Assert.All(Enumerable.Range(0, 4), i => Assert.Equal(new long[] { 3, 8, 8 }, dataset.GetTensor(i)[ImageFolderDataset.ImageKey].shape));
        }

        File.WriteAllBytes(WritePath("a/scan.tif"), [0x49, 0x49, 0x2A, 0x00]);
        var error = Assert.Throws<TrainingException>(() => new ImageFolderDataset(_temp.Path, ImageTransform.Evaluate(8)));
        Assert.Equal("TENV0631", error.Code);
        Assert.Contains("scan.tif", error.Message);
        Assert.Contains("IImageDecoder", error.Fix);
    }

    [Fact]
    public void The_format_comes_from_the_content_so_a_png_named_jpg_and_a_jpeg_named_png_both_load()
    {
        WritePng("a/really-a-png.jpg", 10, 10);
        WriteSkia("a/really-a-jpeg.png", SKEncodedImageFormat.Jpeg);
        using var dataset = new ImageFolderDataset(_temp.Path, ImageTransform.Evaluate(8));
        Assert.Equal(10, dataset.LoadDecoded(dataset.Samples.ToList().FindIndex(s => s.Path.EndsWith(".jpg"))).Width);
        Assert.Equal(20, dataset.LoadDecoded(dataset.Samples.ToList().FindIndex(s => s.Path.EndsWith(".png"))).Width);
    }

    [Fact]
    public void A_file_that_is_no_image_or_a_damaged_jpeg_is_named_with_what_is_wrong()
    {
        File.WriteAllText(WritePath("a/notes.jpg"), "<!DOCTYPE html>");
        var jpeg = SkiaBytes(SKEncodedImageFormat.Jpeg);
        File.WriteAllBytes(WritePath("b/cut.jpg"), jpeg[..20]);
        using var dataset = new ImageFolderDataset(_temp.Path, ImageTransform.Evaluate(8));

        var foreign = Assert.Throws<TrainingException>(() => dataset.LoadDecoded(0));
        Assert.Equal("TENV0635", foreign.Code);
        Assert.Contains("notes.jpg", foreign.Message);
        Assert.Contains("3C 21 44 4F", foreign.Message);   // what the file starts with

        var cut = Assert.Throws<TrainingException>(() => dataset.LoadDecoded(1));
        Assert.Equal("TENV0632", cut.Code);
        Assert.Contains("cut.jpg", cut.Message);

        // Caching decodes everything up front: the same error, and nothing half-cached.
        var atCache = Assert.Throws<TrainingException>(() => dataset.CacheDecoded());
        Assert.Contains(atCache.Code, new[] { "TENV0632", "TENV0635" });
        Assert.False(dataset.InMemory);
    }

    [Fact]
    public void A_grey_28x28_folder_feeds_three_channels_and_its_centre_crop_at_32_is_padded()
    {
        for (var i = 0; i < 3; i++)
        {
            WriteGreyPng($"digit{i}/0.png", 28, 28);
        }

        using var train = new ImageFolderDataset(_temp.Path, ImageTransform.Train(32));
        using var test = new ImageFolderDataset(_temp.Path, ImageTransform.Evaluate(32) with { Mean = [0, 0, 0], Std = [1, 1, 1] });
        var sample = test.GetTensor(0)[ImageFolderDataset.ImageKey];
        Assert.Equal(new long[] { 3, 32, 32 }, sample.shape);
        Assert.Equal(sample[0].data<float>().ToArray(), sample[1].data<float>().ToArray());   // grey replicated
        Assert.Equal(sample[0].data<float>().ToArray(), sample[2].data<float>().ToArray());
        Assert.Equal(0f, sample[0, 0, 0].item<float>());                                      // 2 pixels of padding around the 28x28
        Assert.Equal(7f / 255f, sample[0, 2, 3].item<float>(), 6);                            // first row, second pixel (i = 1)
        Assert.Equal(new long[] { 3, 32, 32 }, train.GetTensor(0)[ImageFolderDataset.ImageKey].shape);   // 28 + 2 x 4 padding >= 32
    }

    [Fact]
    public void Folders_that_are_not_image_folders_are_explained()
    {
        Assert.Equal("TENV0630", Assert.Throws<TrainingException>(() => new ImageFolderDataset(_temp.Combine("missing"), ImageTransform.Evaluate(8))).Code);
        var empty = Assert.Throws<TrainingException>(() => new ImageFolderDataset(_temp.Path, ImageTransform.Evaluate(8)));
        Assert.Contains("no class sub-folders", empty.Message);
    }

    [Fact]
    public void An_image_smaller_than_the_training_crop_is_named_with_its_size_and_the_options_that_fix_it()
    {
        WritePng("a/small.png", 10, 10);
        using var dataset = new ImageFolderDataset(_temp.Path, ImageTransform.Train(32, padding: 4));
        var error = Assert.Throws<TrainingException>(() => dataset.GetTensor(0));
        Assert.Equal("TENV0633", error.Code);
        Assert.Contains("small.png", error.Message);
        Assert.Contains("10x10", error.Message);
        Assert.Contains("--image-size 18", error.Fix);
        Assert.Contains("--resize 32", error.Fix);
    }

    [Fact]
    public void Large_images_are_resized_by_their_shorter_side()
    {
        WritePng("a/wide.png", 120, 60);
        using var dataset = new ImageFolderDataset(_temp.Path, ImageTransform.Evaluate(32, resizeShorterSide: 32));
        var resized = dataset.LoadDecoded(0);
        Assert.Equal((64, 32), (resized.Width, resized.Height));
        Assert.Equal(new long[] { 3, 32, 32 }, dataset.GetTensor(0)[ImageFolderDataset.ImageKey].shape);
    }

    private static float[] Pixels(Dictionary<string, Tensor> sample) => sample[ImageFolderDataset.ImageKey].data<float>().ToArray();

    private static byte[] SkiaBytes(SKEncodedImageFormat format, int width = 20, int height = 20)
    {
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(new SKColor(200, 40, 40));
        return bitmap.Encode(format, 95).ToArray();
    }

    private void WriteSkia(string relative, SKEncodedImageFormat format) => File.WriteAllBytes(WritePath(relative), SkiaBytes(format));

    private void WriteGreyPng(string relative, int width, int height)
    {
        var rgb = new byte[width * height * 3];
        for (var i = 0; i < width * height; i++)
        {
            rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = (byte)(i * 7);
        }

        File.WriteAllBytes(WritePath(relative), PngEncoder.Encode(new DecodedImage(width, height, rgb)));
    }

    private string WritePath(string relative)
    {
        var path = _temp.Combine(relative.Split('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }

    private void WritePng(string relative, int width, int height)
    {
        var random = new SplitMix64((ulong)relative.Length);
        var rgb = new byte[width * height * 3];
        for (var i = 0; i < rgb.Length; i++)
        {
            rgb[i] = (byte)random.NextBelow(256);
        }

        File.WriteAllBytes(WritePath(relative), PngEncoder.Encode(new DecodedImage(width, height, rgb)));
    }
}
