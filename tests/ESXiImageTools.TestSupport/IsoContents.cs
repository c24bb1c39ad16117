using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Text;
using ESXiImageTools.Core.Iso;
using ICSharpCode.SharpZipLib.Tar;

namespace ESXiImageTools.TestSupport;

/// <summary>Reads what tests check in an exported image: a file's bytes, and the files of a .tgz module.</summary>
public static class IsoContents
{
    /// <summary>The whole content of <paramref name="path"/> (relative to the root) in the image.</summary>
    public static byte[] ReadFile(IsoReader reader, string path)
    {
        using var s = reader.OpenFile("/" + path.TrimStart('/'));
        var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }

    /// <summary>The regular files of a gzipped tar, by entry name.</summary>
    public static Dictionary<string, byte[]> TarGzFiles(byte[] tgz)
    {
        var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using var gz = new GZipStream(new MemoryStream(tgz), CompressionMode.Decompress);
        using var tar = new TarInputStream(gz, Encoding.UTF8);
        TarEntry e;
        while ((e = tar.GetNextEntry()) != null)
        {
            if (e.IsDirectory) continue;
            var ms = new MemoryStream();
            tar.CopyEntryContents(ms);
            result[e.Name] = ms.ToArray();
        }
        return result;
    }

    /// <summary>The regular files of a .tgz module in the image, as UTF-8 text.</summary>
    public static Dictionary<string, string> TarGzTextFiles(IsoReader reader, string path)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var kv in TarGzFiles(ReadFile(reader, path))) result[kv.Key] = Encoding.UTF8.GetString(kv.Value);
        return result;
    }
}
