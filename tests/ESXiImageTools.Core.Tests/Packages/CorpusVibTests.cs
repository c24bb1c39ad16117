using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.Packages;

/// <summary>Every VIB of the corpus, loose and inside the zips, is read and verifies.</summary>
public class CorpusVibTests
{
    /// <summary>
    /// Expected id per corpus location: the corpus README's list, plus the two ESXi 8.0 driver components that
    /// scripts/README.md names (the itiligent script adds them; the main README's id list predates them).
    /// </summary>
    private static readonly Dictionary<string, string> Expected = new()
    {
        ["esxcli-nsx-ext/esxcli-nsx-ext.vib"] = "esxcliext_bootbank_esxcli-nsx-ext_1.0.0-0.0.0",
        ["ghettovcb-2015/vghetto-ghettoVCB-offline-bundle.zip!/vib20/ghettoVCB/virtuallyGhetto_bootbank_ghettoVCB_1.0.0-0.0.0.vib"] = "virtuallyGhetto_bootbank_ghettoVCB_1.0.0-0.0.0",
        ["ghettovcb-2015/vghetto-ghettoVCB.vib"] = "virtuallyGhetto_bootbank_ghettoVCB_1.0.0-0.0.0",
        ["net-forcedeth-1/net-forcedeth-1-1.0.0-1-offline_bundle.zip!/net-forcedeth-1-1.0.0-1.x86_64.vib"] = "VFrontDe_bootbank_net-forcedeth-1_1.0.0-1",
        ["net55-r8168/net55-r8168-8.045a-napi-offline_bundle.zip!/net55-r8168-8.045a-napi.x86_64.vib"] = "Realtek_bootbank_net55-r8168_8.045a-napi",
        ["opennebula-fw-vnc/v1.0.0/fw-vnc.vib"] = "OpenNebulaSystems_bootbank_fw-vnc_1.0.0-1",
        ["opennebula-fw-vnc/v1.0.0/fw-vnc.zip!/vib20/fw-vnc/OpenNebulaSystems_bootbank_fw-vnc_1.0.0-1.vib"] = "OpenNebulaSystems_bootbank_fw-vnc_1.0.0-1",
        ["opennebula-fw-vnc/v1.1.0/fw-vnc.vib"] = "OpenNebulaSystems_bootbank_fw-vnc_1.1.0-1",
        ["opennebula-fw-vnc/v1.1.0/fw-vnc.zip!/vib20/fw-vnc/OpenNebulaSystems_bootbank_fw-vnc_1.1.0-1.vib"] = "OpenNebulaSystems_bootbank_fw-vnc_1.1.0-1",
        ["sata-xahci/sata-xahci-1.42-1-offline_bundle.zip!/sata-xahci-1.42-1.x86_64.vib"] = "VFrontDe_bootbank_sata-xahci_1.42-1",
        ["scripts/itiligent-8-updates/ESXi803-VMKUSB-NIC-FLING-93415869-component.zip!/vib20/vmkusb-nic-fling/VMW_bootbank_vmkusb-nic-fling_1.14-7vmw.803.0.95.93415869.vib"] = "VMW_bootbank_vmkusb-nic-fling_1.14-7vmw.803.0.95.93415869",
        ["scripts/itiligent-8-updates/VMware-Re-Driver_1.101.01-5vmw.800.1.0.20613240.zip!/vib20/if-re/vmw_bootbank_if-re_1.101.01-5vmw.800.1.0.20613240.vib"] = "vmw_bootbank_if-re_1.101.01-5vmw.800.1.0.20613240",
        ["usbnic-fling-650/ESXi650-VMKUSB-NIC-FLING-39176435-16775917.zip!/ESXi650-VMKUSB-NIC-FLING-39176435-offline_bundle-16775917.zip!/vib20/vmkusb-nic-fling/VMW_bootbank_vmkusb-nic-fling_2.1-6vmw.650.2.50.39176435.vib"] = "VMW_bootbank_vmkusb-nic-fling_2.1-6vmw.650.2.50.39176435",
        ["usbnic-fling-703/ESXi703-VMKUSB-NIC-FLING-55634242-component-19849370.zip!/vib20/vmkusb-nic-fling/VMW_bootbank_vmkusb-nic-fling_1.10-1vmw.703.0.50.55634242.vib"] = "VMW_bootbank_vmkusb-nic-fling_1.10-1vmw.703.0.50.55634242",
    };

    public static IEnumerable<object[]> Locations => Expected.Keys.OrderBy(k => k, StringComparer.Ordinal).Select(k => new object[] { k });

    private static CorpusVibs.Item Find(string rel) => CorpusVibs.All().SingleOrDefault(i => i.Relative == rel)
        ?? throw new Xunit.Sdk.XunitException($"corpus VIB {rel} not found");

    [CorpusFact]
    public void CorpusHoldsExactlyTheExpectedVibs()
    {
        Assert.Equal(Expected.Keys.OrderBy(k => k, StringComparer.Ordinal), CorpusVibs.All().Select(i => i.Relative));
    }

    [CorpusFact]
    public void IdsMatchTheReadmeListExactly()
    {
        var readme = File.ReadAllText(Corpus.Path("README.md"));
        var listed = Regex.Matches(readme.Substring(readme.IndexOf("VIB ids", StringComparison.Ordinal)), "`([^`]+_bootbank_[^`]+)`")
            .Cast<Match>().Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Equal(9, listed.Count);
        // The script inputs under scripts/ are described by scripts/README.md, not by the main README's id list.
        var read = CorpusVibs.All().Where(i => !i.Relative.StartsWith("scripts/", StringComparison.Ordinal))
                             .Select(i => VibFile.Read(i.Open, i.Location).Id).ToHashSet();
        Assert.Equal(listed.OrderBy(x => x), read.OrderBy(x => x));
    }

    [CorpusTheory, MemberData(nameof(Locations))]
    public void ReadsAndVerifiesEveryChecksum(string rel)
    {
        var item = Find(rel);
        var vib = VibFile.Read(item.Open, item.Location);
        Assert.Equal(Expected[rel], vib.Id);
        Assert.NotEmpty(vib.Payloads);
        Assert.All(vib.Payloads, p => Assert.NotEmpty(p.Checksums));
        var digests = VibVerifier.VerifyAll(vib);
        Assert.Equal(vib.Payloads.Count, digests.Count);
        foreach (var p in vib.Payloads)
        {
            Assert.Equal(p.Size, digests[p.Name].StoredSize);
            Assert.Equal(p.Sha256, digests[p.Name].StoredSha256);
            foreach (var c in p.Checksums) Assert.Equal(c.Value, digests[p.Name].For(c.Algorithm, c.IsOverGunzipped));
        }
    }

    [CorpusTheory, MemberData(nameof(Locations))]
    public void VerifyingReadStreamAcceptsEveryPayload(string rel)
    {
        var item = Find(rel);
        var vib = VibFile.Read(item.Open, item.Location);
        foreach (var p in vib.Payloads)
        {
            using var s = new VerifyingReadStream(vib.Content.OpenPayload(p), p, vib.Id, item.Location);
            s.CopyTo(Stream.Null);
            Assert.True(s.Verified);
        }
    }

    [CorpusFact]
    public void SignedFlagsFollowSigMember()
    {
        var signed = CorpusVibs.All().Select(i => VibFile.Read(i.Open, i.Location)).Where(v => v.Signed == true).Select(v => v.Id).Distinct().OrderBy(x => x);
        Assert.Equal(new[] { "vmw_bootbank_if-re_1.101.01-5vmw.800.1.0.20613240", "VMW_bootbank_vmkusb-nic-fling_1.10-1vmw.703.0.50.55634242",
                             "VMW_bootbank_vmkusb-nic-fling_1.14-7vmw.803.0.95.93415869", "VMW_bootbank_vmkusb-nic-fling_2.1-6vmw.650.2.50.39176435" }, signed);
    }
}
