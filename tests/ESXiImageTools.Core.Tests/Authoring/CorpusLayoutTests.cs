using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;
using ESXiImageTools.Core.Authoring;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.TestSupport;
using Xunit;
using static ESXiImageTools.Core.Tests.Authoring.AuthoringFixtures;

namespace ESXiImageTools.Core.Tests.Authoring;

/// <summary>
/// What we author against what VIB Author and TGZ2VIB/VIB2ZIP really wrote (the corpus): the corpus VIB's own payload
/// files go in, with its descriptor fields, and the VIB that comes out must have the same member order and names, the same
/// descriptor elements in the same order, the same file list and payload files, and at least the checksums they carry.
/// </summary>
public class CorpusLayoutTests
{
    public static IEnumerable<object[]> CorpusVibs() => new[]
    {
        new object[] { "net55-r8168", "net55-r8168-8.045a-napi-offline_bundle.zip" },   // TGZ2VIB 2.3, tgz, 2 of the 3 OEM.tgz folders
        new object[] { "sata-xahci", "sata-xahci-1.42-1-offline_bundle.zip" },         // TGZ2VIB 2.4, tgz, map + PCI ids
        new object[] { "net-forcedeth-1", "net-forcedeth-1-1.0.0-1-offline_bundle.zip" }, // TGZ2VIB 2.2.1, tgz
        new object[] { "ghettovcb-2015", "vghetto-ghettoVCB-offline-bundle.zip" },      // VIB Author, vgz (vmtar) payload1
    };

    /// <summary>The corpus VIB's descriptor as an authoring request.</summary>
    private static VibAuthoringRequest RequestFrom(Vib real) => new()
    {
        Name = real.Name,
        Version = real.Version.Text,
        Vendor = real.Vendor,
        Summary = real.Summary,
        Description = real.Description,
        AcceptanceLevel = real.AcceptanceLevel,
        Depends = real.Depends,
        Conflicts = real.Conflicts,
        Replaces = real.Replaces,
        Provides = real.Provides,
        Tags = real.Tags,
        KbUrl = real.Urls.FirstOrDefault()?.Url,
        LiveInstallAllowed = real.LiveInstallAllowed,
        LiveRemoveAllowed = real.LiveRemoveAllowed,
        MaintenanceMode = real.MaintenanceMode.Required,
        StatelessReady = real.StatelessReady,
        PayloadType = real.Payloads.Single().Type,
        PayloadName = real.Payloads.Single().Name,
        ReleaseDate = real.ReleaseDate,
    };

    /// <summary>The corpus payload's files as a folder tree (vgz) or the payload itself as the OEM.tgz (tgz, as TGZ2VIB took it).</summary>
    private static string SourceOf(Vib real, TempDir tmp)
    {
        var p = real.Payloads.Single();
        if (p.Type == "tgz")
        {
            var oem = tmp.File("oem.tgz");
            File.WriteAllBytes(oem, PayloadBytes(real));
            return oem;
        }
        var tree = tmp.File("tree");
        using var s = real.Content.OpenPayload(p);
        PayloadContents.Extract(p, s, e => content =>
        {
            var full = Path.Combine(tree, e.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(full));
            using var f = File.Create(full);
            content.CopyTo(f);
        });
        return tree;
    }

    [CorpusTheory]
    [MemberData(nameof(CorpusVibs))]
    public void Authored_vib_matches_the_real_layout(string folder, string bundle)
    {
        using var tmp = new TempDir();
        var real = CorpusBundleVib(folder, bundle);
        var r = VibAuthor.Create(SourceOf(real, tmp), RequestFrom(real), tmp.File("ours.vib"));
        var ours = r.Vib;

        // ar members: same names in the same order; sig.pkcs7 empty in both.
        IReadOnlyList<ArMember> Members(Func<Stream> open) { using var s = open(); return VibFile.ListMembers(s, "vib"); }
        var realMembers = Members(() => real.Content.OpenVibFile());
        var ourMembers = Members(() => File.OpenRead(r.Path));
        Assert.Equal(realMembers.Select(m => m.Name), ourMembers.Select(m => m.Name));
        Assert.Equal(new[] { "descriptor.xml", "sig.pkcs7" }, ourMembers.Take(2).Select(m => m.Name));
        Assert.Equal(0, realMembers[1].Size);
        Assert.Equal(0, ourMembers[1].Size);

        // Descriptor: the same elements in the same order, the same values.
        Assert.Equal(ElementOrder(DescriptorBytes(() => real.Content.OpenVibFile())), ElementOrder(DescriptorBytes(() => File.OpenRead(r.Path))));
        Assert.Equal(real.Id, ours.Id);
        Assert.Equal((real.Type, real.Summary, real.Description, real.AcceptanceLevel, real.LiveInstallAllowed, real.LiveRemoveAllowed,
                      real.StatelessReady, real.Overlay, real.CimomRestart, real.MaintenanceMode.Required, VibSignature.Read(real)),
                     (ours.Type, ours.Summary, ours.Description, ours.AcceptanceLevel, ours.LiveInstallAllowed, ours.LiveRemoveAllowed,
                      ours.StatelessReady, ours.Overlay, ours.CimomRestart, ours.MaintenanceMode.Required, VibSignature.Read(ours)));
        Assert.Equal(Text(real.Depends), Text(ours.Depends));
        Assert.Equal(Text(real.Conflicts), Text(ours.Conflicts));
        Assert.Equal(Text(real.Replaces), Text(ours.Replaces));
        Assert.Equal(real.Tags, ours.Tags);
        Assert.Equal(real.FileList, ours.FileList);
        Assert.Equal(real.Urls.Select(u => u.Url), ours.Urls.Select(u => u.Url));

        // Payload: same name and type, the same files inside; every checksum kind the real one carries, and all of ours verify.
        var (rp, op) = (real.Payloads.Single(), ours.Payloads.Single());
        Assert.Equal((rp.Name, rp.Type), (op.Name, op.Type));
        Assert.Equal(PayloadFiles(real), PayloadFiles(ours));
        static string Kind(PayloadChecksum c) => c.Algorithm + "/" + c.VerifyProcess;
        Assert.Empty(rp.Checksums.Select(Kind).Except(op.Checksums.Select(Kind)));
        VibVerifier.VerifyAll(ours);
        VibVerifier.VerifyAll(real);
    }

    private static IReadOnlyList<string> Text(IEnumerable<Constraint> cs) => cs.Select(c => c.ToString()).ToList();

    [CorpusFact]
    public void Bundle_of_corpus_vibs_opens_as_a_depot_listing_them_with_the_vib2zip_layout()
    {
        using var tmp = new TempDir();
        var vibs = new[]
        {
            VibFile.Open(Corpus.Path("ghettovcb-2015", "vghetto-ghettoVCB.vib")),
            CorpusBundleVib("net55-r8168", "net55-r8168-8.045a-napi-offline_bundle.zip"),
            CorpusBundleVib("sata-xahci", "sata-xahci-1.42-1-offline_bundle.zip"),
        };
        var result = BundleAuthor.Create(vibs, tmp.File("drivers.zip"), new BundleAuthoringOptions { Timestamp = Date });

        var depot = DepotReader.Open(result.Path);
        Assert.Equal(DepotKind.OfflineBundle, depot.Kind);
        Assert.Equal(vibs.Select(v => v.Id).OrderBy(x => x, StringComparer.Ordinal), depot.Packages.Select(p => p.Id).OrderBy(x => x, StringComparer.Ordinal));
        foreach (var p in depot.Packages)
        {
            Assert.True(VibVerifier.VerifyVibFile(p));                          // metadata's size and sha-256 of each .vib hold
            VibVerifier.VerifyAll(p);
            var original = vibs.Single(v => v.Id == p.Id);
            Assert.Equal(VibVerifier.Sha256(original.Content.OpenVibFile()).Sha256, p.VibSha256);   // copied unchanged
        }

        // Layout: as VIB Author's ghettoVCB bundle (index.xml, vendor-index.xml, metadata.zip, vib20/<name>/<id>.vib) ...
        var real = Entries(Corpus.Path("ghettovcb-2015", "vghetto-ghettoVCB-offline-bundle.zip"));
        var ours = Entries(result.Path);
        Assert.Equal(real.Where(n => !n.StartsWith("vib20/", StringComparison.Ordinal)).OrderBy(n => n),
                     ours.Where(n => !n.StartsWith("vib20/", StringComparison.Ordinal)).OrderBy(n => n));
        Assert.Contains("vib20/ghettoVCB/virtuallyGhetto_bootbank_ghettoVCB_1.0.0-0.0.0.vib", real);
        Assert.Equal(vibs.Select(v => $"vib20/{v.Name}/{v.Id}.vib").OrderBy(n => n, StringComparer.Ordinal),
                     ours.Where(n => n.StartsWith("vib20/", StringComparison.Ordinal)).OrderBy(n => n, StringComparer.Ordinal));
        // ... with the same kinds of metadata members: vmware.xml, vendor-index.xml, vibs/*.xml, bulletins/*.xml.
        static IEnumerable<string> Kinds(IEnumerable<string> names) => names.Select(n => n.Contains('/') ? n.Substring(0, n.IndexOf('/') + 1) + "*" : n).Distinct().OrderBy(n => n);
        Assert.Equal(Kinds(MetadataEntries(Corpus.Path("ghettovcb-2015", "vghetto-ghettoVCB-offline-bundle.zip"), "metadata.zip")), Kinds(MetadataEntries(result.Path, "metadata.zip")));
        Assert.Equal(3, MetadataEntries(result.Path, "metadata.zip").Count(n => n.StartsWith("vibs/", StringComparison.Ordinal)));

        // index.xml carries VIB2ZIP's full vendor block (the one vLCM requires), vendor code derived like VIB2ZIP's "VFT".
        var vib2zip = XDocument.Parse(ReadEntry(Corpus.Path("sata-xahci", "sata-xahci-1.42-1-offline_bundle.zip"), "index.xml"));
        var index = XDocument.Parse(ReadEntry(result.Path, "index.xml"));
        Assert.Equal(vib2zip.Descendants().Select(e => e.Name.LocalName), index.Descendants().Select(e => e.Name.LocalName));
        Assert.Equal("VIR", index.Descendants("code").Single().Value);
        Assert.Equal("VFR", BundleAuthor.VendorCode("VFrontDe"));
    }

    private static List<string> Entries(string zip)
    {
        using var z = ZipFile.OpenRead(zip);
        return z.Entries.Select(e => e.FullName).ToList();
    }

    private static string ReadEntry(string zip, string name)
    {
        using var z = ZipFile.OpenRead(zip);
        using var r = new StreamReader(z.GetEntry(name).Open());
        return r.ReadToEnd();
    }

    private static List<string> MetadataEntries(string zip, string metadataSuffix)
    {
        using var z = ZipFile.OpenRead(zip);
        var m = z.Entries.First(e => e.FullName.EndsWith(metadataSuffix, StringComparison.Ordinal));
        var ms = new MemoryStream();
        using (var s = m.Open()) s.CopyTo(ms);
        using var inner = new ZipArchive(new MemoryStream(ms.ToArray()));
        return inner.Entries.Select(e => e.FullName).ToList();
    }
}
