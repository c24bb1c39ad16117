using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.Depots;

/// <summary>Every zip of the corpus opens as a depot and lists the VIB ids the corpus README gives.</summary>
public class CorpusDepotTests
{
    /// <summary>Corpus zip → (kind, VIB ids from the corpus README).</summary>
    public static readonly Dictionary<string, (DepotKind Kind, string[] Ids)> Expected = new()
    {
        ["ghettovcb-2015/vghetto-ghettoVCB-offline-bundle.zip"] = (DepotKind.OfflineBundle, new[] { "virtuallyGhetto_bootbank_ghettoVCB_1.0.0-0.0.0" }),
        ["sata-xahci/sata-xahci-1.42-1-offline_bundle.zip"] = (DepotKind.OfflineBundle, new[] { "VFrontDe_bootbank_sata-xahci_1.42-1" }),
        ["net-forcedeth-1/net-forcedeth-1-1.0.0-1-offline_bundle.zip"] = (DepotKind.OfflineBundle, new[] { "VFrontDe_bootbank_net-forcedeth-1_1.0.0-1" }),
        ["net55-r8168/net55-r8168-8.045a-napi-offline_bundle.zip"] = (DepotKind.OfflineBundle, new[] { "Realtek_bootbank_net55-r8168_8.045a-napi" }),
        ["usbnic-fling-650/ESXi650-VMKUSB-NIC-FLING-39176435-16775917.zip"] = (DepotKind.WrappedBundle, new[] { "VMW_bootbank_vmkusb-nic-fling_2.1-6vmw.650.2.50.39176435" }),
        ["usbnic-fling-703/ESXi703-VMKUSB-NIC-FLING-55634242-component-19849370.zip"] = (DepotKind.OfflineBundle, new[] { "VMW_bootbank_vmkusb-nic-fling_1.10-1vmw.703.0.50.55634242" }),
        ["opennebula-fw-vnc/v1.0.0/fw-vnc.zip"] = (DepotKind.OfflineBundle, new[] { "OpenNebulaSystems_bootbank_fw-vnc_1.0.0-1" }),
        ["opennebula-fw-vnc/v1.1.0/fw-vnc.zip"] = (DepotKind.OfflineBundle, new[] { "OpenNebulaSystems_bootbank_fw-vnc_1.1.0-1" }),
        ["scripts/itiligent-8-updates/ESXi803-VMKUSB-NIC-FLING-93415869-component.zip"] = (DepotKind.OfflineBundle, new[] { "VMW_bootbank_vmkusb-nic-fling_1.14-7vmw.803.0.95.93415869" }),
        ["scripts/itiligent-8-updates/VMware-Re-Driver_1.101.01-5vmw.800.1.0.20613240.zip"] = (DepotKind.OfflineBundle, new[] { "vmw_bootbank_if-re_1.101.01-5vmw.800.1.0.20613240" }),
    };

    public static IEnumerable<object[]> Zips() => Expected.Keys.Select(k => new object[] { k });

    internal static DepotOptions Options(TempDir d) => new DepotOptions { CacheDirectory = Path.Combine(d.Path, "cache"), UseProxy = false };

    [CorpusFact]
    public void Every_corpus_zip_is_covered()
    {
        var zips = Directory.EnumerateFiles(Corpus.Root, "*.zip", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Corpus.Root, f).Replace('\\', '/')).OrderBy(x => x).ToList();
        Assert.Equal(Expected.Keys.OrderBy(x => x), zips);
    }

    [CorpusTheory]
    [MemberData(nameof(Zips))]
    public void Opens_lists_the_readme_ids_and_payloads_verify(string rel)
    {
        using var tmp = new TempDir();
        var path = Corpus.Path(rel);
        var depot = DepotReader.Open(path, Options(tmp));
        var (kind, ids) = Expected[rel];
        Assert.Equal(kind, depot.Kind);
        Assert.Equal(path, depot.Source);
        Assert.Equal(ids, depot.Packages.Select(p => p.Id).OrderBy(x => x));
        Assert.Empty(depot.UnavailablePackages);
        Assert.NotEmpty(depot.Vendors);
        Assert.NotEmpty(depot.Bulletins);
        foreach (var vib in depot.Packages)
        {
            Assert.NotNull(vib.Content);
            Assert.True(vib.Content.IsAvailable);
            Assert.NotNull(vib.VibSha256);
            Assert.True(VibVerifier.VerifyVibFile(vib)); // whole file against the metadata's sha-256 and size
            var digests = VibVerifier.VerifyAll(vib);   // every payload against its descriptor checksums
            Assert.Equal(vib.Payloads.Select(p => p.Name), digests.Keys);
            Assert.Contains(rel.Split('/').Last(), vib.Content.Location);
        }
    }

    [CorpusFact]
    public void The_7x_component_zip_yields_a_component()
    {
        using var tmp = new TempDir();
        var depot = DepotReader.Open(Corpus.Path("usbnic-fling-703", "ESXi703-VMKUSB-NIC-FLING-55634242-component-19849370.zip"), Options(tmp));
        var c = Assert.Single(depot.Components);
        Assert.Equal("VMware-vmkusb-nic-fling", c.Name);
        Assert.Equal("1.10-1vmw.703.0.50.55634242", c.Version);
        Assert.Equal("VMWare USB NIC Fling Driver", c.UiName);
        Assert.Equal("1.10-1vmw", c.UiVersion);
        Assert.Equal("VMware", c.Vendor);
        Assert.Equal(depot.Packages, c.Packages);
        Assert.Equal(AcceptanceLevel.VMwareCertified, depot.Packages[0].AcceptanceLevel);
        Assert.Equal("VMX", Assert.Single(depot.Vendors).Code);
    }

    [CorpusFact]
    public void Wrapped_zip_is_read_through_its_inner_bundle_and_reopens_from_the_cache()
    {
        using var tmp = new TempDir();
        var path = Corpus.Path("usbnic-fling-650", "ESXi650-VMKUSB-NIC-FLING-39176435-16775917.zip");
        var a = DepotReader.Open(path, Options(tmp));
        var vib = Assert.Single(a.Packages);
        Assert.Contains("ESXi650-VMKUSB-NIC-FLING-39176435-offline_bundle-16775917.zip", vib.Content.Location);
        Assert.Single(Directory.GetFiles(Path.Combine(tmp.Path, "cache", "extracted")));
        var b = DepotReader.Open(path, Options(tmp));
        Assert.Equal(a.Packages.Select(p => p.Id), b.Packages.Select(p => p.Id));
        Assert.Single(Directory.GetFiles(Path.Combine(tmp.Path, "cache", "extracted")));
        Assert.True(VibVerifier.VerifyVibFile(b.Packages[0]));
    }

    [CorpusFact]
    public void Loose_vib_and_folder()
    {
        using var tmp = new TempDir();
        var loose = DepotReader.Open(Corpus.Path("esxcli-nsx-ext", "esxcli-nsx-ext.vib"), Options(tmp));
        Assert.Equal(DepotKind.VibFile, loose.Kind);
        Assert.Equal("esxcliext_bootbank_esxcli-nsx-ext_1.0.0-0.0.0", Assert.Single(loose.Packages).Id);

        // The folder holds fw-vnc.vib and fw-vnc.zip with the same VIB: one package.
        var folder = DepotReader.Open(Corpus.Path("opennebula-fw-vnc", "v1.0.0"), Options(tmp));
        Assert.Equal(DepotKind.Folder, folder.Kind);
        Assert.Equal("OpenNebulaSystems_bootbank_fw-vnc_1.0.0-1", Assert.Single(folder.Packages).Id);
        VibVerifier.VerifyAll(folder.Packages[0]);
    }

    [CorpusFact]
    public void Session_pools_depots_and_filters()
    {
        using var tmp = new TempDir();
        var session = new DepotSession(Options(tmp));
        session.Add(Corpus.Path("opennebula-fw-vnc", "v1.0.0", "fw-vnc.zip"));
        session.Add(Corpus.Path("opennebula-fw-vnc", "v1.1.0", "fw-vnc.zip"));
        session.Add(Corpus.Path("opennebula-fw-vnc", "v1.0.0", "fw-vnc.vib")); // same VIB as the first zip: no conflict
        session.Add("zip:" + Corpus.Path("net55-r8168", "net55-r8168-8.045a-napi-offline_bundle.zip") + "?index.xml");
        Assert.Equal(4, session.Depots.Count);
        Assert.Equal(3, session.Packages.Count);
        var newest = session.FindPackages(new PackageQuery { Names = new[] { "fw-*" }, Newest = true });
        Assert.Equal("1.1.0-1", Assert.Single(newest).Version.Text);
        Assert.Equal("Realtek_bootbank_net55-r8168_8.045a-napi",
            Assert.Single(session.FindPackages(new PackageQuery { AcceptanceLevel = AcceptanceLevel.CommunitySupported, Vendors = new[] { "real*" } })).Id);
        Assert.Single(session.Remove(Corpus.Path("net55-r8168", "net55-r8168-8.045a-napi-offline_bundle.zip")));
        Assert.Equal(2, session.Packages.Count);
    }
}
