using System;
using System.IO;
using System.Linq;
using System.Text;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Export;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;
using ESXiImageTools.Core.Verification;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.Export;

/// <summary>
/// The tampering table: a real VMware-signed VIB changed after signing is refused by every export (unless the check is
/// skipped, then one warning) and reported by verify, as an ESXi host refuses it; the genuine VIB passes.
/// </summary>
public class SignatureCheckTests
{
    private static VibTrustStore Trust(params string[] files) => VibTrustStore.Create(files, includeEnvironment: false);

    private static SignatureVerdict Check(string vibPath, VibTrustStore trust = null) => VibSignatureCheck.Check(VibFile.Open(vibPath), trust ?? Trust());

    private static ImageProfile ProfileOf(string vibPath) => new ImageProfile
    {
        Name = "tamper-test",
        Vendor = "Test",
        AcceptanceLevel = AcceptanceLevel.CommunitySupported,
        Packages = new[] { VibFile.Open(vibPath) },
    };

    private static ExportResult ExportBundle(string vibPath, string destination, bool skip, VibTrustStore trust = null)
        => BundleExporter.Export(ProfileOf(vibPath), new BundleExportOptions
        {
            Destination = destination,
            AllowInvalidProfile = true,   // a lone driver misses its vmkapi provider: validation is not what is tested here
            NoSignatureCheck = skip,
            TrustStore = trust ?? Trust(),
            Timestamp = TamperedVibs.SignedAt,
        });

    [CorpusFact]
    public void The_genuine_VIB_passes_and_exports_without_a_signature_warning()
    {
        using var tmp = new TempDir();
        var vib = TamperedVibs.Genuine(tmp.Path);
        var verdict = Check(vib);
        Assert.True(verdict.Passed, verdict.Problem);
        Assert.Equal("VMware Certified VIB Signing", verdict.Facts.Anchor);
        var result = ExportBundle(vib, tmp.File("genuine.zip"), skip: false);
        Assert.DoesNotContain(result.Warnings, w => w.Contains("signature"));
        var v = ImageVerifier.Verify(result.Path, Trust());
        Assert.DoesNotContain(v.Problems, p => p.Check == ImageCheck.Signatures);
        Assert.Contains(v.Passed, p => p.StartsWith("signatures: 1 VIB(s) signed by a trusted certificate", StringComparison.Ordinal));
    }

    public static TheoryData<string> Edits() => new TheoryData<string>(TamperedVibs.DescriptorEdits.Keys);

    [CorpusTheory]
    [MemberData(nameof(Edits))]
    public void An_edited_descriptor_does_not_verify_and_every_export_refuses_it(string edit)
    {
        using var tmp = new TempDir();
        var vib = TamperedVibs.DescriptorEdited(tmp.Path, edit);
        var verdict = Check(vib);
        Assert.Equal(SignatureFailure.DoesNotVerify, verdict.Failure);
        Assert.Equal(SignatureState.DoesNotVerify, verdict.Facts.State);
        AssertRefusedEverywhere(vib, tmp, "does not verify over its descriptor");
    }

    [CorpusFact]
    public void A_replaced_payload_with_updated_checksums_does_not_verify()
    {
        using var tmp = new TempDir();
        var vib = TamperedVibs.PayloadReplaced(tmp.Path);
        VibVerifier.VerifyAll(VibFile.Open(vib));   // the checksums agree with the trojan: only the signature can tell
        Assert.Equal(SignatureFailure.DoesNotVerify, Check(vib).Failure);
        AssertRefusedEverywhere(vib, tmp, "does not verify over its descriptor");
    }

    [CorpusFact]
    public void A_look_alike_VMware_certificate_verifies_but_is_not_trusted()
    {
        using var tmp = new TempDir();
        using var lookAlike = TamperedVibs.LookAlike();
        var vib = TamperedVibs.Resigned(tmp.Path, "look-alike", lookAlike);
        var verdict = Check(vib);
        Assert.Equal(SignatureState.Verifies, verdict.Facts.State);
        Assert.Contains("CN=VMware Certified VIB Signing", verdict.Facts.Signer);
        Assert.Null(verdict.Facts.Anchor);
        Assert.Equal("untrusted", verdict.Facts.Trust);
        Assert.Equal(SignatureFailure.Untrusted, verdict.Failure);
        AssertRefusedEverywhere(vib, tmp, "not a trusted certificate");
    }

    [CorpusFact]
    public void Evil_Corp_is_untrusted_and_an_expired_certificate_fails_even_when_trusted()
    {
        using var tmp = new TempDir();
        using var evil = TamperedVibs.EvilCorp();
        var evilVib = TamperedVibs.Resigned(tmp.Path, "evil", evil);
        Assert.Equal(SignatureFailure.Untrusted, Check(evilVib).Failure);
        AssertRefusedEverywhere(evilVib, tmp, "CN=Evil Corp");

        using var expired = TamperedVibs.Expired();
        var expiredVib = TamperedVibs.Resigned(tmp.Path, "expired", expired, d => d.Replace("<acceptance-level>certified</acceptance-level>", "<acceptance-level>partner</acceptance-level>"));
        var trusted = Trust(TamperedVibs.WritePem(tmp.File("expired.pem"), expired));
        var verdict = Check(expiredVib, trusted);
        Assert.Equal(SignatureFailure.OutsideValidity, verdict.Failure);
        Assert.False(verdict.Facts.ValidAtSigning);
        Assert.Contains("valid only from 2020-01-01 to 2021-01-01", verdict.Problem);
        var e = Assert.Throws<EsxException>(() => ExportBundle(expiredVib, tmp.File("expired.zip"), skip: false, trusted));
        Assert.Equal(ErrorCodes.VibSignatureInvalid, e.Code);
    }

    [CorpusTheory]
    [InlineData("garbage")]
    [InlineData("truncated")]
    [InlineData("empty")]
    public void A_garbage_truncated_or_missing_signature_is_refused(string kind)
    {
        using var tmp = new TempDir();
        var vib = TamperedVibs.SignatureReplaced(tmp.Path, kind, sig => kind switch
        {
            "garbage" => Encoding.ASCII.GetBytes("this is not a signature\n"),
            "truncated" => sig.Take(sig.Length / 2).ToArray(),
            _ => Array.Empty<byte>(),
        });
        var verdict = Check(vib);
        Assert.Equal(kind == "empty" ? SignatureFailure.Unsigned : SignatureFailure.Unreadable, verdict.Failure);
        AssertRefusedEverywhere(vib, tmp, kind == "empty" ? "carries no signature" : "sig.pkcs7");
    }

    [CorpusFact]
    public void An_in_house_certificate_signs_partner_VIBs_only_when_named_and_never_VMware_levels()
    {
        using var tmp = new TempDir();
        using var inHouse = TestSigning.SelfSigned("CN=Contoso VIB Signing, O=Contoso", new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var pem = TamperedVibs.WritePem(tmp.File("contoso.pem"), inHouse);
        var partner = TamperedVibs.Resigned(tmp.Path, "partner", inHouse, d => d.Replace("<acceptance-level>certified</acceptance-level>", "<acceptance-level>partner</acceptance-level>"));
        Assert.Equal(SignatureFailure.Untrusted, Check(partner).Failure);
        var named = Check(partner, Trust(pem));
        Assert.True(named.Passed, named.Problem);
        Assert.Equal(("Contoso VIB Signing", AcceptanceLevel.PartnerSupported), (named.Facts.Anchor, named.Facts.AnchorMaxLevel.Value));
        ExportBundle(partner, tmp.File("partner.zip"), skip: false, Trust(pem));

        var certified = TamperedVibs.Resigned(tmp.Path, "certified", inHouse);
        var verdict = Check(certified, Trust(pem));
        Assert.Equal(SignatureFailure.LevelNotAllowed, verdict.Failure);
        Assert.Contains("may sign at most PartnerSupported", verdict.Problem);
    }

    [CorpusFact]
    public void Depot_metadata_that_contradicts_the_signed_descriptor_is_refused()
    {
        using var tmp = new TempDir();
        var vib = VibFile.Open(TamperedVibs.Genuine(tmp.Path));
        var lying = vib with { AcceptanceLevel = AcceptanceLevel.VMwareCertified, Payloads = vib.Payloads.Select(p => p with { Size = p.Size + 1 }).ToList() };
        var verdict = VibSignatureCheck.Check(lying, Trust());
        Assert.Equal(SignatureFailure.DescriptorMismatch, verdict.Failure);
    }

    [CorpusFact]
    public void A_CommunitySupported_VIB_needs_no_signature_whatever_its_sig_pkcs7_holds()
    {
        using var tmp = new TempDir();
        var vib = TamperedVibs.SignatureReplaced(tmp.Path, "community-garbage", _ => Encoding.ASCII.GetBytes("garbage\n"));
        var community = VibFile.Open(vib) with { AcceptanceLevel = AcceptanceLevel.CommunitySupported };
        var verdict = VibSignatureCheck.Judge(community, VibSignature.ReadFile(vib, Trust()), null);
        Assert.True(verdict.Passed);
        Assert.Equal(SignatureState.Unreadable, verdict.Facts.State);   // still reported as what it is
    }

    [Fact]
    public void The_environment_variable_adds_its_certificates_as_partner_anchors()
    {
        // The test run names its in-house certificate in ESXIIMAGETOOLS_TRUSTED_CERTS (TestSigning.TrustForTests).
        var fromEnvironment = VibTrustStore.Create(null).Anchors.Single(a => a.Origin == Path.GetFullPath(TestSigning.InHouseCertificateFile));
        Assert.Equal(AcceptanceLevel.PartnerSupported, fromEnvironment.MaxLevel);
        Assert.DoesNotContain(VibTrustStore.Create(null, includeEnvironment: false).Anchors, a => a.Origin != "built-in");
    }

    [Fact]
    public void Trusted_certificate_files_must_hold_a_certificate()
    {
        using var tmp = new TempDir();
        File.WriteAllText(tmp.File("junk.pem"), "no certificate here");
        Assert.Equal(ErrorCodes.CertificateInvalid, Assert.Throws<EsxFormatException>(() => Trust(tmp.File("junk.pem"))).Code);
        Assert.Equal(ErrorCodes.FileNotFound, Assert.Throws<EsxException>(() => Trust(tmp.File("absent.pem"))).Code);
    }

    [Fact]
    public void The_built_in_anchors_are_VMwares_two_certificates_pinned_by_thumbprint()
    {
        var anchors = VibTrustStore.BuiltIn.Anchors;
        Assert.Equal(new[] { ("VMware Certified VIB Signing", AcceptanceLevel.VMwareCertified, VibTrustStore.VMwareCertifiedThumbprint),
                             ("VMware Accepted VIB Signing", AcceptanceLevel.VMwareAccepted, VibTrustStore.VMwareAcceptedThumbprint) },
                     anchors.Select(a => (a.Name, a.MaxLevel, a.Thumbprint)).ToArray());
    }

    /// <summary>Refused by the bundle and ISO exports with the VIB, the failure and the hint named; exported with one warning
    /// when the check is skipped; and verify reports the exported bundle's VIB.</summary>
    private static void AssertRefusedEverywhere(string vib, TempDir tmp, string problem)
    {
        var dest = tmp.File(Path.GetFileNameWithoutExtension(vib) + ".zip");
        var e = Assert.Throws<EsxException>(() => ExportBundle(vib, dest, skip: false));
        Assert.Equal(ErrorCodes.VibSignatureInvalid, e.Code);
        Assert.Equal(EsxErrorCategory.SecurityError, e.Category);
        Assert.Equal(EsxHints.SkipSignatureCheck, e.Hint);
        Assert.Contains(TamperedVibs.IfReId, e.Message);
        Assert.Contains(problem, e.Message);
        Assert.DoesNotContain("--", e.Message);
        Assert.False(File.Exists(dest));
        var iso = tmp.File(Path.GetFileNameWithoutExtension(vib) + ".iso");
        Assert.Equal(ErrorCodes.VibSignatureInvalid, Assert.Throws<EsxException>(() => IsoExporter.Export(ProfileOf(vib),
            new IsoExportOptions { Destination = iso, AllowInvalidProfile = true, TrustStore = Trust() })).Code);
        Assert.False(File.Exists(iso));

        var skipped = ExportBundle(vib, dest, skip: true);
        var warning = Assert.Single(skipped.Warnings, w => w.Contains("signature"));
        Assert.StartsWith("signature check skipped", warning);
        Assert.Contains(TamperedVibs.IfReId, warning);
        var v = ImageVerifier.Verify(dest, Trust());
        Assert.False(v.IsValid);
        var found = Assert.Single(v.Problems, p => p.Check == ImageCheck.Signatures);
        Assert.Contains(problem, found.Message);
    }
}
