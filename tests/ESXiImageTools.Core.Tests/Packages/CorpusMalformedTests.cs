using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.Packages;

/// <summary>Malformed variants generated from real corpus VIBs give typed errors naming file, member and problem.</summary>
public class CorpusMalformedTests
{
    private static byte[] Original(string rel) => ReadAll(CorpusVibs.All().Single(i => i.Relative == rel).Open);

    private static byte[] ReadAll(Func<Stream> open)
    {
        using var s = open();
        var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }

    /// <summary>Members of a VIB in order (corpus VIBs are small enough to hold in a test).</summary>
    private static List<(string Name, byte[] Data)> Members(byte[] vib)
    {
        var list = new List<(string, byte[])>();
        using var r = new ArReader(new MemoryStream(vib), "m");
        while (r.MoveNext())
        {
            using var s = r.OpenCurrent();
            var ms = new MemoryStream();
            s.CopyTo(ms);
            list.Add((r.Current.Name, ms.ToArray()));
        }
        return list;
    }

    private static byte[] Rebuild(IEnumerable<(string Name, byte[] Data)> members)
    {
        var ms = new MemoryStream();
        using (var w = new ArWriter(ms, leaveOpen: true)) foreach (var (n, d) in members) w.Add(n, d);
        return ms.ToArray();
    }

    private static byte[] WithDescriptor(byte[] vib, Func<string, string> edit)
        => Rebuild(Members(vib).Select(m => m.Name == "descriptor.xml" ? (m.Name, Encoding.UTF8.GetBytes(edit(Encoding.UTF8.GetString(m.Data)))) : m));

    private static EsxFormatException Open(byte[] bytes, TempDir dir, bool verify = false)
    {
        var path = dir.File("bad.vib");
        File.WriteAllBytes(path, bytes);
        return Assert.ThrowsAny<EsxFormatException>(() =>
        {
            var v = VibFile.Open(path);
            if (verify) VibVerifier.VerifyAll(v);
        });
    }

    public static IEnumerable<object[]> Vibs => new[]
    {
        new object[] { "ghettovcb-2015/vghetto-ghettoVCB.vib" },
        new object[] { "esxcli-nsx-ext/esxcli-nsx-ext.vib" },
        new object[] { "usbnic-fling-703/ESXi703-VMKUSB-NIC-FLING-55634242-component-19849370.zip!/vib20/vmkusb-nic-fling/VMW_bootbank_vmkusb-nic-fling_1.10-1vmw.703.0.50.55634242.vib" },
    };

    [CorpusTheory, MemberData(nameof(Vibs))]
    public void TruncatedAnywhereIsTyped(string rel)
    {
        var bytes = Original(rel);
        using var dir = new TempDir();
        var payload = Members(bytes).Last().Name;
        foreach (var keep in new[] { bytes.Length - 1000, bytes.Length / 2, 200, 70, 30, 8 })
        {
            var e = Open(bytes.Take(keep).ToArray(), dir, verify: true);
            Assert.True(e.Code is ErrorCodes.VibTruncated or ErrorCodes.VibInvalidDescriptor or ErrorCodes.VibMissingDescriptor, $"{keep}: {e.Code} {e.Message}");
            Assert.Contains("bad.vib", e.Message);
            if (keep == bytes.Length - 1000)
            {
                Assert.Equal(ErrorCodes.VibTruncated, e.Code);
                Assert.Equal(payload, e.Member);
                Assert.Contains("truncated", e.Message);
            }
        }
        // Forward-only source (zip entry): truncation is found while scanning.
        var cut = bytes.Take(bytes.Length - 1000).ToArray();
        var fe = Assert.Throws<EsxFormatException>(() => VibFile.Read(() => new ForwardOnlyStream(new MemoryStream(cut)), "zip!/bad.vib"));
        Assert.Equal(ErrorCodes.VibTruncated, fe.Code);
        Assert.Equal(payload, fe.Member);
    }

    [CorpusTheory, MemberData(nameof(Vibs))]
    public void PayloadBitFlipIsChecksumMismatch(string rel)
    {
        var bytes = Original(rel);
        var members = Members(bytes);
        var (name, data) = members.Last();
        var flipped = (byte[])data.Clone();
        flipped[flipped.Length / 2] ^= 0x10;
        using var dir = new TempDir();
        var e = Assert.IsType<EsxChecksumException>(Open(Rebuild(members.Select(m => m.Name == name ? (name, flipped) : m)), dir, verify: true));
        var id = VibFile.Read(() => new MemoryStream(bytes), "x").Id;
        Assert.Equal(id, e.VibId);
        Assert.Equal(name, e.Payload);
        Assert.Contains(id, e.Message);
        Assert.Contains(e.Expected, e.Message);
        Assert.Contains("bad.vib", e.Message);
    }

    [CorpusTheory, MemberData(nameof(Vibs))]
    public void DescriptorVariantsAreTyped(string rel)
    {
        var bytes = Original(rel);
        using var dir = new TempDir();

        var bad = Open(WithDescriptor(bytes, d => d.Replace("</vib>", "")), dir);
        Assert.Equal((ErrorCodes.VibInvalidDescriptor, "descriptor.xml"), (bad.Code, bad.Member));
        Assert.Contains("not well-formed", bad.Message);

        var dtd = Open(WithDescriptor(bytes, d => "<!DOCTYPE vib [<!ENTITY x \"xxxxxxxx\">]>" + d.Replace("<summary>", "<summary>&x;")), dir);
        Assert.Equal((ErrorCodes.XmlDtdProhibited, "descriptor.xml"), (dtd.Code, dtd.Member));

        var first = Members(bytes).Last();
        var size = Open(WithDescriptor(bytes, d => d.Replace($"size=\"{first.Data.Length}\"", $"size=\"{first.Data.Length + 1}\"")), dir);
        Assert.Equal((ErrorCodes.VibSizeMismatch, first.Name), (size.Code, size.Member));
        Assert.Contains(first.Data.Length.ToString(), size.Message);

        var notAr = bytes.ToArray();
        notAr[0] = (byte)'?';
        Assert.Equal(ErrorCodes.NotAnArArchive, Open(notAr, dir).Code);

        var missing = Open(Rebuild(Members(bytes).Where(m => m.Name != first.Name)), dir);
        Assert.Equal((ErrorCodes.VibPayloadMissing, first.Name), (missing.Code, missing.Member));

        var noDescriptor = Open(Rebuild(Members(bytes).Where(m => m.Name != "descriptor.xml")), dir);
        Assert.Equal(ErrorCodes.VibMissingDescriptor, noDescriptor.Code);
    }

    /// <summary>Depot metadata (metadata.zip vibs/*.xml) parses with the same reader and its whole-.vib sha-256 and size verify.</summary>
    [CorpusFact]
    public void DepotVibMetadataVerifiesAgainstTheBundledVib()
    {
        int checkedCount = 0;
        foreach (var bundle in Bundles())
        {
            using var outer = new ZipArchive(new MemoryStream(bundle.Bytes));
            foreach (var metaEntry in outer.Entries.Where(e => e.FullName.EndsWith(".zip", StringComparison.OrdinalIgnoreCase)))
            {
                using var metaStream = new MemoryStream();
                using (var s = metaEntry.Open()) s.CopyTo(metaStream);
                metaStream.Position = 0;
                using var meta = new ZipArchive(metaStream);
                foreach (var vibXml in meta.Entries.Where(e => e.FullName.StartsWith("vibs/", StringComparison.Ordinal)))
                {
                    Vib depotVib;
                    using (var s = vibXml.Open()) depotVib = VibDescriptorReader.Parse(s, bundle.Name, vibXml.FullName);
                    Assert.NotNull(depotVib.RelativePath);
                    Assert.NotNull(depotVib.VibSha256);
                    Assert.NotNull(depotVib.PackedSize);
                    var entryName = depotVib.RelativePath;
                    var vib = VibFile.Read(() => CorpusVibs.OpenEntry(() => new MemoryStream(bundle.Bytes), entryName), bundle.Name + "!/" + entryName);
                    Assert.Equal(vib.Id, depotVib.Id);
                    Assert.True(VibVerifier.VerifyVibFile(depotVib.WithContent(vib.Content)));
                    var wrong = depotVib with { VibSha256 = new string('0', 64), Content = vib.Content };
                    Assert.Throws<EsxChecksumException>(() => VibVerifier.VerifyVibFile(wrong));
                    checkedCount++;
                }
            }
        }
        Assert.Equal(10, checkedCount); // one vibs/*.xml per bundled VIB (esxcli-nsx-ext has no bundle; 2 in scripts/itiligent-8-updates)
    }

    private static IEnumerable<(string Name, byte[] Bytes)> Bundles()
    {
        foreach (var zip in Directory.EnumerateFiles(Corpus.Root, "*.zip", SearchOption.AllDirectories).OrderBy(x => x, StringComparer.Ordinal))
        {
            var bytes = File.ReadAllBytes(zip);
            using var z = new ZipArchive(new MemoryStream(bytes));
            if (z.Entries.Any(e => e.FullName.EndsWith(".vib", StringComparison.OrdinalIgnoreCase))) { yield return (zip, bytes); continue; }
            foreach (var inner in z.Entries.Where(e => e.FullName.EndsWith(".zip", StringComparison.OrdinalIgnoreCase)))
            {
                var ms = new MemoryStream();
                using (var s = inner.Open()) s.CopyTo(ms);
                yield return (zip + "!/" + inner.FullName, ms.ToArray());
            }
        }
    }
}
