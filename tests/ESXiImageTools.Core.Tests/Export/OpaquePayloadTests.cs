using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Export;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.Export;

/// <summary>
/// A payload of a type this engine does not know (as newer ESXi releases may bring, e.g. a zstd-compressed tardisk;
/// the type name here is made up, no real 8.x/9.x payload is in the corpus) is carried through both exports byte for
/// byte, its stored checksums verified.
/// </summary>
public class OpaquePayloadTests
{
    private static readonly DateTimeOffset Stamp = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static (EsxImageFixture Fx, Vib Opaque, byte[] Bytes) Setup(TempDir tmp)
    {
        var fx = EsxImageFixture.Create(tmp.File("fx"));
        // Zstandard frame magic, then bytes that are not gzip: nothing may try to gunzip it.
        var bytes = new byte[] { 0x28, 0xB5, 0x2F, 0xFD }.Concat(EsxImageFixture.Filler("zstd-like", 5000)).ToArray();
        var (_, vib) = VibFixtures.Build(tmp.File("opaque"), VibFixtures.Metadata("opaque-drv", "1.0.0-1", "Test"), ("opaque", "vzst", bytes));
        Assert.All(vib.Payloads.Single().Checksums, c => Assert.Equal("", c.VerifyProcess));
        return (fx, vib, bytes);
    }

    [Fact]
    public void An_unknown_payload_type_reaches_the_iso_intact()
    {
        using var tmp = new TempDir();
        var (fx, opaque, bytes) = Setup(tmp);
        var profile = fx.Profile with { Packages = fx.Profile.Packages.Concat(new[] { opaque }).ToList() };
        var iso = tmp.File("out.iso");
        IsoExporter.Export(profile, new IsoExportOptions { Destination = iso, Timestamp = Stamp });
        var back = DepotReader.Open(iso).Packages.Single(p => p.Id == opaque.Id);
        var digests = VibVerifier.VerifyAll(back);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant(), digests["opaque"].StoredSha256.ToLowerInvariant());
        // Not a boot module, so it travels inside IMGPAYLD.TGZ (see ImagePayloadArchives), byte for byte.
        using var s = back.Content.OpenPayload(back.Payloads.Single());
        var ms = new MemoryStream();
        s.CopyTo(ms);
        Assert.Equal(bytes, ms.ToArray());
    }

    [Fact]
    public void An_unknown_payload_type_reaches_the_bundle_intact()
    {
        using var tmp = new TempDir();
        var (fx, opaque, bytes) = Setup(tmp);
        var profile = fx.Profile with { Packages = fx.Profile.Packages.Concat(new[] { opaque }).ToList() };
        var zip = tmp.File("out.zip");
        BundleExporter.Export(profile, new BundleExportOptions { Destination = zip, Timestamp = Stamp });
        var back = DepotReader.Open(zip).Packages.Single(p => p.Id == opaque.Id);
        Assert.Equal("vzst", back.Payloads.Single().Type);
        using var s = back.Content.OpenPayload(back.Payloads.Single());
        var ms = new MemoryStream();
        s.CopyTo(ms);
        Assert.Equal(bytes, ms.ToArray());
    }
}
