using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Tests.Depots;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.Components;

/// <summary>The corpus zips list their components exactly as their bulletins say (read here independently, with ZipArchive and XDocument).</summary>
public class CorpusComponentTests
{
    [CorpusFact]
    public void The_703_usb_nic_fling_component_zip_lists_its_one_component()
    {
        using var tmp = new TempDir();
        var depot = DepotReader.Open(Corpus.Path("usbnic-fling-703", "ESXi703-VMKUSB-NIC-FLING-55634242-component-19849370.zip"), CorpusDepotTests.Options(tmp));
        var c = Assert.Single(depot.Components);
        Assert.Equal("VMware-vmkusb-nic-fling", c.Name);
        Assert.Equal("1.10-1vmw.703.0.50.55634242", c.Version);
        Assert.Equal("VMware-vmkusb-nic-fling:1.10-1vmw.703.0.50.55634242", c.Id);
        Assert.Equal(new[] { "VMW_bootbank_vmkusb-nic-fling_1.10-1vmw.703.0.50.55634242" }, c.VibIds);
        Assert.Equal(c.VibIds, c.Packages.Select(p => p.Id));
        Assert.True(c.IsComplete);
        Assert.Equal(AcceptanceLevel.VMwareCertified, c.AcceptanceLevel);
        Assert.Equal("VMware", c.Vendor);
        Assert.Equal("extension", c.ReleaseType);
        // Every field the bulletin gives, compared with an independent read of it.
        var bulletin = Bulletins(Corpus.Path("usbnic-fling-703", "ESXi703-VMKUSB-NIC-FLING-55634242-component-19849370.zip")).Single();
        Assert.Equal(bulletin.Element("componentNameSpec").Attribute("uiString").Value, c.UiName);
        Assert.Equal(bulletin.Element("componentVersionSpec").Attribute("uiString").Value, c.UiVersion);
        Assert.Equal(bulletin.Element("summary").Value, c.Summary);
        Assert.Equal(bulletin.Element("id").Value, c.BulletinId);
    }

    [CorpusTheory]
    [MemberData(nameof(CorpusDepotTests.Zips), MemberType = typeof(CorpusDepotTests))]
    public void Every_corpus_zip_lists_the_components_its_bulletins_define(string rel)
    {
        using var tmp = new TempDir();
        var path = Corpus.Path(rel);
        var depot = DepotReader.Open(path, CorpusDepotTests.Options(tmp));
        var expected = Bulletins(path).Where(b => b.Element("componentNameSpec") != null)
            .Select(b => (Name: b.Element("componentNameSpec").Attribute("name").Value,
                          Version: b.Element("componentVersionSpec").Attribute("version").Value,
                          Vibs: string.Join(" ", b.Descendants("vibID").Select(v => v.Value.Trim()))))
            .OrderBy(x => x.Name).ToList();
        var actual = depot.Components.Select(c => (c.Name, c.Version, Vibs: string.Join(" ", c.VibIds))).OrderBy(x => x.Name).ToList();
        Assert.Equal(expected, actual);
        foreach (var c in depot.Components)
        {
            Assert.Equal(c.VibIds, c.Packages.Select(p => p.Id));
            Assert.Equal(c.Packages.Min(p => p.AcceptanceLevel), c.AcceptanceLevel);
        }
    }

    /// <summary>The bulletins/*.xml of every metadata zip in a bundle zip (also inside a wrapping zip).</summary>
    internal static List<XElement> Bulletins(string zipPath)
    {
        using var zip = ZipFile.OpenRead(zipPath);
        return Bulletins(zip);
    }

    private static List<XElement> Bulletins(ZipArchive zip)
    {
        var result = new List<XElement>();
        foreach (var e in zip.Entries.Where(e => e.FullName.EndsWith(".zip", System.StringComparison.OrdinalIgnoreCase)))
        {
            var ms = new MemoryStream();
            using (var s = e.Open()) s.CopyTo(ms);
            ms.Position = 0;
            using var inner = new ZipArchive(ms);
            var bulletins = inner.Entries.Where(x => x.FullName.StartsWith("bulletins/") && x.FullName.EndsWith(".xml")).ToList();
            if (bulletins.Count > 0)
                foreach (var b in bulletins) { using var s = b.Open(); result.Add(XDocument.Load(s).Root); }
            else result.AddRange(Bulletins(inner));
        }
        return result;
    }
}
