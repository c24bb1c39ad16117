using System;
using System.IO;
using System.Linq;
using System.Text;
using ESXiImageTools.Core.Authoring;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Export;
using ESXiImageTools.Core.Iso;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Verification;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.Verification;

/// <summary>
/// The verifier on images the exporter wrote, and on copies with one structural fault patched in (a payload byte, a module
/// name in one BOOT.CFG, an El Torito pointer): each fault is found, named, and only that one.
/// </summary>
public class ImageVerifierTests
{
    private static readonly DateTimeOffset Stamp = new(2025, 2, 3, 4, 5, 6, TimeSpan.Zero);

    private static (EsxImageFixture Fixture, string Iso) Iso(TempDir tmp)
    {
        var fx = EsxImageFixture.Create(tmp.File("src"));
        var iso = tmp.File("esxi.iso");
        IsoExporter.Export(fx.Profile, new IsoExportOptions { Destination = iso, Timestamp = Stamp });
        return (fx, iso);
    }

    /// <summary>A copy of <paramref name="iso"/> with <paramref name="patch"/> applied to its bytes.</summary>
    private static string Patched(TempDir tmp, string iso, string name, Action<IsoReader, byte[]> patch)
    {
        var bytes = File.ReadAllBytes(iso);
        using (var r = IsoReader.Open(iso)) patch(r, bytes);
        var copy = tmp.File(name);
        File.WriteAllBytes(copy, bytes);
        return copy;
    }

    private static long Offset(IsoReader r, string path) => (long)((IsoFileEntry)r.Find(path)).Lba * 2048;

    [Fact]
    public void An_exported_iso_passes_every_check()
    {
        using var tmp = new TempDir();
        var (fx, iso) = Iso(tmp);
        var v = ImageVerifier.Verify(iso);
        Assert.True(v.IsValid, string.Join("\n", v.Problems));
        Assert.Empty(v.Problems);
        Assert.Equal("Iso", v.Kind);
        Assert.True(v.Passed.Count > 5, string.Join("\n", v.Passed));
        Assert.True(v.Passed.Any(l => l.StartsWith("El Torito BIOS entry → /ISOLINUX.BIN", StringComparison.Ordinal)), string.Join("\n", v.Passed));
        Assert.Equal(fx.Profile.Packages.Sum(p => p.Payloads.Count), v.PayloadsVerified);
        Assert.Contains(v.Passed, l => l.StartsWith("El Torito BIOS entry → /ISOLINUX.BIN", StringComparison.Ordinal));
        Assert.Contains(v.Passed, l => l.StartsWith("El Torito UEFI entry → /EFIBOOT.IMG", StringComparison.Ordinal));
        Assert.Contains("both BOOT.CFGs load the same modules in the same order", v.Passed);
        Assert.Equal(fx.Profile.Name, Assert.Single(v.Profiles).Name);
    }

    [Fact]
    public void A_changed_payload_byte_is_a_checksum_error_naming_the_vib()
    {
        using var tmp = new TempDir();
        var (fx, iso) = Iso(tmp);
        var bad = Patched(tmp, iso, "bad.iso", (r, b) => b[Offset(r, "B.B00") + 100] ^= 0xFF);
        var v = ImageVerifier.Verify(bad);
        var p = Assert.Single(v.Problems);
        Assert.Equal((ImageCheck.Checksums, ImageProblemSeverity.Error), (p.Check, p.Severity));
        Assert.Contains(fx.Base.Id, p.Message);
        Assert.False(v.IsValid);
    }

    [Fact]
    public void A_module_missing_from_one_boot_cfg_is_found_in_both_directions()
    {
        using var tmp = new TempDir();
        var (_, iso) = Iso(tmp);
        var bad = Patched(tmp, iso, "cfg.iso", (r, b) =>
        {
            long at = Offset(r, "EFI/BOOT/BOOT.CFG");
            var text = Encoding.ASCII.GetString(b, (int)at, 4096);
            int i = text.IndexOf("/imgdb.tgz", StringComparison.Ordinal);
            Assert.True(i > 0);
            Encoding.ASCII.GetBytes("/imgdx.tgz").CopyTo(b, at + i);
        });
        var v = ImageVerifier.Verify(bad);
        Assert.False(v.IsValid);
        Assert.True(v.Problems.Count == 3, string.Join("\n", v.Problems));
        Assert.All(v.Problems, p => Assert.Equal(ImageCheck.BootCfg, p.Check));
        Assert.Contains(v.Problems, p => p.File == "/EFI/BOOT/BOOT.CFG" && p.Message.Contains("/imgdx.tgz, which the image lacks"));
        Assert.Contains(v.Problems, p => p.File == "/EFI/BOOT/BOOT.CFG" && p.Message.Contains("lacks module /imgdb.tgz"));
        Assert.Contains(v.Problems, p => p.File == "/BOOT.CFG" && p.Message.Contains("lacks module /imgdx.tgz"));
    }

    [Fact]
    public void An_el_torito_entry_pointing_at_no_file_is_an_error()
    {
        using var tmp = new TempDir();
        var (_, iso) = Iso(tmp);
        var bad = Patched(tmp, iso, "boot.iso", (r, b) =>
        {
            var efi = r.BootCatalog.Entries.Single(e => e.IsEfi);
            long cat = (long)r.BootCatalog.Lba * 2048;
            var lba = BitConverter.GetBytes(efi.Lba);
            int at = Enumerable.Range(0, 2048 - 4).Single(i => i % 32 == 8 && b.Skip((int)cat + i).Take(4).SequenceEqual(lba) && i > 32);
            BitConverter.GetBytes(efi.Lba + 1).CopyTo(b, cat + at);
        });
        var v = ImageVerifier.Verify(bad);
        var p = Assert.Single(v.Problems);
        Assert.Equal(ImageCheck.ElTorito, p.Check);
        Assert.Contains("UEFI boot entry points at sector", p.Message);
    }

    [Fact]
    public void An_iso_without_an_image_database_or_boot_catalog_is_reported_not_thrown()
    {
        using var tmp = new TempDir();
        var dir = tmp.File("plain");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "README.TXT"), "hello");
        var iso = tmp.File("plain.iso");
        new IsoBuilder(Stamp).AddFile("README.TXT", Path.Combine(dir, "README.TXT")).WriteToFile(iso, false, null, default);
        var v = ImageVerifier.Verify(iso);
        Assert.Contains(v.Problems, p => p.Check == ImageCheck.ElTorito && p.Message.Contains("no El Torito boot catalog"));
        Assert.Contains(v.Problems, p => p.Check == ImageCheck.BootCfg && p.File == "/BOOT.CFG");
        Assert.Contains(v.Problems, p => p.Check == ImageCheck.ImageDatabase && p.Message.Contains("IMGDB.TGZ"));
    }

    [Fact]
    public void Bundles_are_verified_file_by_file_and_other_files_are_typed_errors()
    {
        using var tmp = new TempDir();
        var (driver, _) = VibFixtures.Build(tmp.File("d"), "net-foo", "1.0-1", level: AcceptanceLevel.CommunitySupported);
        var bundle = BundleAuthor.Create(new[] { driver }, tmp.File("b.zip"), new BundleAuthoringOptions { Timestamp = Stamp }).Path;
        var ok = ImageVerifier.Verify(bundle);
        Assert.True(ok.IsValid, string.Join("\n", ok.Problems));
        Assert.Equal("Bundle", ok.Kind);
        Assert.Equal(1, ok.PayloadsVerified);

        // The .vib is stored uncompressed in the zip: change one byte of its payload.
        var bytes = File.ReadAllBytes(bundle);
        var vib = File.ReadAllBytes(driver);
        int start = Enumerable.Range(0, bytes.Length - vib.Length).First(i => bytes.Skip(i).Take(64).SequenceEqual(vib.Take(64)));
        bytes[start + vib.Length - 10] ^= 0xFF;
        File.WriteAllBytes(tmp.File("bad.zip"), bytes);
        var bad = ImageVerifier.Verify(tmp.File("bad.zip"));
        Assert.False(bad.IsValid);
        Assert.Contains(bad.Problems, p => p.Check == ImageCheck.Checksums || p.Check == ImageCheck.ImageDatabase);

        // An unsigned package that claims PartnerSupported is an error: an ESXi host refuses it.
        var partner = VibFixtures.Build(tmp.File("p"), VibFixtures.Metadata("net-partner", "1.0-1") with { AcceptanceLevel = AcceptanceLevel.CommunitySupported }).Path;
        var unsigned = tmp.File("unsigned.vib");
        var metadata = VibFile.Open(partner) with { AcceptanceLevel = AcceptanceLevel.PartnerSupported };
        VibWriter.WriteFile(metadata, metadata.Payloads.Select(p => new PayloadSource(p.Name, () => VibFile.Open(partner).Content.OpenPayload(p))), unsigned);
        var claims = ImageVerifier.Verify(BundleAuthor.Create(new[] { unsigned }, tmp.File("p.zip")).Path);
        Assert.False(claims.IsValid);
        var w = Assert.Single(claims.Problems);
        Assert.Equal((ImageCheck.Signatures, ImageProblemSeverity.Error), (w.Check, w.Severity));
        Assert.Contains("claims PartnerSupported but carries no signature", w.Message);

        File.WriteAllText(tmp.File("text.iso"), "not an image");
        Assert.Equal(ErrorCodes.DepotInvalid, Assert.Throws<EsxFormatException>(() => ImageVerifier.Verify(tmp.File("text.iso"))).Code);
        Assert.Equal(ErrorCodes.FileNotFound, Assert.Throws<EsxException>(() => ImageVerifier.Verify(tmp.File("none.iso"))).Code);
    }

    /// <summary>
    /// The exported image rebuilt file by file with what real ESXi 7/8 media add: the database companions BOOT.CFG loads
    /// after imgdb.tgz (basemisc.tgz, imgpayld.tgz), an UPGRADE/ folder, and a module no payload explains. The checks read
    /// BOOT.CFG and IMGDB.TGZ, not one exporter's layout: the companions pass, the stray module is only a warning.
    /// </summary>
    [Fact]
    public void Real_media_extras_pass_and_a_stray_module_is_only_a_warning()
    {
        using var tmp = new TempDir();
        var (_, iso) = Iso(tmp);
        var files = new System.Collections.Generic.Dictionary<string, byte[]>(StringComparer.Ordinal);
        using (var r = IsoReader.Open(iso))
            foreach (var f in r.Files.Where(f => !f.Path.TrimStart('/').Equals("BOOT.CAT", StringComparison.OrdinalIgnoreCase)))
            {
                using var s = r.OpenFile(f);
                var ms = new MemoryStream();
                s.CopyTo(ms);
                files[f.Path.TrimStart('/')] = ms.ToArray();
            }
        var cfg = BootCfg.Parse(Encoding.ASCII.GetString(files["BOOT.CFG"]));
        // Whatever of these the exporter does not write already is added, file and module.
        var extras = new[] { "basemisc.tgz", "imgpayld.tgz", "extra.v00" }
            .Where(m => !cfg.Modules.Any(x => BootCfg.ModuleFileName(x).TrimStart('/') == m)).ToList();
        Assert.Contains("extra.v00", extras);
        cfg.Modules = cfg.Modules.Concat(extras.Select(m => "/" + m)).ToList();
        var text = Encoding.ASCII.GetBytes(cfg.ToString());
        files["BOOT.CFG"] = files["EFI/BOOT/BOOT.CFG"] = text;
        foreach (var m in extras) files[m.ToUpperInvariant()] = DeterministicGzip(new byte[100 + m.Length]);
        if (!files.Keys.Any(k => k.StartsWith("UPGRADE/", StringComparison.Ordinal)))
            files["UPGRADE/PROFILE.XML"] = Encoding.ASCII.GetBytes("<imageProfile/>");

        var b = new IsoBuilder(Stamp)
        {
            VolumeId = "ESXI-REAL",
            BiosBoot = new IsoBiosBoot { Path = "ISOLINUX.BIN", LoadSectors = 4, PatchBootInfoTable = true },
            EfiBoot = new IsoEfiBoot { Path = "EFIBOOT.IMG" },
            BootCatalogPath = "BOOT.CAT",
        };
        foreach (var kv in files.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            var bytes = kv.Value;
            b.AddFile(kv.Key, bytes.Length, () => new MemoryStream(bytes, false));
        }
        var real = tmp.File("real.iso");
        b.WriteToFile(real, false, null, default);

        var v = ImageVerifier.Verify(real);
        Assert.True(v.IsValid, string.Join("\n", v.Problems));
        var p = Assert.Single(v.Problems);
        Assert.Equal((ImageCheck.ImageDatabase, ImageProblemSeverity.Warning), (p.Check, p.Severity));
        Assert.Contains("/extra.v00 is no payload", p.Message);
    }

    private static byte[] DeterministicGzip(byte[] data) => ESXiImageTools.Core.IO.DeterministicGZipStream.Compress(data);

    /// <summary>
    /// The real-media layout: a depot of the real ESXi 7.0.0 descriptors exported with typed boot loaders,
    /// UPGRADE/, IMGDB bulletins and IMGPAYLD.TGZ. The same checks hold there, with nothing to report.
    /// </summary>
    [CorpusFact]
    public void The_real_media_layout_of_the_7_0_0_descriptors_passes()
    {
        using var tmp = new TempDir();
        var fx = RealDescriptorDepot.Create(tmp.File("depot"));
        var depot = global::ESXiImageTools.Core.Depots.DepotReader.Open(fx.BundlePath);
        var profile = depot.Profiles.Single(p => p.Name == RealDescriptorDepot.ProfileName);
        var iso = tmp.File("real.iso");
        IsoExporter.Export(profile, new IsoExportOptions { NoSignatureCheck = true, Destination = iso, Timestamp = Stamp, Catalog = depot.Packages });
        var v = ImageVerifier.Verify(iso);
        Assert.True(v.Problems.Count == 0, string.Join("\n", v.Problems));
        Assert.Equal(profile.Name, Assert.Single(v.Profiles).Name);
        Assert.Contains(v.Passed, l => l.StartsWith("/BOOT.CFG: kernel and ", StringComparison.Ordinal));
        Assert.True(v.PayloadsVerified > profile.Packages.Count, $"{v.PayloadsVerified} payloads verified");
    }

    public static System.Collections.Generic.IEnumerable<object[]> CorpusZips()
        => Corpus.Available
            ? Directory.EnumerateFiles(Corpus.Root, "*.zip", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal)
                       .Select(f => new object[] { Path.GetRelativePath(Corpus.Root, f) })
            : new[] { new object[] { "(no corpus)" } };

    /// <summary>Anyone's bundles: every zip in the corpus (VIB Author, VIB2ZIP, a wrapped download, a 7.0 component) is sound,
    /// and the signed VMware ones are recognised as signed from their sig.pkcs7 (bundle metadata does not say).</summary>
    [CorpusTheory]
    [MemberData(nameof(CorpusZips))]
    public void Every_corpus_bundle_verifies_without_a_problem(string relative)
    {
        var v = ImageVerifier.Verify(Path.Combine(Corpus.Root, relative));
        Assert.True(v.Problems.Count == 0, string.Join("\n", v.Problems));
        Assert.Equal("Bundle", v.Kind);
        Assert.True(v.PayloadsVerified >= 1);
    }
}
