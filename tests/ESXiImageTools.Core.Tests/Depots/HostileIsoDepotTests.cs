using System;
using System.IO;
using System.IO.Compression;
using System.Text;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.IO;
using ESXiImageTools.Core.Iso;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.Depots;

/// <summary>A corrupt IMGDB.TGZ in an ISO used as a depot is DepotInvalid, never a raw decoder exception.</summary>
public class HostileIsoDepotTests
{
    private static readonly DateTimeOffset When = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static string IsoWithImgDb(TempDir d, byte[] imgdb)
    {
        var iso = d.File("esx.iso");
        new IsoBuilder(When).AddFile("/IMGDB.TGZ", imgdb.Length, () => new MemoryStream(imgdb)).WriteToFile(iso, overwrite: false);
        return iso;
    }

    private static byte[] ValidImgDb()
        => TarGzWriter.Build(new[] { ("var/db/esximg/vibs/a.xml", Encoding.UTF8.GetBytes("<vib/>")) }, When);

    public static TheoryData<string> Corruptions => new() { "bad-deflate", "bad-tar-checksum", "truncated-gzip" };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void Corrupt_IMGDB_is_DepotInvalid_naming_it(string corruption)
    {
        var bytes = ValidImgDb();
        switch (corruption)
        {
            case "bad-deflate":
                for (int i = 10; i < 14; i++) bytes[i] = 0xff; // first deflate block: reserved type
                break;
            case "bad-tar-checksum":
                var tar = Gunzip(bytes);
                tar[148] ^= 0x5a; // header checksum field
                bytes = Gzip(tar);
                break;
            case "truncated-gzip":
                Array.Resize(ref bytes, bytes.Length / 2);
                break;
        }
        using var d = new TempDir();
        var iso = IsoWithImgDb(d, bytes);
        var e = Assert.IsAssignableFrom<EsxException>(Record.Exception(() => IsoDepotReader.Open(iso)));
        Assert.Contains("IMGDB.TGZ", e.Message);
        Assert.Equal(ErrorCodes.DepotInvalid, e.Code);
    }

    private static byte[] Gunzip(byte[] gz)
    {
        using var s = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
        var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }

    private static byte[] Gzip(byte[] data) => TestBytes.Gzip(data);
}
