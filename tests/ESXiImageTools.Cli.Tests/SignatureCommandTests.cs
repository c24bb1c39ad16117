using System.IO;
using System.Linq;
using System.Text.Json;
using ESXiImageTools.TestSupport;
using Xunit;
using static ESXiImageTools.Cli.Tests.CliRunner;

namespace ESXiImageTools.Cli.Tests;

/// <summary>
/// The command-line path of the signature check, on VIBs changed after signing (built from the real if-re VIB) and on the
/// sample: inspect reports, build refuses with the switch named, --no-signature-check warns once, verify reports.
/// </summary>
public class SignatureCommandTests
{
    private const string SampleDepot = "samples/depot/ESXi-8.0.0-sample-depot.zip";
    private const string Standard = "ESXi-8.0.0-20513097-sample-standard";

    private static string[] Build(string add, string output, params string[] more)
        => new[] { "build", "--depot", SampleDepot, "--profile", Standard, "--add", add, "--acceptance", "community", "--force",
                   "--trust-cert", TestSigning.SampleCertificateFile, "--bundle", output, "--timestamp", "1700000000" }.Concat(more).ToArray();

    [CorpusFact]
    public void A_look_alike_signature_verifies_but_inspect_says_untrusted_and_json_says_so()
    {
        using var tmp = new TempDir();
        using var lookAlike = TamperedVibs.LookAlike();
        var vib = TamperedVibs.Resigned(tmp.Path, "look-alike", lookAlike);
        var (code, stdout, _) = Run(tmp.Path, "inspect", vib, "--no-verify");
        Assert.Equal(0, code);
        Assert.Contains("Signature       verifies over descriptor.xml (PEM)", stdout);
        Assert.Contains("Signer          CN=VMware Certified VIB Signing", stdout);
        Assert.Contains("Trust           untrusted", stdout);
        Assert.Contains("Host accepts    no: it is signed by 'CN=VMware Certified VIB Signing", stdout);

        var json = Run(tmp.Path, "inspect", vib, "--json", "--no-verify");
        using var doc = JsonDocument.Parse(json.Out);
        var sig = doc.RootElement.GetProperty("signature");
        Assert.Equal("verifies", sig.GetProperty("state").GetString());
        Assert.Equal("untrusted", sig.GetProperty("trust").GetString());
        Assert.Equal(JsonValueKind.Null, sig.GetProperty("anchorMaxLevel").ValueKind);
        Assert.False(sig.GetProperty("hostAccepts").GetBoolean());
        Assert.Equal(TamperedVibs.IfReId, doc.RootElement.GetProperty("id").GetString());

        var genuine = Run(tmp.Path, "inspect", TamperedVibs.Genuine(tmp.Path), "--json", "--no-verify");
        using var g = JsonDocument.Parse(genuine.Out);
        var gs = g.RootElement.GetProperty("signature");
        Assert.Equal("VMware Certified VIB Signing", gs.GetProperty("trust").GetString());
        Assert.Equal("VMwareCertified", gs.GetProperty("anchorMaxLevel").GetString());
        Assert.True(gs.GetProperty("hostAccepts").GetBoolean());
    }

    [CorpusFact]
    public void Build_refuses_an_edited_VIB_naming_it_and_the_switch_and_the_switch_exports_it_with_one_warning_that_verify_reports()
    {
        using var tmp = new TempDir();
        var vib = TamperedVibs.DescriptorEdited(tmp.Path, "acceptance");
        var output = tmp.File("out.zip");
        var refused = Run(RepoRoot.Path, Build(vib, output));
        Assert.Equal(ExitCodes.InvalidInput, refused.Code);
        Assert.Contains("esximage: VibSignatureInvalid: ", refused.Err);
        Assert.Contains(TamperedVibs.IfReId, refused.Err);
        Assert.Contains("does not verify over its descriptor", refused.Err);
        Assert.EndsWith("(--no-signature-check)", refused.Err.TrimEnd());
        Assert.DoesNotContain("-NoSignatureCheck", refused.Err);
        Assert.False(File.Exists(output));

        var skipped = Run(RepoRoot.Path, Build(vib, output, "--no-signature-check"));
        Assert.True(skipped.Code == 0, skipped.Err);
        var warnings = skipped.Err.Split('\n').Where(l => l.StartsWith("warning: signature check skipped")).ToList();
        Assert.Contains(TamperedVibs.IfReId, Assert.Single(warnings));

        var verify = Run(RepoRoot.Path, "verify", output, "--trust-cert", TestSigning.SampleCertificateFile);
        Assert.Equal(ExitCodes.ProblemsFound, verify.Code);
        var line = Assert.Single(verify.Out.Split('\n'), l => l.StartsWith("error   Signatures:"));
        Assert.Contains(TamperedVibs.IfReId, line);
        Assert.Contains("does not verify", line);
    }

    [Fact]
    public void The_sample_is_refused_until_its_certificate_is_named_and_verify_reports_it_untrusted_without_it()
    {
        using var tmp = new TempDir();
        var driver = "samples/drivers/ESXiImageTools_bootbank_net-community_1.0.0-1sample.800.vib";
        var named = Run(RepoRoot.Path, Build(driver, tmp.File("named.zip")));
        Assert.True(named.Code == 0, named.Err);
        Assert.DoesNotContain("signature", named.Err);

        // The same command without --trust-cert: the in-house test certificate the environment names is no help.
        var args = Build(driver, tmp.File("unnamed.zip")).ToList();
        args.RemoveRange(args.IndexOf("--trust-cert"), 2);
        var refused = Run(RepoRoot.Path, args.ToArray());
        Assert.Equal(ExitCodes.InvalidInput, refused.Code);
        Assert.Contains("VMware_bootbank_esx-base_8.0.0-1.0.20513097", refused.Err);
        Assert.Contains("ESXiImageTools Sample VIB Signing (TEST)", refused.Err);

        var untrusted = Run(RepoRoot.Path, "verify", tmp.File("named.zip"));
        Assert.Equal(ExitCodes.ProblemsFound, untrusted.Code);
        Assert.Equal(4, untrusted.Out.Split('\n').Count(l => l.StartsWith("error   Signatures:") && l.Contains("not a trusted certificate")));
        var trusted = Run(RepoRoot.Path, "verify", tmp.File("named.zip"), "--trust-cert", TestSigning.SampleCertificateFile);
        Assert.True(trusted.Code == 0, trusted.Out);
        Assert.Contains("ok      signatures: 4 VIB(s) signed by a trusted certificate allowed their level (ESXiImageTools Sample VIB Signing (TEST)), 1 CommunitySupported", trusted.Out);
    }

    [Fact]
    public void A_trust_cert_that_is_no_certificate_is_a_typed_error()
    {
        using var tmp = new TempDir();
        File.WriteAllText(tmp.File("junk.pem"), "junk");
        var r = Run(tmp.Path, "verify", Path.Combine(RepoRoot.Path, SampleDepot), "--trust-cert", "junk.pem");
        Assert.Equal(ExitCodes.InvalidInput, r.Code);
        Assert.Contains("CertificateInvalid", r.Err);
        Assert.Contains("junk.pem", r.Err);
    }
}
