using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Security.Cryptography;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Export;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.Export;

public class BundleExporterTests
{
    private static readonly DateTimeOffset Stamp = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void Exported_bundle_reads_back_as_the_same_profile_and_packages()
    {
        using var tmp = new TempDir();
        var fx = EsxImageFixture.Create(tmp.File("depot"));
        var zip = tmp.File("bundle.zip");
        var result = BundleExporter.Export(fx.Profile, new BundleExportOptions { Destination = zip, Timestamp = Stamp });
        Assert.Equal("Bundle", result.Kind);

        var depot = DepotReader.Open(zip);
        Assert.Equal(fx.Profile.Packages.Select(p => p.Id).OrderBy(x => x), depot.Packages.Select(p => p.Id).OrderBy(x => x));
        var profile = Assert.Single(depot.Profiles);
        Assert.Equal(fx.Profile.Name, profile.Name);
        Assert.Equal(fx.Profile.Vendor, profile.Vendor);
        Assert.Equal(fx.Profile.AcceptanceLevel, profile.AcceptanceLevel);
        Assert.Equal(fx.Profile.Packages.Select(p => p.Id).OrderBy(x => x), profile.Packages.Select(p => p.Id).OrderBy(x => x));
        Assert.Empty(profile.MissingVibIds);
        foreach (var original in fx.Profile.Packages)
        {
            var read = depot.Packages.Single(p => p.Id == original.Id);
            VibAssert.SameMetadata(original, read, compareDepotFields: false);
            // Payload bytes verify through the depot, and equal the originals.
            var digests = VibVerifier.VerifyAll(read);
            foreach (var p in original.Payloads) Assert.Equal(p.Sha256, digests[p.Name].StoredSha256);
            Assert.True(VibVerifier.VerifyVibFile(read));
        }
    }

    [Fact]
    public void Bundle_layout_matches_the_real_bundles()
    {
        using var tmp = new TempDir();
        var fx = EsxImageFixture.Create(tmp.File("depot"));
        var zip = tmp.File("bundle.zip");
        BundleExporter.Export(fx.Profile, new BundleExportOptions { Destination = zip, Timestamp = Stamp });
        using var a = ZipFile.OpenRead(zip);
        var names = a.Entries.Select(e => e.FullName).ToList();
        Assert.Contains("index.xml", names);
        Assert.Contains("vendor-index.xml", names);
        Assert.Contains("metadata.zip", names);
        foreach (var p in fx.Profile.Packages) Assert.Contains($"vib20/{p.Name}/{p.Id}.vib", names);
        using var meta = new ZipArchive(a.GetEntry("metadata.zip").Open());
        var m = meta.Entries.Select(e => e.FullName).ToList();
        Assert.Contains("vmware.xml", m);
        Assert.Contains("vendor-index.xml", m);
        Assert.Equal(fx.Profile.Packages.Count, m.Count(n => n.StartsWith("vibs/")));
        Assert.Contains(m, n => n.StartsWith("bulletins/"));
        Assert.Single(m, n => n.StartsWith("profiles/"));
        var vendorIndex = new StreamReader(a.GetEntry("vendor-index.xml").Open()).ReadToEnd();
        Assert.Contains("<version>8.*</version>", vendorIndex);
        Assert.Contains("<productId>embeddedEsx</productId>", vendorIndex);
    }

    [CorpusFact]
    public void Our_bundle_has_the_same_top_level_shape_as_a_corpus_bundle()
    {
        using var real = ZipFile.OpenRead(Corpus.Path("ghettovcb-2015", "vghetto-ghettoVCB-offline-bundle.zip"));
        string Shape(string n) => n.StartsWith("vib20/") ? "vib20/<name>/<id>.vib" : n;
        var realShape = real.Entries.Select(e => Shape(e.FullName)).Where(n => !n.EndsWith("/")).Distinct().OrderBy(x => x).ToList();
        using var tmp = new TempDir();
        var fx = EsxImageFixture.Create(tmp.File("depot"));
        BundleExporter.Export(fx.Profile, new BundleExportOptions { Destination = tmp.File("b.zip"), Timestamp = Stamp });
        using var ours = ZipFile.OpenRead(tmp.File("b.zip"));
        var ourShape = ours.Entries.Select(e => Shape(e.FullName)).Distinct().OrderBy(x => x).ToList();
        Assert.Equal(realShape, ourShape);
    }

    [Fact]
    public void Same_inputs_and_timestamp_give_identical_bundles()
    {
        using var tmp = new TempDir();
        var fx = EsxImageFixture.Create(tmp.File("depot"));
        BundleExporter.Export(fx.Profile, new BundleExportOptions { Destination = tmp.File("a.zip"), Timestamp = Stamp });
        BundleExporter.Export(fx.Profile, new BundleExportOptions { Destination = tmp.File("b.zip"), Timestamp = Stamp });
        Assert.Equal(File.ReadAllBytes(tmp.File("a.zip")), File.ReadAllBytes(tmp.File("b.zip")));
    }

    [Fact]
    public void A_corrupt_vib_aborts_and_leaves_nothing()
    {
        using var tmp = new TempDir();
        var fx = EsxImageFixture.Create(tmp.File("depot"));
        var driver = fx.Drivers[0];
        ArMember member;
        // Closed before the rewrite: Windows refuses to write a file another handle holds open.
        using (var read = File.OpenRead(driver.Source)) member = VibFile.ListMembers(read, driver.Source).Single(x => x.Name == driver.Payloads[0].Name);
        var bytes = File.ReadAllBytes(driver.Source);
        bytes[member.DataOffset + 10] ^= 1;
        File.WriteAllBytes(driver.Source, bytes);
        var e = Assert.Throws<EsxChecksumException>(() =>
            BundleExporter.Export(fx.Profile, new BundleExportOptions { Destination = tmp.File("b.zip"), Timestamp = Stamp }));
        Assert.Equal(driver.Id, e.VibId);
        Assert.False(File.Exists(tmp.File("b.zip")));
        Assert.DoesNotContain(Directory.GetFiles(tmp.Path), f => Path.GetFileName(f).Contains("b.zip"));
    }

    [Fact]
    public void Vendor_name_and_code_go_into_index_xml()
    {
        using var tmp = new TempDir();
        var fx = EsxImageFixture.Create(tmp.File("depot"));
        var zip = tmp.File("bundle.zip");
        BundleExporter.Export(fx.Profile, new BundleExportOptions { Destination = zip, Timestamp = Stamp, VendorName = "Contoso Ltd", VendorCode = "CT1" });
        using var a = ZipFile.OpenRead(zip);
        string index;
        using (var r = new StreamReader(a.GetEntry("index.xml").Open())) index = r.ReadToEnd();
        var vendor = System.Xml.Linq.XDocument.Parse(index).Root.Element("vendor");
        Assert.Equal("Contoso Ltd", vendor.Element("name").Value);
        Assert.Equal("CT1", vendor.Element("code").Value);
    }

    [Theory]
    [InlineData("AB")]
    [InlineData("ABCD")]
    [InlineData("A-B")]
    [InlineData("AB ")]
    [InlineData("\u00c4BC")]
    [InlineData("")]
    public void A_vendor_code_that_is_not_three_letters_or_digits_is_refused_before_anything_is_written(string code)
    {
        using var tmp = new TempDir();
        var fx = EsxImageFixture.Create(tmp.File("depot"));
        var zip = tmp.File("bundle.zip");
        var e = Assert.Throws<EsxException>(() =>
            BundleExporter.Export(fx.Profile, new BundleExportOptions { Destination = zip, Timestamp = Stamp, VendorCode = code }));
        Assert.Equal(ErrorCodes.BundleVendorCodeInvalid, e.Code);
        Assert.Equal(EsxErrorCategory.InvalidArgument, e.Category);
        Assert.False(File.Exists(zip));
        Assert.Empty(Directory.GetFiles(tmp.Path, "*", SearchOption.TopDirectoryOnly));
    }
}
