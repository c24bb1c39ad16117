using System;
using System.IO;
using System.IO.Compression;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Packages;
using Xunit;

namespace ESXiImageTools.Core.Tests.Packages;

/// <summary>Crafted gzip payloads stay typed, and a gzip bomb is stopped early.</summary>
public class HostilePayloadTests
{
    /// <summary>
    /// A 300-byte gzip mutated by a fuzzer: its dynamic Huffman table makes SharpZipLib 1.4.1 throw
    /// IndexOutOfRangeException in DeflaterHuffman.BitReverse (InflaterHuffmanTree.BuildTree).
    /// </summary>
    internal const string CraftedGzipBase64 =
        "H4sIAAAAAAAAA1XMLQqRAACG4WCw2kTwAuIhlgamgdW2X/dr9QCDxd3AJmiSwTidYMmxYLV5AzFvCN+bjE95DMf1/GC/jOIkzeyjELaCcxWig+DuhPgjeAshOQv+VEgNIdgK2UB9o75Qb6hP1HfqmvpLPadeUdvUHfWa+kFtUT+p39QldfNXT6gH6p76RT2jzqkLapN6pK6EH0MuFoMsAQAA";

    private static Payload GunzipPayload(byte[] stored) => new Payload
    {
        Name = "p",
        Type = "tgz",
        Size = stored.Length,
        Checksums = new[] { new PayloadChecksum("sha-256", "gunzip", new string('0', 64)) },
    };

    [Fact]
    public void Crafted_gzip_that_breaks_the_inflater_is_a_typed_checksum_error()
    {
        var stored = Convert.FromBase64String(CraftedGzipBase64);
        var e = Record.Exception(() => PayloadVerifier.Verify(GunzipPayload(stored), new MemoryStream(stored), "vib-id", "crafted.vib"));
        var c = Assert.IsType<EsxChecksumException>(e);
        Assert.Equal("p", c.Payload);
        Assert.Contains("crafted.vib", c.Message);
    }

    [Fact]
    public void Crafted_gzip_is_reported_by_Compute_as_not_gzip()
    {
        var stored = Convert.FromBase64String(CraftedGzipBase64);
        Assert.Throws<InvalidDataException>(() => PayloadVerifier.Compute(new MemoryStream(stored), gunzip: true));
    }

    [Fact]
    public void Gzip_bomb_stops_once_the_output_passes_the_ratio_bound()
    {
        // 256 MiB of zeros deflate to about 250 KiB: a ratio near 1000, five times the bound.
        var bomb = new MemoryStream();
        using (var gz = new GZipStream(bomb, CompressionLevel.Optimal, leaveOpen: true))
        {
            var zeros = new byte[1 << 20];
            for (int i = 0; i < 256; i++) gz.Write(zeros, 0, zeros.Length);
        }
        var stored = bomb.ToArray();
        var e = Assert.Throws<InvalidDataException>(() => PayloadVerifier.Compute(new MemoryStream(stored), gunzip: true));
        Assert.Contains("gzip bomb", e.Message);
        Assert.Contains(PayloadVerifier.MaxGunzipRatio.ToString(), e.Message);

        var c = Assert.IsType<EsxChecksumException>(Record.Exception(() => PayloadVerifier.Verify(GunzipPayload(stored), new MemoryStream(stored), "vib-id", "bomb.vib")));
        Assert.Contains("gzip bomb", c.Message);
    }
}
