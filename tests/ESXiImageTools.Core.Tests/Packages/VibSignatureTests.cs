using System.IO;
using System.Linq;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography;
using System.Text;
using System;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.Packages;

/// <summary>Signed is what the .vib has: unknown from depot metadata, read from the member list when asked.</summary>
public class VibSignatureTests
{
    private static string Fling703 => Corpus.Path("usbnic-fling-703", "ESXi703-VMKUSB-NIC-FLING-55634242-component-19849370.zip");

    [CorpusFact]
    public void A_signed_VIB_known_from_metadata_is_unknown_until_read_then_signed()
    {
        var vib = DepotReader.Open(Fling703).Packages.Single();
        Assert.Null(vib.Signed);
        Assert.True(VibSignature.Read(vib));
    }

    [Fact]
    public void A_VIB_read_from_its_file_keeps_what_the_file_says_and_one_without_bytes_stays_unknown()
    {
        using var dir = new TempDir();
        var (path, _) = VibFixtures.Build(dir.Path, "net-test", "1.0-1", level: AcceptanceLevel.CommunitySupported, payloads: ("net-test", "vgz", VibFixtures.Vgz(("a", new byte[] { 1 }))));
        var read = VibFile.Open(path);
        Assert.False(read.Signed);
        Assert.False(VibSignature.Read(read));
        var metadataOnly = VibFixtures.Metadata("net-test", "1.0-1");
        Assert.Null(metadataOnly.Signed);
        Assert.Null(VibSignature.Read(metadataOnly));
    }
}

/// <summary>Signature facts: sig.pkcs7 (PEM or DER) read with System.Security.Cryptography.Pkcs.</summary>
public class VibSignatureFactsTests
{
    private static readonly byte[] Descriptor = Encoding.UTF8.GetBytes("<vib version=\"5.0\"><name>x</name></vib>");
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static X509Certificate2 SelfSigned(string cn)
    {
        using var key = RSA.Create(2048);
        var req = new CertificateRequest($"CN={cn}, O=Test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var cert = req.CreateSelfSigned(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pfx), null);
    }

    private static byte[] Sign(byte[] content, X509Certificate2 cert)
    {
        var cms = new SignedCms(new ContentInfo(content), detached: true);
        cms.ComputeSignature(new CmsSigner(cert));
        return cms.Encode();
    }

    private static byte[] Pem(byte[] der)
        => Encoding.ASCII.GetBytes("-----BEGIN PKCS7-----\n" + Convert.ToBase64String(der, Base64FormattingOptions.InsertLineBreaks) + "\n-----END PKCS7-----\n");

    [FactExceptOnMono(MonoDefect.NoCertificateRequest)]
    public void Der_and_pem_signatures_give_signer_validity_and_a_verified_signature()
    {
        using var cert = SelfSigned("Signer One");
        var der = Sign(Descriptor, cert);
        foreach (var (bytes, encoding) in new[] { (der, "DER"), (Pem(der), "PEM") })
        {
            var f = VibSignature.Examine(bytes, Descriptor, now: Now);
            Assert.True(f.Present);
            Assert.Equal(encoding, f.Encoding);
            Assert.Equal("CN=Signer One, O=Test", f.Signer);
            Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), f.NotAfter);
            Assert.True(f.CurrentlyValid);
            Assert.True(f.SignatureVerifies, f.Problem);
            Assert.Equal(SignatureState.Verifies, f.State);
            Assert.Equal("untrusted", f.Trust);
            Assert.Null(f.AnchorMaxLevel);
        }
        Assert.False(VibSignature.Examine(der, Descriptor, now: new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero)).CurrentlyValid);
    }

    [FactExceptOnMono(MonoDefect.NoCertificateRequest)]
    public void A_changed_descriptor_does_not_verify_and_says_why()
    {
        using var cert = SelfSigned("Signer One");
        var f = VibSignature.Examine(Sign(Descriptor, cert), Encoding.UTF8.GetBytes("<vib version=\"5.0\"><name>y</name></vib>"), now: Now);
        Assert.True(f.Present);
        Assert.False(f.SignatureVerifies);
        Assert.Contains("does not verify", f.Problem);
        Assert.Equal("CN=Signer One, O=Test", f.Signer);
    }

    [FactExceptOnMono(MonoDefect.NoCertificateRequest)]
    public void Trust_comes_only_from_a_named_certificate_and_allows_at_most_PartnerSupported()
    {
        using var dir = new TempDir();
        using var cert = SelfSigned("Signer One");
        using var stranger = SelfSigned("Someone Else");
        var sig = Sign(Descriptor, cert);
        File.WriteAllText(dir.File("one.pem"), cert.ExportCertificatePem());
        File.WriteAllText(dir.File("stranger.pem"), stranger.ExportCertificatePem());
        var trusted = VibSignature.Examine(sig, Descriptor, VibTrustStore.Create(new[] { dir.File("one.pem") }, includeEnvironment: false), Now);
        Assert.Equal("Signer One", trusted.Anchor);
        Assert.Equal(dir.File("one.pem"), trusted.AnchorOrigin);
        Assert.Equal(AcceptanceLevel.PartnerSupported, trusted.AnchorMaxLevel);
        Assert.Equal("untrusted", VibSignature.Examine(sig, Descriptor, VibTrustStore.Create(new[] { dir.File("stranger.pem") }, includeEnvironment: false), Now).Trust);
        Assert.Equal("untrusted", VibSignature.Examine(sig, Descriptor, VibTrustStore.BuiltIn, Now).Trust);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    public void An_empty_signature_is_absent(string text)
    {
        var f = VibSignature.Examine(Encoding.ASCII.GetBytes(text), Descriptor);
        Assert.False(f.Present);
        Assert.Equal(SignatureState.Unsigned, f.State);
        Assert.False(f.SignatureVerifies);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("-----BEGIN PKCS7-----\n!!!!\n-----END PKCS7-----\n")]
    [InlineData("-----BEGIN PKCS7-----\nMAMCAQA=\n-----END PKCS7-----\n")]
    public void Malformed_signatures_are_facts_not_crashes(string text)
    {
        var f = VibSignature.Examine(Encoding.ASCII.GetBytes(text), Descriptor);
        Assert.True(f.Present);
        Assert.Equal(SignatureState.Unreadable, f.State);
        Assert.False(f.SignatureVerifies);
        Assert.False(string.IsNullOrEmpty(f.Problem));
    }

    [CorpusTheory]
    [InlineData("usbnic-fling-703/ESXi703-VMKUSB-NIC-FLING-55634242-component-19849370.zip", "VMware Certified VIB Signing", AcceptanceLevel.VMwareCertified)]
    [InlineData("usbnic-fling-650/ESXi650-VMKUSB-NIC-FLING-39176435-16775917.zip", "VMware Accepted VIB Signing", AcceptanceLevel.VMwareAccepted)]
    [InlineData("scripts/itiligent-8-updates/VMware-Re-Driver_1.101.01-5vmw.800.1.0.20613240.zip", "VMware Certified VIB Signing", AcceptanceLevel.VMwareCertified)]
    [InlineData("scripts/itiligent-8-updates/ESXi803-VMKUSB-NIC-FLING-93415869-component.zip", "VMware Certified VIB Signing", AcceptanceLevel.VMwareCertified)]
    public void Real_vmware_signed_vibs_verify_over_their_descriptor_to_a_built_in_anchor(string bundle, string anchor, AcceptanceLevel max)
    {
        using var tmp = new TempDir();
        var depot = DepotReader.Open(Corpus.Path(bundle.Split('/')), new DepotOptions { CacheDirectory = tmp.File("cache") });
        var vib = Assert.Single(depot.Packages);
        var path = tmp.File("x.vib");
        using (var s = vib.Content.OpenVibFile())
        using (var f = File.Create(path)) s.CopyTo(f);
        var facts = VibSignature.ReadFile(path);
        Assert.True(facts.Present);
        Assert.Equal("PEM", facts.Encoding);
        Assert.Contains("VMware", facts.Signer);
        Assert.True(facts.SignatureVerifies, facts.Problem);
        Assert.Equal(anchor, facts.Anchor);
        Assert.Equal("built-in", facts.AnchorOrigin);
        Assert.Equal(max, facts.AnchorMaxLevel);
        // The accepted certificate expired in 2022, but it signed in 2020: ESXi judges the signing time.
        Assert.True(facts.ValidAtSigning);
        Assert.True(VibSignatureCheck.Check(vib, VibTrustStore.BuiltIn).Passed);
    }

    [CorpusFact]
    public void An_unsigned_community_vib_has_no_signature()
    {
        var facts = VibSignature.ReadFile(Corpus.Path("ghettovcb-2015", "vghetto-ghettoVCB.vib"));
        Assert.False(facts.Present);
    }
}
