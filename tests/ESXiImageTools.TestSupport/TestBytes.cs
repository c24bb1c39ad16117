using System;
using System.IO;
using System.IO.Compression;

namespace ESXiImageTools.TestSupport;

/// <summary>Byte helpers the tests share: gzip with the runtime's compressor, digests as lower-case hex.</summary>
public static class TestBytes
{
    /// <summary><paramref name="data"/> as one gzip member, compressed independently of the engine.</summary>
    public static byte[] Gzip(byte[] data, CompressionLevel level = CompressionLevel.Optimal)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, level, leaveOpen: true)) gz.Write(data, 0, data.Length);
        return ms.ToArray();
    }

    /// <summary>Lower-case hex, as descriptors write checksums.</summary>
    public static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
