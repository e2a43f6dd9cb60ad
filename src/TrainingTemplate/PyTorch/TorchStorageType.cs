using static TorchSharp.torch;

namespace TorchEnv.Training.PyTorch;

/// <summary>The legacy typed-storage class (<c>torch.FloatStorage</c>, …) that names a tensor's element type in a PyTorch file.</summary>
/// <param name="ClassName">The class in module <c>torch</c>.</param>
internal sealed record TorchStorageType(string ClassName)
{
    /// <summary>The storage class for <paramref name="dtype"/>, or null when PyTorch's format has none TorchEnv writes (complex types).</summary>
    public static TorchStorageType? For(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => new("FloatStorage"),
        ScalarType.Float64 => new("DoubleStorage"),
        ScalarType.Float16 => new("HalfStorage"),
        ScalarType.BFloat16 => new("BFloat16Storage"),
        ScalarType.Int64 => new("LongStorage"),
        ScalarType.Int32 => new("IntStorage"),
        ScalarType.Int16 => new("ShortStorage"),
        ScalarType.Int8 => new("CharStorage"),
        ScalarType.Byte => new("ByteStorage"),
        ScalarType.Bool => new("BoolStorage"),
        _ => null,
    };
}
