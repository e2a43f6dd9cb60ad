namespace TorchEnv.Core.IO;

/// <summary>Byte-for-byte comparison of a file with a stream (a package entry against its extracted copy), streamed.</summary>
public static class FileContents
{
    /// <summary>True when the file at <paramref name="path"/> holds exactly the bytes <paramref name="expected"/> yields.</summary>
    public static bool Same(Stream expected, string path)
    {
        using var actual = File.OpenRead(path);
        var a = new byte[81920];
        var b = new byte[81920];
        while (true)
        {
            // Both reads fill the whole buffer unless the stream ends, so equal files give equal counts.
            var read = expected.ReadAtLeast(a, a.Length, throwOnEndOfStream: false);
            var readActual = actual.ReadAtLeast(b, b.Length, throwOnEndOfStream: false);
            if (read != readActual || !a.AsSpan(0, read).SequenceEqual(b.AsSpan(0, readActual)))
            {
                return false;
            }

            if (read == 0)
            {
                return true;
            }
        }
    }
}
