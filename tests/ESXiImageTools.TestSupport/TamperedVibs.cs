using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.TestSupport;

/// <summary>
/// The attacks on a real VMware-signed VIB (if-re 1.101.01, VMwareCertified, the corpus's scripts/itiligent-8-updates),
/// built by code from its bytes, never hand-edited: each case changes the VIB after signing and repacks the ar archive in
/// the order descriptor.xml, sig.pkcs7, payload, as an attacker with <c>ar rc</c> would. Certificates are made at test time.
/// </summary>
public static class TamperedVibs
{
    public const string IfReZip = "scripts/itiligent-8-updates/VMware-Re-Driver_1.101.01-5vmw.800.1.0.20613240.zip";
    public const string IfReEntry = "vib20/if-re/vmw_bootbank_if-re_1.101.01-5vmw.800.1.0.20613240.vib";
    public const string IfReId = "vmw_bootbank_if-re_1.101.01-5vmw.800.1.0.20613240";

    /// <summary>When the tampering happened (signing time of re-signed cases).</summary>
    public static readonly DateTimeOffset SignedAt = new DateTimeOffset(2026, 1, 15, 0, 0, 0, TimeSpan.Zero);

    /// <summary>One .vib member: name and bytes.</summary>
    public sealed record Member(string Name, byte[] Data);

    /// <summary>The real if-re .vib's members, in order.</summary>
    public static IReadOnlyList<Member> Original()
    {
        using var zip = ZipFile.OpenRead(Corpus.Path(IfReZip.Split('/')));
        using var s = zip.GetEntry(IfReEntry).Open();
        var ms = new MemoryStream();
        s.CopyTo(ms);
        return Read(ms.ToArray());
    }

    public static IReadOnlyList<Member> Read(byte[] vib)
    {
        var members = new List<Member>();
        using var ar = new ArReader(new MemoryStream(vib), "if-re.vib");
        while (ar.MoveNext())
        {
            using var m = ar.OpenCurrent();
            var ms = new MemoryStream();
            m.CopyTo(ms);
            members.Add(new Member(ar.Current.Name, ms.ToArray()));
        }
        return members;
    }

    /// <summary>Writes members as a .vib (ar) to <paramref name="path"/>.</summary>
    public static string Write(string path, IEnumerable<Member> members)
    {
        using var fs = File.Create(path);
        using var ar = new ArWriter(fs);
        foreach (var m in members) ar.Add(m.Name, m.Data);
        return path;
    }

    private static byte[] Get(IReadOnlyList<Member> members, string name) => members.Single(m => m.Name == name).Data;

    private static IEnumerable<Member> With(IReadOnlyList<Member> members, string name, byte[] data)
        => members.Select(m => m.Name == name ? new Member(name, data) : m);

    public static string DescriptorText(IReadOnlyList<Member> members) => Encoding.UTF8.GetString(Get(members, VibFile.DescriptorMember));

    private static IReadOnlyList<Member> WithDescriptor(IReadOnlyList<Member> members, string descriptor)
        => With(members, VibFile.DescriptorMember, Encoding.UTF8.GetBytes(descriptor)).ToList();

    /// <summary>The original, untouched (passes).</summary>
    public static string Genuine(string dir) => Write(Path.Combine(dir, "genuine.vib"), Original());

    /// <summary>Descriptor edits after signing, the signature kept: each name is one edit.</summary>
    public static IReadOnlyDictionary<string, Func<string, string>> DescriptorEdits { get; } = new Dictionary<string, Func<string, string>>
    {
        ["summary"] = d => d.Replace("<summary>VMware Esx VIB</summary>", "<summary>VMware Esx VIB (trusted)</summary>"),
        ["depends"] = d => d.Replace("<depends><constraint name=\"vmkapi_2_10_0_0\"/></depends>", "<depends/>"),
        ["acceptance"] = d => d.Replace("<acceptance-level>certified</acceptance-level>", "<acceptance-level>partner</acceptance-level>"),
        ["extra-file"] = d => d.Replace("<file-list>", "<file-list><file>etc/rc.local.d/evil.sh</file>"),
        ["live-install"] = d => d.Replace("<live-install-allowed>false</live-install-allowed>", "<live-install-allowed>true</live-install-allowed>"),
    };

    /// <summary>The descriptor edited by <see cref="DescriptorEdits"/>[<paramref name="edit"/>], the original signature kept.</summary>
    public static string DescriptorEdited(string dir, string edit)
    {
        var members = Original();
        var text = DescriptorText(members);
        var changed = DescriptorEdits[edit](text);
        if (changed == text) throw new InvalidOperationException($"edit '{edit}' changed nothing in the real descriptor");
        return Write(Path.Combine(dir, $"edited-{edit}.vib"), WithDescriptor(members, changed));
    }

    /// <summary>The payload replaced (a trojan), the descriptor's size and checksums updated to match, the original signature kept.</summary>
    public static string PayloadReplaced(string dir)
    {
        var members = Original();
        var trojan = VibFixtures.TarGz(("usr/lib/vmware/vmkmod/if_re", Encoding.ASCII.GetBytes("#!/bin/sh\necho owned\n")));
        var d = PayloadVerifier.Compute(new MemoryStream(trojan), gunzip: true);
        var text = DescriptorText(members);
        var old = VibDescriptorReader.ParseString(text, "if-re").Payloads.Single();
        foreach (var c in old.Checksums)
        {
            var now = c.Algorithm == "sha-1" ? d.GunzippedSha1 : c.IsOverGunzipped ? d.GunzippedSha256 : d.StoredSha256;
            text = text.Replace(c.Value, now);
        }
        text = text.Replace($"size=\"{old.Size}\"", $"size=\"{trojan.Length}\"");
        return Write(Path.Combine(dir, "payload-replaced.vib"), With(WithDescriptor(members, text), old.Name, trojan));
    }

    /// <summary>The original descriptor re-signed with <paramref name="signer"/> (made at test time), optionally edited first.</summary>
    public static string Resigned(string dir, string name, System.Security.Cryptography.X509Certificates.X509Certificate2 signer,
                                  Func<string, string> edit = null, DateTimeOffset? signingTime = null)
    {
        var members = Original();
        var text = edit == null ? DescriptorText(members) : edit(DescriptorText(members));
        var descriptor = Encoding.UTF8.GetBytes(text);
        var sig = VibSigner.Sign(descriptor, signer, signingTime ?? SignedAt);
        return Write(Path.Combine(dir, name + ".vib"), With(With(members, VibFile.DescriptorMember, descriptor).ToList(), VibFile.SignatureMember, sig));
    }

    /// <summary>sig.pkcs7 replaced by <paramref name="signature"/> (garbage, truncated, empty).</summary>
    public static string SignatureReplaced(string dir, string name, Func<byte[], byte[]> signature)
    {
        var members = Original();
        return Write(Path.Combine(dir, name + ".vib"), With(members, VibFile.SignatureMember, signature(Get(members, VibFile.SignatureMember))));
    }

    /// <summary>A look-alike of VMware's certificate: same subject, self-signed, its own key.</summary>
    public static System.Security.Cryptography.X509Certificates.X509Certificate2 LookAlike()
        => TestSigning.SelfSigned("CN=VMware Certified VIB Signing, O=\"VMware, Inc.\", L=Palo Alto, S=California, C=US",
                                  new DateTimeOffset(2017, 9, 6, 3, 10, 9, TimeSpan.Zero), new DateTimeOffset(2037, 9, 1, 3, 10, 9, TimeSpan.Zero));

    public static System.Security.Cryptography.X509Certificates.X509Certificate2 EvilCorp()
        => TestSigning.SelfSigned("CN=Evil Corp", new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2040, 1, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>A certificate that expired before <see cref="SignedAt"/>.</summary>
    public static System.Security.Cryptography.X509Certificates.X509Certificate2 Expired()
        => TestSigning.SelfSigned("CN=Expired In-House Signing, O=Test", new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>Writes a certificate (public part) as PEM, to name with --trust-cert / -TrustedCertificate.</summary>
    public static string WritePem(string path, System.Security.Cryptography.X509Certificates.X509Certificate2 cert)
    {
        File.WriteAllText(path, cert.ExportCertificatePem());
        return path;
    }
}
