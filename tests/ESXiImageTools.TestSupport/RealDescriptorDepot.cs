using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.TestSupport;

/// <summary>
/// An offline bundle built from the real VMware descriptors of the corpus's esximg-700 (ESXi 7.0.0 build
/// 15843807, HPE image database) with synthetic payload bytes.
/// <para>How the fixture reconciles real descriptors with synthetic bytes: each descriptor's text is kept byte for
/// byte except the values the bytes decide — every payload's <c>size="…"</c> and the hex text of every checksum this
/// engine can check (no verify-process, or <c>gunzip</c>). Checksums with another verify-process (esx-base's
/// <c>txt-mle</c>) keep their real value: they cannot be checked offline and must be carried through.
/// <see cref="Mask"/> blanks exactly those values, so a test proves Mask(real) == Mask(rewritten).</para>
/// <para>Synthetic additions, named as such: VIBs the real base component ESXi_7.0.0-1.0.15843807 lists but the
/// corpus lacks (crx, esx-dvfilter-generic-fastpath, vsanhealth, vsan, esx-ui, vdfs, native-misc-drivers), so the
/// profile holds the whole base component; and a newer qlnativefc, so the real reserved component MRVL-QLogic-FC
/// (qlnativefc 4.0.1.0-3vmw, also synthesized, in the depot only) is reserved for this profile as it was for the HPE image.</para>
/// </summary>
public sealed class RealDescriptorDepot
{
    public const string ProfileName = "ESXi-7.0.0-15843807-real-descriptors";

    /// <summary>The corpus folder.</summary>
    public static string CorpusDir => Corpus.Path("esximg-700");

    public string BundlePath { get; }

    /// <summary>Real descriptor file name → (real text, rewritten text).</summary>
    public IReadOnlyDictionary<string, (string Real, string Rewritten)> Descriptors { get; }

    /// <summary>VIB ids of the synthetic additions.</summary>
    public IReadOnlyList<string> SyntheticVibIds { get; }

    /// <summary>Payload bytes by (VIB name, payload name).</summary>
    public IReadOnlyDictionary<(string Vib, string Payload), byte[]> PayloadBytes { get; }

    private RealDescriptorDepot(string bundle, IReadOnlyDictionary<string, (string, string)> descriptors, IReadOnlyList<string> synthetic,
                                IReadOnlyDictionary<(string, string), byte[]> payloads)
    {
        BundlePath = bundle;
        Descriptors = descriptors;
        SyntheticVibIds = synthetic;
        PayloadBytes = payloads;
    }

    private static readonly Regex PayloadRx = new(@"<payload name=""(?<name>[^""]+)""(?<attrs>[^>]*)>(?<body>.*?)</payload>", RegexOptions.Singleline);
    private static readonly Regex ChecksumRx = new(@"<checksum checksum-type=""(?<type>[^""]+)""(?: verify-process=""(?<vp>[^""]+)"")?>(?<value>[0-9a-fA-F]+)</checksum>");
    private static readonly Regex SizeRx = new(@"\ssize=""\d+""");

    /// <summary>The descriptor with payload sizes and offline-checkable checksum values blanked (txt-mle values stay).</summary>
    public static string Mask(string xml)
        => PayloadRx.Replace(xml, m => m.Value.Substring(0, m.Groups["attrs"].Index - m.Index)
                                        + SizeRx.Replace(m.Groups["attrs"].Value, " size=\"#\"") + ">"
                                        + ChecksumRx.Replace(m.Groups["body"].Value, c => Checkable(c) ? c.Value.Replace(c.Groups["value"].Value, "#") : c.Value)
                                        + "</payload>");

    private static bool Checkable(Match c) => !c.Groups["vp"].Success || c.Groups["vp"].Value.StartsWith("gunzip", StringComparison.Ordinal);

    public static RealDescriptorDepot Create(string dir)
    {
        Directory.CreateDirectory(dir);
        var builder = new BundleBuilder { VendorName = "HPE", VendorCode = "HPE" };
        var descriptors = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        var bytes = new Dictionary<(string, string), byte[]>();
        var ids = new List<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(CorpusDir, "vibs"), "*.xml").OrderBy(f => f, StringComparer.Ordinal))
        {
            var real = File.ReadAllText(file, new UTF8Encoding(false));
            var vibName = Regex.Match(real, "<name>([^<]+)</name>").Groups[1].Value;
            var payloads = new List<(string Name, byte[] Content)>();
            var rewritten = PayloadRx.Replace(real, m =>
            {
                var name = m.Groups["name"].Value;
                var type = Regex.Match(m.Groups["attrs"].Value, @"type=""([^""]+)""").Groups[1].Value;
                var body = m.Groups["body"].Value;
                bool gz = ChecksumRx.Matches(body).Cast<Match>().Any(c => c.Groups["vp"].Value.StartsWith("gunzip", StringComparison.Ordinal));
                var content = Content(vibName, name, type, gz, out var plain);
                payloads.Add((name, content));
                bytes[(vibName, name)] = content;
                var attrs = SizeRx.Replace(m.Groups["attrs"].Value, $" size=\"{content.Length}\"");
                var newBody = ChecksumRx.Replace(body, c =>
                {
                    if (!Checkable(c)) return c.Value;
                    bool overGz = c.Groups["vp"].Success;
                    var data = overGz ? plain : content;
                    var hex = c.Groups["type"].Value == "sha-1" ? Hex(SHA1.HashData(data)) : Hex(SHA256.HashData(data));
                    return c.Value.Replace(c.Groups["value"].Value, hex);
                });
                return m.Value.Substring(0, m.Groups["attrs"].Index - m.Index) + attrs + ">" + newBody + "</payload>";
            });
            descriptors[Path.GetFileName(file)] = (real, rewritten);
            var vibPath = Path.Combine(dir, vibName + ".vib");
            WriteVib(vibPath, rewritten, payloads);
            builder.AddVib(rewritten, File.ReadAllBytes(vibPath));
            ids.Add(builder.VibIds.Last());
        }

        var synthetic = new List<string>();
        foreach (var (name, version, payload) in new[]
        {
            ("crx", "7.0.0-1.0.15843807", "crx"), ("esx-dvfilter-generic-fastpath", "7.0.0-1.0.15843807", "esx_dvfi"),
            ("vsanhealth", "7.0.0-1.0.15843807", "vsanheal"), ("vsan", "7.0.0-1.0.15843807", "vsan"),
            ("esx-ui", "1.34.0-15603211", "esx-ui"), ("vdfs", "7.0.0-1.0.15843807", "vdfs"),
            ("native-misc-drivers", "7.0.0-1.0.15843807", "native-m"),
        })
        {
            var meta = VibFixtures.Metadata(name, version, "VMware", AcceptanceLevel.VMwareCertified,
                depends: new[] { new Constraint("esx-version", VersionRelation.GreaterOrEqual, VibVersion.Parse("7.0.0")) });
            var (path, vib) = VibFixtures.Build(dir, meta, (payload, "vgz", VibFixtures.Vgz(($"synthetic/{name}", Encoding.ASCII.GetBytes(name + "\n")))));
            builder.AddBuiltVib(path);
            synthetic.Add(vib.Id);
        }
        var ql = VibFixtures.Metadata("qlnativefc", "4.1.35.0-1OEM.700.1.0.15525992", "MRVL", AcceptanceLevel.VMwareCertified,
            depends: new[] { new Constraint("vmkapi_2_6_0_0") });
        var (qlPath, qlVib) = VibFixtures.Build(dir, ql, ("qlnativ", "vgz", VibFixtures.Vgz(("synthetic/qlnativefc", Encoding.ASCII.GetBytes("ql\n")))));
        builder.AddBuiltVib(qlPath);
        synthetic.Add(qlVib.Id);
        // The reserved component's own VIB, in the depot but not in the profile (a real base depot holds it).
        var qlOld = VibFixtures.Metadata("qlnativefc", "4.0.1.0-3vmw.700.1.0.15843807", "VMware", AcceptanceLevel.VMwareCertified,
            depends: new[] { new Constraint("vmkapi_2_6_0_0") });
        var (qlOldPath, _) = VibFixtures.Build(Path.Combine(dir, "reserved"), qlOld, ("qlnativ", "vgz", VibFixtures.Vgz(("synthetic/qlnativefc-4.0", Encoding.ASCII.GetBytes("ql4.0\n")))));
        builder.AddBuiltVib(qlOldPath);

        foreach (var sub in new[] { "bulletins", "reservedComponents" })
            foreach (var f in Directory.GetFiles(Path.Combine(CorpusDir, sub), "*.xml").OrderBy(f => f, StringComparer.Ordinal))
                builder.AddMetadataEntry("bulletins/" + Path.GetFileName(f), File.ReadAllBytes(f));
        builder.AddProfile(ProfileName, "HPE", ids.Concat(synthetic), acceptance: "partner", description: "real ESXi 7.0.0 descriptors, synthetic payloads");
        var bundle = Path.Combine(dir, "real-esxi-700-depot.zip");
        builder.Write(bundle);
        return new RealDescriptorDepot(bundle, descriptors, synthetic, bytes);
    }

    /// <summary>Synthetic content of a payload: gzip when the descriptor declares gunzip checksums (the plain bytes
    /// out), a vmtar for vgz; boot-loader files are raw and at least 2 KiB (ISOLINUX needs a boot-info table).</summary>
    private static byte[] Content(string vib, string payload, string type, bool gzip, out byte[] plain)
    {
        var marker = Encoding.ASCII.GetBytes($"synthetic {type} payload '{payload}' of real descriptor {vib}\n");
        if (type == "vgz")
        {
            plain = VmTar.Build(new[] { ($"synthetic/{vib}/{payload}", marker) }, gzip: false);
            return Gzip(plain);
        }
        if (type == "tgz")
        {
            var tgz = VibFixtures.TarGz(($"synthetic/{vib}/{payload}", marker));
            plain = Gunzip(tgz);
            return tgz;
        }
        plain = PayloadTypes.IsBootLoader(type) ? EsxImageFixture.Filler($"{payload}:{vib}", 2048) : marker;
        return gzip ? Gzip(plain) : plain;
    }

    private static void WriteVib(string path, string descriptorXml, IEnumerable<(string Name, byte[] Content)> payloads)
    {
        using var fs = File.Create(path);
        using var ar = new ArWriter(fs);
        ar.Add("descriptor.xml", new UTF8Encoding(false).GetBytes(descriptorXml));
        ar.Add("sig.pkcs7", Array.Empty<byte>());
        foreach (var (name, content) in payloads) ar.Add(name, content);
        ar.Finish();
    }

    private static byte[] Gzip(byte[] data) => TestBytes.Gzip(data);

    private static byte[] Gunzip(byte[] data)
    {
        using var gz = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
        var ms = new MemoryStream();
        gz.CopyTo(ms);
        return ms.ToArray();
    }

    private static string Hex(byte[] b) => TestBytes.Hex(b);
}
