using System;
using System.IO;
using System.Linq;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Export;
using ESXiImageTools.Core.Iso;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.Export;

/// <summary>An exported ISO read back as a depot: same profile, same ids, same payload hashes.</summary>
public class IsoRoundTripTests
{
    private static readonly DateTimeOffset Stamp = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void Exported_iso_reads_back_as_a_depot_with_the_same_profile()
    {
        using var tmp = new TempDir();
        var fx = EsxImageFixture.Create(tmp.File("depot"));
        var iso = tmp.File("esxi.iso");
        IsoExporter.Export(fx.Profile, new IsoExportOptions { Destination = iso, Timestamp = Stamp });

        var depot = DepotReader.Open(iso);
        Assert.Equal(DepotKind.Iso, depot.Kind);
        Assert.Empty(depot.UnavailablePackages);
        var profile = Assert.Single(depot.Profiles);
        Assert.Equal(fx.Profile.Name, profile.Name);
        Assert.Equal(fx.Profile.Vendor, profile.Vendor);
        Assert.Equal(fx.Profile.AcceptanceLevel, profile.AcceptanceLevel);
        Assert.True(profile.ReadOnly);
        Assert.Equal(fx.Profile.Packages.Select(p => p.Id), profile.Packages.Select(p => p.Id));
        foreach (var original in fx.Profile.Packages)
        {
            var read = profile.Packages.Single(p => p.Id == original.Id);
            var digests = VibVerifier.VerifyAll(read);
            foreach (var p in original.Payloads) Assert.Equal(p.Sha256, digests[p.Name].StoredSha256);
        }
    }

    [Fact]
    public void Re_exporting_the_profile_read_from_an_iso_gives_the_same_bytes()
    {
        using var tmp = new TempDir();
        var fx = EsxImageFixture.Create(tmp.File("depot"));
        var first = tmp.File("first.iso");
        IsoExporter.Export(fx.Profile, new IsoExportOptions { Destination = first, Timestamp = Stamp });
        // Depot profiles are read-only; a user edits a clone, which is what gets exported again.
        var profile = DepotReader.Open(first).Profiles.Single() with { ReadOnly = false };
        var second = tmp.File("second.iso");
        IsoExporter.Export(profile, new IsoExportOptions { Destination = second, Timestamp = Stamp });
        using (var a = IsoReader.Open(first))
        using (var b = IsoReader.Open(second))
        {
            foreach (var f in a.Files)
            {
                var ma = new MemoryStream(); a.OpenFile(f).CopyTo(ma);
                var mb = new MemoryStream(); b.OpenFile(f.Path).CopyTo(mb);
                Assert.True(ma.ToArray().SequenceEqual(mb.ToArray()), f.Path + " differs");
            }
        }
        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
    }

    [Fact]
    public void Profile_from_an_iso_exports_to_a_bundle_with_rebuilt_vibs()
    {
        using var tmp = new TempDir();
        var fx = EsxImageFixture.Create(tmp.File("depot"));
        var iso = tmp.File("esxi.iso");
        IsoExporter.Export(fx.Profile, new IsoExportOptions { Destination = iso, Timestamp = Stamp });
        var profile = DepotReader.Open(iso).Profiles.Single();
        var zip = tmp.File("bundle.zip");
        BundleExporter.Export(profile, new BundleExportOptions { Destination = zip, Timestamp = Stamp });
        var depot = DepotReader.Open(zip);
        Assert.Equal(fx.Profile.Packages.Select(p => p.Id).OrderBy(x => x), depot.Packages.Select(p => p.Id).OrderBy(x => x));
        foreach (var v in depot.Packages) VibVerifier.VerifyAll(v);
    }

    [Fact]
    public void An_iso_without_an_image_database_is_refused_with_what_was_found()
    {
        using var tmp = new TempDir();
        var b = new IsoBuilder(Stamp);
        b.AddFile("README.TXT", 5, () => new MemoryStream(new byte[] { 1, 2, 3, 4, 5 }));
        var iso = tmp.File("plain.iso");
        b.WriteToFile(iso, false);
        var e = Assert.Throws<EsxFormatException>(() => DepotReader.Open(iso));
        Assert.Equal(ErrorCodes.DepotInvalid, e.Code);
        Assert.Contains("IMGDB.TGZ", e.Message);
        Assert.Contains("README.TXT", e.Message);
    }
}
