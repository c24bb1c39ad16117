using System.IO;
using System.Linq;
using System.Text.Json;
using ESXiImageTools.Cli;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Cli.Tests;

public class InspectCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.RunHere(args);

    private static (string Path, Vib Vib) Fixture(TempDir dir)
        => VibFixtures.Build(dir.Path, "net-demo", "1.2.3-1OEM.700", depends: new[] { Constraint.Parse("vmkapi_2_2_0_0"), Constraint.Parse("esx-base >= 7.0.0") },
            provides: new[] { new Provide("net-demo-api", VibVersion.Parse("1.0-1")) });

    [Fact]
    public void PrintsTable()
    {
        using var dir = new TempDir();
        var (path, vib) = Fixture(dir);
        var (code, stdout, stderr) = Run("inspect", path);
        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        Assert.Contains("Package         TestVendor_bootbank_net-demo_1.2.3-1OEM.700", stdout);
        Assert.Contains("Acceptance      PartnerSupported (partner)", stdout);
        Assert.Contains("Depends         vmkapi_2_2_0_0, esx-base >= 7.0.0", stdout);
        Assert.Contains("Provides        net-demo-api = 1.0-1", stdout);
        Assert.Contains("Signed          yes", stdout);   // by the test run's in-house certificate, trusted through ESXIIMAGETOOLS_TRUSTED_CERTS
        Assert.Contains("Trust           ESXiImageTools Test Signing (" + TestSigning.InHouseCertificateFile + "), may sign up to PartnerSupported", stdout);
        Assert.Contains("Host accepts    yes", stdout);
        Assert.Contains("Checksums       verified (3 checksums over 1 payloads)", stdout);
        var p = vib.Payloads.Single();
        Assert.Matches($@"\n  net-demo  tgz  +{p.Size}  {p.Sha256}\r?\n", stdout);
    }

    [Fact]
    public void JsonIsTheEngineObjectInCamelCase()
    {
        using var dir = new TempDir();
        var (path, vib) = Fixture(dir);
        var (code, stdout, _) = Run("inspect", path, "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal("net-demo", root.GetProperty("name").GetString());
        Assert.Equal("1.2.3-1OEM.700", root.GetProperty("version").GetString());
        Assert.Equal(vib.Id, root.GetProperty("id").GetString());
        Assert.Equal("PartnerSupported", root.GetProperty("acceptanceLevel").GetString());
        Assert.Equal("esx-base >= 7.0.0", root.GetProperty("depends")[1].GetString());
        var payload = root.GetProperty("payloads")[0];
        Assert.Equal(vib.Payloads[0].Sha256, payload.GetProperty("sha256").GetString());
        Assert.Equal(vib.Payloads[0].Size, payload.GetProperty("size").GetInt64());
        Assert.False(root.TryGetProperty("content", out _));
    }

    [Fact]
    public void MissingFileExitsFour()
    {
        var (code, stdout, stderr) = Run("inspect", "/nonexistent/dir/x.vib");
        Assert.Equal(ExitCodes.NotFound, code);
        Assert.Equal("", stdout);
        Assert.StartsWith("esximage: FileNotFound:", stderr);
        Assert.Single(stderr.TrimEnd().Split('\n'));
    }

    [Fact]
    public void CorruptFileExitsThreeWithoutStackTrace()
    {
        using var dir = new TempDir();
        var (path, _) = Fixture(dir);
        var bytes = File.ReadAllBytes(path);
        bytes[^20] ^= 0x55; // inside the payload (the last member)
        File.WriteAllBytes(path, bytes);
        var (code, _, stderr) = Run("inspect", path);
        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.StartsWith("esximage: VibChecksumMismatch:", stderr);
        Assert.Contains(path, stderr);
        Assert.DoesNotContain("   at ", stderr);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        // Without verification the metadata still shows.
        Assert.Equal(0, Run("inspect", path, "--no-verify").Code);

        File.WriteAllBytes(path, bytes.Take(bytes.Length / 2).ToArray());
        var (code2, _, stderr2) = Run("inspect", path);
        Assert.Equal(ExitCodes.InvalidInput, code2);
        Assert.StartsWith("esximage: VibTruncated:", stderr2);
        Assert.DoesNotContain("   at ", stderr2);
    }

    [Fact]
    public void NotAVibExitsThree()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("x.vib"), "hello");
        var (code, _, stderr) = Run("inspect", dir.File("x.vib"));
        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.StartsWith("esximage: VibNotArArchive:", stderr);
    }

    [Fact]
    public void UsageErrorsExitTwo()
    {
        Assert.Equal(ExitCodes.Usage, Run("inspect").Code);
        Assert.Equal(ExitCodes.Usage, Run("inspect", "a", "b").Code);
        Assert.Equal(ExitCodes.Usage, Run("inspect", "a.vib", "--bogus").Code);
    }

    [CorpusFact]
    public void InspectsSignedCorpusVibFromZipExtract()
    {
        using var dir = new TempDir();
        var item = CorpusVibs.All().First(i => i.Relative.Contains("usbnic-fling-703"));
        var path = dir.File("fling.vib");
        using (var s = item.Open()) using (var f = File.Create(path)) s.CopyTo(f);
        var (code, stdout, _) = Run("inspect", path);
        Assert.Equal(0, code);
        Assert.Contains("VMW_bootbank_vmkusb-nic-fling_1.10-1vmw.703.0.50.55634242", stdout);
        Assert.Contains("Signed          yes", stdout);
        Assert.Contains("VMwareCertified", stdout);
        Assert.Contains("bb24e52103d23403cdb2cb87132cd1edfea0d879fc29afbaf8dbea1212cdfa8a", stdout);
        Assert.Contains("Signature       verifies over descriptor.xml (PEM)", stdout);
        Assert.Contains("Trust           VMware Certified VIB Signing (built-in), may sign up to VMwareCertified", stdout);
        Assert.Contains("Signed on       2022-05-24 (within the certificate's validity)", stdout);
        Assert.Contains("Host accepts    yes", stdout);
        Assert.Matches(@"Signer          .*VMware", stdout);
    }
}
