using System;
using System.IO;
using System.IO.Compression;
using System.Security.Cryptography;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.Packages;

public class GunzipVerifyingReadStreamTests
{
    private static byte[] Gzip(byte[] data) => TestBytes.Gzip(data, CompressionLevel.Fastest);

    private static string Hex(byte[] b) => TestBytes.Hex(b);

    private static (byte[] Stored, Payload Payload) Fixture(string gunzipSha1 = null)
    {
        var raw = new byte[3 << 20];
        new Random(7).NextBytes(raw);
        var stored = Gzip(raw);
        var payload = new Payload
        {
            Name = "s", Type = "vgz", Size = stored.Length,
            Checksums = new[]
            {
                new PayloadChecksum("sha-256", "", Hex(SHA256.HashData(stored))),
                new PayloadChecksum("sha-256", "gunzip", Hex(SHA256.HashData(raw))),
                new PayloadChecksum("sha-1", "gunzip", gunzipSha1 ?? Hex(SHA1.HashData(raw))),
            },
        };
        return (stored, payload);
    }

    private static void ReadAll(Stream s)
    {
        var buffer = new byte[100_000]; // odd size: chunks do not line up with gzip blocks
        while (s.Read(buffer, 0, buffer.Length) > 0) { }
    }

    [Fact]
    public void Passes_bytes_through_unchanged_and_accepts_correct_checksums()
    {
        var (stored, payload) = Fixture();
        using var s = new GunzipVerifyingReadStream(new MemoryStream(stored), payload, "V_bootbank_x_1-1", "test");
        var copy = new MemoryStream();
        s.CopyTo(copy);
        Assert.Equal(stored, copy.ToArray());
    }

    [Fact]
    public void A_wrong_gunzip_sha1_is_reported_at_the_end()
    {
        var (stored, payload) = Fixture(gunzipSha1: new string('0', 40));
        using var s = new GunzipVerifyingReadStream(new MemoryStream(stored), payload, "V_bootbank_x_1-1", "test");
        var e = Assert.Throws<EsxChecksumException>(() => ReadAll(s));
        Assert.Equal("s", e.Payload);
        Assert.Contains("gunzip", e.ChecksumKind);
        Assert.Equal(new string('0', 40), e.Expected);
    }

    [Fact]
    public void Bytes_that_are_not_gzip_are_a_format_error_not_a_hang()
    {
        var junk = new byte[50_000];
        new Random(1).NextBytes(junk);
        var payload = new Payload
        {
            Name = "s", Type = "vgz", Size = junk.Length,
            Checksums = new[] { new PayloadChecksum("sha-1", "gunzip", new string('1', 40)) },
        };
        using var s = new GunzipVerifyingReadStream(new MemoryStream(junk), payload, "V_bootbank_x_1-1", "test");
        var e = Assert.Throws<EsxFormatException>(() => ReadAll(s));
        Assert.Contains("not a valid gzip", e.Message);
    }

    [Fact]
    public void Disposing_early_does_not_block()
    {
        var (stored, payload) = Fixture();
        var s = new GunzipVerifyingReadStream(new MemoryStream(stored), payload, "V_bootbank_x_1-1", "test");
        var buffer = new byte[1000];
        s.Read(buffer, 0, buffer.Length);
        s.Dispose(); // must return (the decompressor sees the end of input)
    }
}
