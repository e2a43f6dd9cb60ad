using System.Buffers.Binary;
using System.IO.Compression;
using TorchEnv.Training.Diagnostics;

namespace TorchEnv.Training.Data.Images;

/// <summary>
/// A PNG decoder in managed code (no native dependency beyond the runtime's zlib): every colour type (grey, RGB,
/// palette, grey + alpha, RGBA), bit depths 1–16, Adam7 interlacing. Output is 8-bit RGB: alpha is dropped, 16-bit
/// samples keep their high byte, grey is replicated. Chunk CRCs are checked, except IDAT's: the image data is checked
/// by zlib's own Adler-32 when the stream is read to its end, which saves a second pass. Thread-safe (no state).
/// </summary>
public sealed class PngDecoder : IImageDecoder
{
    private static readonly byte[] s_signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    // Adam7 passes: x start, y start, x step, y step.
    private static readonly (int X, int Y, int Dx, int Dy)[] s_adam7 =
        [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];

    /// <summary>The shared instance.</summary>
    public static PngDecoder Instance { get; } = new();

    /// <inheritdoc />
    public bool CanDecode(ImageFileFormat format) => format == ImageFileFormat.Png;

    /// <inheritdoc />
    public DecodedImage Decode(byte[] data, string path)
    {
        try
        {
            return DecodeCore(data, path);
        }
        catch (InvalidDataException ex)
        {
            throw TrainingMessages.ImageCorrupt(path, "the compressed image data is damaged (" + ex.Message + ")", ex);
        }
        catch (EndOfStreamException ex)
        {
            throw TrainingMessages.ImageCorrupt(path, "the image data is shorter than the header says", ex);
        }
    }

    private static DecodedImage DecodeCore(byte[] data, string path)
    {
        if (data.Length < s_signature.Length + 12 || !data.AsSpan(0, s_signature.Length).SequenceEqual(s_signature))
        {
            throw TrainingMessages.ImageCorrupt(path, "the file does not start with the PNG signature");
        }

        Header? header = null;
        byte[]? palette = null;
        var idat = new List<(int Offset, int Length)>();
        var position = s_signature.Length;
        var ended = false;
        while (!ended)
        {
            if (position + 12 > data.Length)
            {
                throw TrainingMessages.ImageCorrupt(path, "the file ends inside a chunk (truncated?)");
            }

            var length = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(position));
            if (length < 0 || position + 12L + length > data.Length)
            {
                throw TrainingMessages.ImageCorrupt(path, "a chunk is longer than the file (truncated?)");
            }

            var type = data.AsSpan(position + 4, 4);
            var body = data.AsSpan(position + 8, length);
            var storedCrc = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(position + 8 + length));
            var isImageData = type.SequenceEqual("IDAT"u8);
            if (!isImageData && Crc32.Compute(type, body) != storedCrc)
            {
                throw TrainingMessages.ImageCorrupt(path, $"the CRC of chunk '{System.Text.Encoding.ASCII.GetString(type)}' does not match");
            }

            switch (System.Text.Encoding.ASCII.GetString(type))
            {
                case "IHDR":
                    header = Header.Read(body, path);
                    break;
                case "PLTE":
                    palette = body.ToArray();
                    break;
                case "IDAT":
                    idat.Add((position + 8, length));
                    break;
                case "IEND":
                    ended = true;
                    break;
            }

            position += 12 + length;
        }

        if (header is null)
        {
            throw TrainingMessages.ImageCorrupt(path, "there is no IHDR chunk");
        }

        if (idat.Count == 0)
        {
            throw TrainingMessages.ImageCorrupt(path, "there is no image data (IDAT)");
        }

        if (header.ColorType == 3 && palette is null)
        {
            throw TrainingMessages.ImageCorrupt(path, "a palette image has no PLTE chunk");
        }

        var raw = Inflate(data, idat, header.RawSize());
        var rgb = new byte[checked(header.Width * header.Height * 3)];
        var offset = 0;
        if (header.Interlaced)
        {
            foreach (var pass in s_adam7)
            {
                var width = (header.Width - pass.X + pass.Dx - 1) / pass.Dx;
                var height = (header.Height - pass.Y + pass.Dy - 1) / pass.Dy;
                if (width > 0 && height > 0)
                {
                    offset = DecodePass(raw, offset, header, palette, rgb, width, height, pass, path);
                }
            }
        }
        else
        {
            DecodePass(raw, 0, header, palette, rgb, header.Width, header.Height, (0, 0, 1, 1), path);
        }

        return new DecodedImage(header.Width, header.Height, rgb);
    }

    private static byte[] Inflate(byte[] data, List<(int Offset, int Length)> idat, int expected)
    {
        Stream compressed;
        if (idat.Count == 1)
        {
            compressed = new MemoryStream(data, idat[0].Offset, idat[0].Length, writable: false);
        }
        else
        {
            var joined = new byte[idat.Sum(c => c.Length)];
            var at = 0;
            foreach (var (offset, length) in idat)
            {
                Buffer.BlockCopy(data, offset, joined, at, length);
                at += length;
            }

            compressed = new MemoryStream(joined, writable: false);
        }

        var raw = new byte[expected];
        using (var zlib = new ZLibStream(compressed, CompressionMode.Decompress))
        {
            zlib.ReadExactly(raw);

            // Reading past the end makes zlib verify the Adler-32 of the data (surplus bytes are ignored, as libpng does).
            Span<byte> surplus = stackalloc byte[64];
            while (zlib.Read(surplus) > 0)
            {
            }
        }

        return raw;
    }

    // Unfilters one (sub-)image in place and writes its pixels into rgb; returns the offset after it.
    private static int DecodePass(
        byte[] raw,
        int offset,
        Header header,
        byte[]? palette,
        byte[] rgb,
        int width,
        int height,
        (int X, int Y, int Dx, int Dy) pass,
        string path)
    {
        var stride = header.Stride(width);
        var bpp = Math.Max(1, header.BitsPerPixel / 8);
        var previous = Span<byte>.Empty;
        for (var row = 0; row < height; row++)
        {
            var filter = raw[offset];
            var line = raw.AsSpan(offset + 1, stride);
            Unfilter(filter, line, previous, bpp, path);
            var y = pass.Y + row * pass.Dy;
            WritePixels(line, header, palette, rgb, width, y, pass.X, pass.Dx, path);
            previous = line;
            offset += 1 + stride;
        }

        return offset;
    }

    private static void Unfilter(byte filter, Span<byte> line, ReadOnlySpan<byte> previous, int bpp, string path)
    {
        // The first row has no row above: Up adds nothing, Average halves the left byte, Paeth predicts the left byte.
        var first = previous.IsEmpty;
        switch (filter)
        {
            case 0:
                break;
            case 1:
                for (var i = bpp; i < line.Length; i++)
                {
                    line[i] += line[i - bpp];
                }

                break;
            case 2 when first:
                break;
            case 2:
                for (var i = 0; i < line.Length; i++)
                {
                    line[i] += previous[i];
                }

                break;
            case 3 when first:
                for (var i = bpp; i < line.Length; i++)
                {
                    line[i] += (byte)(line[i - bpp] >> 1);
                }

                break;
            case 3:
                for (var i = 0; i < bpp; i++)
                {
                    line[i] += (byte)(previous[i] >> 1);
                }

                for (var i = bpp; i < line.Length; i++)
                {
                    line[i] += (byte)((line[i - bpp] + previous[i]) >> 1);
                }

                break;
            case 4 when first:
                goto case 1;
            case 4:
                for (var i = 0; i < bpp; i++)
                {
                    line[i] += previous[i];
                }

                for (var i = bpp; i < line.Length; i++)
                {
                    line[i] += Paeth(line[i - bpp], previous[i], previous[i - bpp]);
                }

                break;
            default:
                throw TrainingMessages.ImageCorrupt(path, $"a row uses the unknown filter type {filter}");
        }
    }

    // The Paeth predictor without data-dependent branches (noisy images make branches unpredictable): same choice
    // as the specification's "a if pa <= pb and pa <= pc, else b if pb <= pc, else c".
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal static byte Paeth(int a, int b, int c)
    {
        var pa = Abs(b - c);
        var pb = Abs(a - c);
        var pc = Abs(a + b - c - c);
        var nearer = pb < pa ? b : a;
        return (byte)(pc < Math.Min(pa, pb) ? c : nearer);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static int Abs(int x)
    {
        var sign = x >> 31;
        return (x ^ sign) - sign;
    }

    private static void WritePixels(
        ReadOnlySpan<byte> line,
        Header header,
        byte[]? palette,
        byte[] rgb,
        int width,
        int y,
        int xStart,
        int xStep,
        string path)
    {
        var depth = header.BitDepth;
        var channels = header.Channels;
        var sampleBytes = depth == 16 ? 2 : 1;
        if (xStep == 1 && depth == 8 && header.ColorType == 2)
        {
            // The common case (and the bundled data set): rows are already RGB8.
            line[..(width * 3)].CopyTo(rgb.AsSpan(y * header.Width * 3));
            return;
        }

        for (var i = 0; i < width; i++)
        {
            var target = (y * header.Width + xStart + i * xStep) * 3;
            if (depth < 8)
            {
                // Grey or palette index packed several to a byte, most significant bits first.
                var bit = i * depth;
                var value = (line[bit >> 3] >> (8 - depth - (bit & 7))) & ((1 << depth) - 1);
                if (header.ColorType == 3)
                {
                    WritePaletteEntry(palette!, value, rgb, target, path);
                }
                else
                {
                    var grey = (byte)(value * 255 / ((1 << depth) - 1));
                    rgb[target] = rgb[target + 1] = rgb[target + 2] = grey;
                }

                continue;
            }

            var pixel = i * channels * sampleBytes;
            switch (header.ColorType)
            {
                case 0:
                case 4:
                    rgb[target] = rgb[target + 1] = rgb[target + 2] = line[pixel];
                    break;
                case 2:
                case 6:
                    rgb[target] = line[pixel];
                    rgb[target + 1] = line[pixel + sampleBytes];
                    rgb[target + 2] = line[pixel + 2 * sampleBytes];
                    break;
                default:
                    WritePaletteEntry(palette!, line[pixel], rgb, target, path);
                    break;
            }
        }
    }

    private static void WritePaletteEntry(byte[] palette, int index, byte[] rgb, int target, string path)
    {
        if (index * 3 + 2 >= palette.Length)
        {
            throw TrainingMessages.ImageCorrupt(path, $"palette index {index} is outside the {palette.Length / 3}-entry palette");
        }

        rgb[target] = palette[index * 3];
        rgb[target + 1] = palette[index * 3 + 1];
        rgb[target + 2] = palette[index * 3 + 2];
    }

    private sealed record Header(int Width, int Height, int BitDepth, int ColorType, bool Interlaced)
    {
        public int Channels => ColorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, _ => 4 };

        public int BitsPerPixel => Channels * BitDepth;

        public int Stride(int width) => (int)((width * (long)BitsPerPixel + 7) / 8);

        public int RawSize()
        {
            if (!Interlaced)
            {
                return checked(Height * (1 + Stride(Width)));
            }

            var total = 0;
            foreach (var pass in s_adam7)
            {
                var width = (Width - pass.X + pass.Dx - 1) / pass.Dx;
                var height = (Height - pass.Y + pass.Dy - 1) / pass.Dy;
                if (width > 0 && height > 0)
                {
                    total = checked(total + height * (1 + Stride(width)));
                }
            }

            return total;
        }

        public static Header Read(ReadOnlySpan<byte> body, string path)
        {
            if (body.Length != 13)
            {
                throw TrainingMessages.ImageCorrupt(path, "the IHDR chunk has the wrong size");
            }

            var width = BinaryPrimitives.ReadInt32BigEndian(body);
            var height = BinaryPrimitives.ReadInt32BigEndian(body[4..]);
            int depth = body[8];
            int colorType = body[9];
            var valid = colorType switch
            {
                0 => depth is 1 or 2 or 4 or 8 or 16,
                3 => depth is 1 or 2 or 4 or 8,
                2 or 4 or 6 => depth is 8 or 16,
                _ => false,
            };
            if (!valid)
            {
                throw TrainingMessages.ImageCorrupt(path, $"colour type {colorType} with bit depth {depth} is not a PNG format");
            }

            // 16384² is far beyond training images and keeps every buffer size inside an int.
            if (width <= 0 || height <= 0 || width > 16384 || height > 16384)
            {
                throw TrainingMessages.ImageCorrupt(path, $"the size {width}x{height} is out of range");
            }

            if (body[10] != 0 || body[11] != 0 || body[12] > 1)
            {
                throw TrainingMessages.ImageCorrupt(path, "the compression, filter or interlace method is unknown");
            }

            return new Header(width, height, depth, colorType, body[12] == 1);
        }
    }
}
