using System.Buffers.Binary;
using System.IO.Compression;

namespace TorchEnv.Training.Data.Images;

/// <summary>
/// Writes 8-bit RGB PNG files (for the bundled data set). Every row uses the Paeth filter, which suits noisy
/// pictures; the output is a plain, valid PNG any viewer opens.
/// </summary>
public static class PngEncoder
{
    private static readonly byte[] s_signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Encodes <paramref name="image"/> as PNG bytes.</summary>
    public static byte[] Encode(DecodedImage image)
    {
        var stride = image.Width * 3;
        var filtered = new byte[image.Height * (stride + 1)];
        for (var y = 0; y < image.Height; y++)
        {
            var row = image.Rgb.AsSpan(y * stride, stride);
            var above = y > 0 ? image.Rgb.AsSpan((y - 1) * stride, stride) : Span<byte>.Empty;
            var output = filtered.AsSpan(y * (stride + 1), stride + 1);
            output[0] = 4;
            for (var i = 0; i < stride; i++)
            {
                int a = i >= 3 ? row[i - 3] : 0;
                int b = above.IsEmpty ? 0 : above[i];
                int c = i >= 3 && !above.IsEmpty ? above[i - 3] : 0;
                output[i + 1] = (byte)(row[i] - PngDecoder.Paeth(a, b, c));
            }
        }

        byte[] compressed;
        using (var buffer = new MemoryStream())
        {
            using (var zlib = new ZLibStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
            {
                zlib.Write(filtered);
            }

            compressed = buffer.ToArray();
        }

        using var png = new MemoryStream();
        png.Write(s_signature);
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, image.Width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], image.Height);
        header[8] = 8;   // bit depth
        header[9] = 2;   // colour type RGB
        header[10] = 0;  // deflate
        header[11] = 0;  // adaptive filtering
        header[12] = 0;  // not interlaced
        WriteChunk(png, "IHDR", header);
        WriteChunk(png, "IDAT", compressed);
        WriteChunk(png, "IEND", ReadOnlySpan<byte>.Empty);
        return png.ToArray();
    }

    private static void WriteChunk(Stream output, string type, ReadOnlySpan<byte> body)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, body.Length);
        output.Write(word);
        var typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(body);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Compute(typeBytes, body));
        output.Write(word);
    }
}
