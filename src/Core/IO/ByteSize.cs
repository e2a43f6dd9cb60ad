namespace TorchEnv.Core.IO;

/// <summary>Byte counts for people.</summary>
public static class ByteSize
{
    /// <summary>Binary units with one decimal: <c>598.2 MB</c>, <c>812 B</c>.</summary>
    public static string Format(long bytes)
    {
        string[] units = ["B", "KB", "MB", "GB", "TB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0 ? $"{bytes} B" : $"{value:0.0} {units[unit]}";
    }
}
