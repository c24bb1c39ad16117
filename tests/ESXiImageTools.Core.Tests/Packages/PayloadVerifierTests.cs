using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.Packages;

public class PayloadVerifierTests
{
    private static string Hex(byte[] b) => TestBytes.Hex(b);

    private static byte[] Gzip(byte[] data) => TestBytes.Gzip(data);

    private static (Payload payload, byte[] stored) Sample(string verify = "gunzip")
    {
        var raw = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("vmtar-ish content ", 5000)));
        var stored = Gzip(raw);
        var p = new Payload
        {
            Name = "p",
            Type = "vgz",
            Size = stored.Length,
            Checksums = new[]
            {
                new PayloadChecksum("sha-256", "", Hex(SHA256.HashData(stored))),
                new PayloadChecksum("sha-256", verify, Hex(SHA256.HashData(raw))),
                new PayloadChecksum("sha-1", verify, Hex(SHA1.HashData(raw))),
            },
        };
        return (p, stored);
    }

    [Fact]
    public void VerifiesStoredAndGunzippedInOnePass()
    {
        var (p, stored) = Sample();
        var d = PayloadVerifier.Verify(p, new ForwardOnlyStream(new MemoryStream(stored)), "V_bootbank_x_1", "x.vib");
        Assert.Equal(stored.Length, d.StoredSize);
        Assert.Equal(5000 * 18, d.GunzippedSize);
        Assert.Equal(p.Sha256, d.StoredSha256);
    }

    [Fact]
    public void AcceptsNewerGunzipVerifyProcessNames()
    {
        var (p, stored) = Sample("gunzip1");
        Assert.NotNull(PayloadVerifier.Verify(p, new MemoryStream(stored), "id", "x.vib"));
    }

    [Fact]
    public void BitFlipIsChecksumMismatchNamingEverything()
    {
        var (p, stored) = Sample();
        stored[stored.Length / 2] ^= 0x01;
        var e = Assert.ThrowsAny<EsxFormatException>(() => PayloadVerifier.Verify(p, new MemoryStream(stored), "V_bootbank_x_1", "x.vib"));
        // A flipped bit in deflate data either fails a checksum or breaks the gzip stream: both are checksum errors.
        var c = Assert.IsType<EsxChecksumException>(e);
        Assert.Equal(ErrorCodes.VibChecksumMismatch, c.Code);
        Assert.Equal("V_bootbank_x_1", c.VibId);
        Assert.Equal("p", c.Payload);
        Assert.Contains("x.vib [p]", c.Message);
        Assert.Contains(c.Expected, c.Message);
    }

    [Fact]
    public void StoredMismatchReportsBothValues()
    {
        var (p, stored) = Sample();
        var wrong = p with { Checksums = new[] { new PayloadChecksum("sha-256", "", new string('0', 64)) } };
        var e = Assert.Throws<EsxChecksumException>(() => PayloadVerifier.Verify(wrong, new MemoryStream(stored), "id", "x.vib"));
        Assert.Equal(new string('0', 64), e.Expected);
        Assert.Equal(p.Sha256, e.Actual);
        Assert.Equal("sha-256", e.ChecksumKind);
        Assert.Contains(p.Sha256, e.Message);
    }

    [Fact]
    public void GunzipChecksumOnNonGzipDataIsChecksumError()
    {
        var (p, _) = Sample();
        var plain = Encoding.ASCII.GetBytes("plain data, not gzip");
        var e = Assert.Throws<EsxChecksumException>(() => PayloadVerifier.Verify(p with { Size = plain.Length }, new MemoryStream(plain), "id", "x.vib"));
        Assert.Contains("not gzip", e.Actual);
    }

    [Fact]
    public void SizeMismatchIsTyped()
    {
        var (p, stored) = Sample();
        var e = Assert.Throws<EsxFormatException>(() => PayloadVerifier.Verify(p with { Size = 5 }, new MemoryStream(stored), "id", "x.vib"));
        Assert.Equal(ErrorCodes.VibSizeMismatch, e.Code);
    }

    [Fact]
    public void UnsupportedChecksumKindsAreRefusedNotSkipped()
    {
        var (p, stored) = Sample();
        var md5 = p with { Checksums = new[] { new PayloadChecksum("md5", "", "00") } };
        Assert.Equal(ErrorCodes.VibInvalidDescriptor, Assert.Throws<EsxFormatException>(() => PayloadVerifier.Verify(md5, new MemoryStream(stored), "id", "x")).Code);
        var xz = p with { Checksums = new[] { new PayloadChecksum("sha-256", "unxz", "00") } };
        Assert.Equal(ErrorCodes.VibInvalidDescriptor, Assert.Throws<EsxFormatException>(() => PayloadVerifier.Verify(xz, new MemoryStream(stored), "id", "x")).Code);
    }

    [Fact]
    public void VerifyingReadStreamChecksAtEnd()
    {
        var (p, stored) = Sample();
        using (var ok = new VerifyingReadStream(new MemoryStream(stored), p, "id", "x.vib"))
        {
            ok.CopyTo(Stream.Null);
            Assert.True(ok.Verified);
        }
        stored[10] ^= 0x80;
        using var bad = new VerifyingReadStream(new MemoryStream(stored), p, "V_x", "x.vib");
        var e = Assert.Throws<EsxChecksumException>(() => bad.CopyTo(Stream.Null));
        Assert.Equal("V_x", e.VibId);
        Assert.Equal("p", e.Payload);
        Assert.False(bad.Verified);
    }

    [Fact]
    public void VerifyingReadStreamCannotVerifyGunzipOnlyPayloads()
    {
        var (p, stored) = Sample();
        var gzOnly = p with { Checksums = p.Checksums.Where(c => c.IsOverGunzipped).ToList() };
        using var s = new VerifyingReadStream(new MemoryStream(stored), gzOnly, "id", "x.vib");
        Assert.False(s.CanVerify);
        s.CopyTo(Stream.Null);
        Assert.False(s.Verified);
    }

    [Fact]
    public void A_txt_mle_checksum_beside_checkable_ones_is_carried_through_and_reported_never_fatal()
    {
        var (p, stored) = Sample();
        // As real esx-base 'b': the txt-mle sha-256 first, then the ones this engine can check.
        var mle = new PayloadChecksum("sha-256", "txt-mle", "cec4ff471f926d6e39b9172ebf44ca55408f00ccce0ade852af4246ce3ef5b09");
        var withMle = p with { Checksums = new[] { mle }.Concat(p.Checksums).ToList() };
        Assert.Equal(p.Sha256, withMle.Sha256);
        Assert.Equal(new[] { mle }, withMle.UnverifiableChecksums);
        var d = PayloadVerifier.Verify(withMle, new MemoryStream(stored), "VMware_bootbank_esx-base_7.0.0-1.0.15843807", "x.vib");
        Assert.Equal(p.Sha256, d.StoredSha256);
        using (var s = new GunzipVerifyingReadStream(new MemoryStream(stored), withMle, "id", "x.vib")) s.CopyTo(Stream.Null);
        using (var s = new VerifyingReadStream(new MemoryStream(stored), withMle, "id", "x.vib")) { s.CopyTo(Stream.Null); Assert.True(s.Verified); }
        var note = PayloadVerifier.DescribeUnverifiable(withMle, "V_esx-base");
        Assert.Contains("txt-mle", note);
        Assert.Contains("'p'", note);
        Assert.Null(PayloadVerifier.DescribeUnverifiable(p, "V"));
        // The checkable checksums still bite.
        stored[20] ^= 1;
        Assert.Throws<EsxChecksumException>(() => PayloadVerifier.Verify(withMle, new MemoryStream(stored), "id", "x.vib"));
    }

    [Fact]
    public void A_payload_with_only_txt_mle_checksums_is_refused_with_a_typed_error()
    {
        var (p, stored) = Sample();
        var only = p with { Checksums = new[] { new PayloadChecksum("sha-256", "txt-mle", "00") } };
        var e = Assert.Throws<EsxFormatException>(() => PayloadVerifier.Verify(only, new MemoryStream(stored), "V_x", "x.vib"));
        Assert.Equal(ErrorCodes.VibInvalidDescriptor, e.Code);
        Assert.Contains("txt-mle", e.Message);
        Assert.Equal("x.vib", e.File);
    }
}
