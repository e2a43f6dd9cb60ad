namespace TorchEnv.Training.Data.Images;

/// <summary>An 8-bit RGB image, rows top to bottom, pixels interleaved (<c>R G B R G B …</c>).</summary>
/// <param name="Width">Pixels per row.</param>
/// <param name="Height">Rows.</param>
/// <param name="Rgb">Width × Height × 3 bytes.</param>
public sealed record DecodedImage(int Width, int Height, byte[] Rgb);
