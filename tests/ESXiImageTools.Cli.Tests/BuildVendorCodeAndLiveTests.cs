using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Cli.Tests;

/// <summary>
/// <c>esximage build --bundle … --vendor-code</c> and <c>--pxe … --live</c>, the command-line forms of New-OfflineBundle's
/// -VendorCode and New-PxeImage's -LiveImage, on the committed sample.
/// </summary>
public class BuildVendorCodeAndLiveTests
{
    private static string SampleDepot => Path.Combine(RepoRoot.Path, "samples", "depot", "ESXi-8.0.0-sample-depot.zip");

    private static void WriteSpec(TempDir dir)
        => File.WriteAllText(dir.File("spec.json"), "{ \"base_image\": { \"version\": \"8.0.0-1.0.20513097\" } }");

    [Fact]
    public void Bundle_carries_the_vendor_code_given()
    {
        using var dir = new TempDir("vendorcode");
        WriteSpec(dir);
        var (code, _, err) = CliRunner.Run(dir.Path, "build", "--depot", SampleDepot, "--spec", "spec.json", "--bundle", "b.zip", "--vendor", "HPE",
            "--vendor-code", "HEP", "--trust-cert", TestSigning.SampleCertificateFile, "--timestamp", "1700000000", "--no-sync");
        Assert.True(code == 0, err);
        using var zip = ZipFile.OpenRead(dir.File("b.zip"));
        using var s = zip.GetEntry("index.xml").Open();
        var vendor = XDocument.Load(s).Root.Element("vendor");
        Assert.Equal("HEP", vendor.Element("code").Value);
        Assert.Equal("HPE", vendor.Element("name").Value);
    }

    [Theory]
    [InlineData("HPEX")]
    [InlineData("H-P")]
    public void A_bad_vendor_code_is_refused_before_any_depot_is_read(string vendorCode)
    {
        using var dir = new TempDir("vendorcode");
        WriteSpec(dir);
        var (code, _, err) = CliRunner.Run(dir.Path, "build", "--depot", dir.File("absent.zip"), "--spec", "spec.json", "--bundle", "b.zip", "--vendor-code", vendorCode);
        Assert.NotEqual(0, code);
        Assert.Contains("BundleVendorCodeInvalid", err);
        Assert.DoesNotContain("absent.zip", err);
        Assert.False(File.Exists(dir.File("b.zip")));
    }

    [Theory]
    [InlineData("--live")]
    [InlineData("--vendor-code")]
    public void Live_is_for_pxe_and_vendor_code_for_bundle(string option)
    {
        using var dir = new TempDir("vendorcode");
        WriteSpec(dir);
        var args = new[] { "build", "--depot", SampleDepot, "--spec", "spec.json", "--iso", "x.iso", option }.Concat(option == "--live" ? new string[0] : new[] { "ABC" }).ToArray();
        var (code, _, err) = CliRunner.Run(dir.Path, args);
        Assert.Equal(2, code);
        Assert.Contains(option + " is for", err);
    }

    [Fact]
    public void Live_pxe_boot_cfg_has_no_installer_options()
    {
        using var dir = new TempDir("livepxe");
        WriteSpec(dir);
        var (code, _, err) = CliRunner.Run(dir.Path, "build", "--depot", SampleDepot, "--spec", "spec.json", "--pxe", "live", "--live",
            "--trust-cert", TestSigning.SampleCertificateFile, "--timestamp", "1700000000", "--no-sync");
        Assert.True(code == 0, err);
        var lines = File.ReadAllLines(dir.File("live/boot.cfg"));
        Assert.Contains("kernelopt=", lines);
        Assert.Contains("title=Loading ESXi", lines);
        Assert.DoesNotContain(lines, l => l.Contains("runweasel"));
    }
}
