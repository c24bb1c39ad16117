using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Xml.Linq;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.Depots;

/// <summary>Bundles built by <see cref="BundleBuilder"/> from fixture VIBs: profiles, components, and every bad-input case.</summary>
public class GeneratedBundleTests
{
    private static DepotOptions Options(TempDir d) => new DepotOptions { CacheDirectory = Path.Combine(d.Path, "cache"), UseProxy = false };

    /// <summary>Two fixture VIBs (base + driver) with descriptor text and bytes.</summary>
    internal static (string Xml, byte[] Bytes, Vib Vib)[] Vibs(TempDir d, params (string Name, string Version, string Vendor)[] specs)
    {
        if (specs.Length == 0) specs = new[] { ("esx-base", "7.0.3-0.0.19193900", "VMware"), ("net-foo", "1.0-1", "ACME") };
        return specs.Select(s =>
        {
            var (path, vib) = VibFixtures.Build(Path.Combine(d.Path, "vibs-" + s.Name + "-" + s.Version), s.Name, s.Version, s.Vendor);
            return (Descriptor(path), File.ReadAllBytes(path), vib);
        }).ToArray();
    }

    internal static string Descriptor(string vibPath) => BundleBuilder.DescriptorOf(vibPath);

    private static BundleBuilder Standard(TempDir d, out (string Xml, byte[] Bytes, Vib Vib)[] vibs)
    {
        vibs = Vibs(d);
        var b = new BundleBuilder();
        foreach (var v in vibs) b.AddVib(v.Xml, v.Bytes);
        b.AddBulletin("ACME-net-foo_1.0-1", new[] { vibs[1].Vib.Id }, "ACME-net-foo", "1.0-1");
        b.AddProfile("ESXi-7.0-test-standard", "VMware, Inc.", vibs.Select(v => v.Vib.Id), "partner", "standard profile", new XElement("statelessready", "true"));
        b.AddProfile("ESXi-7.0-test-missing", "VMware, Inc.", new[] { vibs[0].Vib.Id, "VMware_bootbank_gone_1.0-1" });
        b.AddMetadataEntry("baseimages/7.0.3-0.0.19193900.json", "{\"releaseID\":\"bi-7.0.3\"}");
        return b;
    }

    private static Depot Open(TempDir d, BundleBuilder b, string name = "bundle.zip")
    {
        var zip = d.File(name);
        b.Write(zip);
        return DepotReader.Open(zip, Options(d));
    }

    private static EsxException Fails(TempDir d, BundleBuilder b, string code)
    {
        var zip = d.File("bad.zip");
        b.Write(zip);
        var e = Assert.ThrowsAny<EsxException>(() => DepotReader.Open(zip, Options(d)));
        Assert.Equal(code, e.Code);
        Assert.Contains(zip, e.Message);
        return e;
    }

    [Fact]
    public void Profiles_components_and_release_units()
    {
        using var d = new TempDir();
        var depot = Open(d, Standard(d, out var vibs));
        Assert.Equal(vibs.Select(v => v.Vib.Id).OrderBy(x => x), depot.Packages.Select(p => p.Id).OrderBy(x => x));
        Assert.Equal(2, depot.Profiles.Count);
        var std = depot.Profiles.Single(p => p.Name == "ESXi-7.0-test-standard");
        Assert.True(std.ReadOnly);
        Assert.Equal("VMware, Inc.", std.Vendor);
        Assert.Equal(AcceptanceLevel.PartnerSupported, std.AcceptanceLevel);
        Assert.Equal(new DateTimeOffset(2023, 2, 3, 4, 5, 6, TimeSpan.Zero), std.ModifiedTime);
        Assert.Equal(depot.Source, std.Source);
        Assert.Equal(vibs.Select(v => v.Vib.Id), std.Packages.Select(p => p.Id));
        Assert.Same(depot.Packages.Single(p => p.Id == vibs[0].Vib.Id), std.Packages[0]);
        Assert.Contains("<statelessready>true</statelessready>", std.UnknownElements);
        Assert.Equal(new[] { "VMware_bootbank_gone_1.0-1" }, depot.Profiles.Single(p => p.Name.EndsWith("missing")).MissingVibIds);
        var c = Assert.Single(depot.Components);
        Assert.Equal("ACME-net-foo:1.0-1", c.Id);
        Assert.Equal(vibs[1].Vib.Id, Assert.Single(c.Packages).Id);
        Assert.Equal("7.0.3-0.0.19193900", Assert.Single(depot.BaseImages).Id);
        foreach (var p in depot.Packages)
        {
            Assert.True(VibVerifier.VerifyVibFile(p));
            VibVerifier.VerifyAll(p);
            Assert.Equal(vibs.Single(v => v.Vib.Id == p.Id).Vib.Payloads.Select(x => x.Sha256), p.Payloads.Select(x => x.Sha256));
        }
        var session = new DepotSession();
        session.Add(depot);
        Assert.Equal(new[] { "ESXi-7.0-test-standard" }, session.FindProfiles(new[] { "*standard" }).Select(p => p.Name));
        Assert.Equal(2, session.FindProfiles(null, new[] { "VMware*" }).Count);
        Assert.Empty(session.FindProfiles(null, new[] { "ACME" }));
    }

    [Fact]
    public void Vibs_at_the_root_and_vmw_depot_index_name()
    {
        using var d = new TempDir();
        var vibs = Vibs(d);
        var b = new BundleBuilder { VibsAtRoot = true, IndexFileName = "vmw-depot-index.xml", MetadataName = "ACME-foo-1.0-metadata.zip" };
        foreach (var v in vibs) b.AddVib(v.Xml, v.Bytes);
        var depot = Open(d, b);
        Assert.Equal(2, depot.Packages.Count);
        Assert.All(depot.Packages, p => Assert.DoesNotContain("vib20", p.Content.Location));
        Assert.All(depot.Packages, p => VibVerifier.VerifyVibFile(p));
    }

    [Fact]
    public void Metadata_naming_a_vib_the_zip_lacks_reports_it_and_loads_the_rest()
    {
        using var d = new TempDir();
        var vibs = Vibs(d);
        var b = new BundleBuilder().AddVib(vibs[0].Xml, vibs[0].Bytes).AddVib(vibs[1].Xml, vibs[1].Bytes, includeFile: false);
        b.AddBulletin("only-bulletin", new[] { "ACME_bootbank_phantom_2.0-1" });
        var depot = Open(d, b);
        Assert.Equal(vibs[0].Vib.Id, Assert.Single(depot.Packages).Id);
        Assert.Equal(2, depot.UnavailablePackages.Count);
        var missing = depot.UnavailablePackages.Single(u => u.VibId == vibs[1].Vib.Id);
        Assert.Contains("no entry", missing.Reason);
        Assert.Equal($"vib20/net-foo/{vibs[1].Vib.Id}.vib", missing.Location);
        Assert.NotNull(missing.Package);
        Assert.Null(depot.UnavailablePackages.Single(u => u.VibId == "ACME_bootbank_phantom_2.0-1").Package);
    }

    [Fact]
    public void Missing_index_is_explained()
    {
        using var d = new TempDir();
        var b = Standard(d, out _);
        b.IndexXml = "";
        var e = Fails(d, b, ErrorCodes.DepotInvalid);
        Assert.Contains("no index.xml", e.Message);
        Assert.Contains("vendor-index.xml", e.Message); // says what it found instead
    }

    [Theory]
    [InlineData("index", "<vendorList><vendor>", "not well-formed")]
    [InlineData("index", "<notAnIndex/>", "expected <vendorList>")]
    [InlineData("vendor", "", "vendor index is missing")]
    [InlineData("vendor", "<metaList></metaList>", "no <metadata>")]
    [InlineData("vendor", "<metaList", "not well-formed")]
    [InlineData("metadata", "", "metadata zip is missing")]
    [InlineData("metadata", "not a zip", "not a readable zip")]
    [InlineData("doctype", "<!DOCTYPE x [<!ENTITY a \"b\">]><vendorList/>", "DTD")]
    public void Malformed_index_vendor_index_and_metadata(string part, string content, string problem)
    {
        using var d = new TempDir();
        var b = Standard(d, out _);
        switch (part)
        {
            case "index": b.IndexXml = content; break;
            case "doctype": b.IndexXml = content; break;
            case "vendor": b.VendorIndexXml = content; break;
            case "metadata": b.MetadataBytes = Encoding.UTF8.GetBytes(content); break;
        }
        var e = Fails(d, b, part == "doctype" ? ErrorCodes.XmlDtdProhibited : ErrorCodes.DepotInvalid);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void Malformed_descriptor_inside_metadata_names_the_entry()
    {
        using var d = new TempDir();
        var b = Standard(d, out _);
        b.AddMetadataEntry("vibs/broken-1.xml", "<vib version=\"5.0\"><name>broken</name>");
        var e = Fails(d, b, ErrorCodes.DepotInvalid);
        Assert.Contains("vibs/broken-1.xml", e.Message);
    }

    [Theory]
    [InlineData("../evil.vib")]
    [InlineData("vib20/../../evil.vib")]
    [InlineData("/etc/evil.vib")]
    [InlineData("C:/evil.vib")]
    public void Unsafe_entry_names_are_refused(string name)
    {
        using var d = new TempDir();
        var b = Standard(d, out _).AddEntry(name, new byte[] { 1, 2, 3 });
        var e = Fails(d, b, ErrorCodes.DepotUnsafeEntry);
        Assert.Contains(name, e.Message);
    }

    [Fact]
    public void Unsafe_entry_names_inside_metadata_are_refused()
    {
        using var d = new TempDir();
        var b = Standard(d, out _).AddMetadataEntry("profiles/../../x.xml", "<imageprofile/>");
        Fails(d, b, ErrorCodes.DepotUnsafeEntry);
    }

    [Fact]
    public void Compression_bomb_is_DepotTooLarge()
    {
        using var d = new TempDir();
        var b = Standard(d, out _).AddEntry("vib20/bomb/zeros.bin", new byte[48 << 20]);
        var e = Fails(d, b, ErrorCodes.DepotTooLarge);
        Assert.Contains("zeros.bin", e.Message);
    }

    [Fact]
    public void Bomb_in_metadata_is_DepotTooLarge()
    {
        using var d = new TempDir();
        var b = Standard(d, out _).AddMetadataEntry("vibs/huge.xml", new byte[48 << 20]);
        Fails(d, b, ErrorCodes.DepotTooLarge);
    }

    [Fact]
    public void Entry_over_the_size_limit_is_DepotTooLarge()
    {
        using var d = new TempDir();
        Standard(d, out _).Write(d.File("b.zip"));
        var o = Options(d) with { Limits = new DepotLimits { MaxEntryBytes = 1000 } };
        var e = Assert.ThrowsAny<EsxException>(() => DepotReader.Open(d.File("b.zip"), o));
        Assert.Equal(ErrorCodes.DepotTooLarge, e.Code);
    }

    [Fact]
    public void Duplicate_ids_with_different_content_conflict_in_a_session_and_nothing_is_registered()
    {
        using var d = new TempDir();
        var vibs = Vibs(d);
        new BundleBuilder().AddVib(vibs[1].Xml, vibs[1].Bytes).Write(d.File("a.zip"));
        // Same descriptor, different bytes (an extra trailing byte makes a different sha-256).
        var other = vibs[1].Bytes.Concat(new byte[] { 0x0a }).ToArray();
        new BundleBuilder().AddVib(vibs[1].Xml, other).AddVib(vibs[0].Xml, vibs[0].Bytes).Write(d.File("b.zip"));
        var session = new DepotSession(Options(d));
        session.Add(d.File("a.zip"));
        var e = Assert.ThrowsAny<EsxException>(() => session.Add(d.File("b.zip")));
        Assert.Equal(ErrorCodes.DepotDuplicateConflict, e.Code);
        Assert.Contains(d.File("a.zip"), e.Message);
        Assert.Contains(d.File("b.zip"), e.Message);
        Assert.Contains(vibs[1].Vib.Id, e.Message);
        Assert.Single(session.Depots);
        Assert.Single(session.Packages);
        // Identical content is one package.
        new BundleBuilder().AddVib(vibs[1].Xml, vibs[1].Bytes).Write(d.File("c.zip"));
        session.Add(d.File("c.zip"));
        Assert.Equal(2, session.Depots.Count);
        Assert.Single(session.Packages);
    }

    [Fact]
    public void Duplicate_ids_with_different_content_inside_one_folder_conflict()
    {
        using var d = new TempDir();
        var vibs = Vibs(d);
        var folder = Path.Combine(d.Path, "folder");
        Directory.CreateDirectory(folder);
        new BundleBuilder().AddVib(vibs[1].Xml, vibs[1].Bytes).Write(Path.Combine(folder, "a.zip"));
        new BundleBuilder().AddVib(vibs[1].Xml, vibs[1].Bytes.Concat(new byte[] { 1 }).ToArray()).Write(Path.Combine(folder, "b.zip"));
        var e = Assert.ThrowsAny<EsxException>(() => DepotReader.Open(folder, Options(d)));
        Assert.Equal(ErrorCodes.DepotDuplicateConflict, e.Code);
    }

    [Fact]
    public void Zip_that_is_neither_bundle_nor_wrapper_says_what_it_holds()
    {
        using var d = new TempDir();
        using (var z = ZipFile.Open(d.File("x.zip"), ZipArchiveMode.Create))
        {
            z.CreateEntry("readme.txt");
            z.CreateEntry("driver/foo.vib");
        }
        var e = Assert.ThrowsAny<EsxException>(() => DepotReader.Open(d.File("x.zip"), Options(d)));
        Assert.Equal(ErrorCodes.DepotInvalid, e.Code);
        Assert.Contains("readme.txt", e.Message);
        Assert.Contains("driver/foo.vib", e.Message);
    }

    [Fact]
    public void Missing_file_and_empty_folder()
    {
        using var d = new TempDir();
        Assert.Equal(ErrorCodes.FileNotFound, Assert.ThrowsAny<EsxException>(() => DepotReader.Open(d.File("nope.zip"))).Code);
        Directory.CreateDirectory(d.File("empty"));
        Assert.Equal(ErrorCodes.DepotInvalid, Assert.ThrowsAny<EsxException>(() => DepotReader.Open(d.File("empty"))).Code);
    }
}
