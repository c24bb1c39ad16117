using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using ESXiImageTools.Cli;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Cli.Tests;

/// <summary>
/// <c>validate</c> and <c>compare</c> against a generated "VMware" depot (esx-base providing the ABIs the
/// corpus drivers need, sata-ahci, net-forcedeth, usb) with two read-only profiles, plus corpus bundles as --add files.
/// </summary>
public class ProfileCommandsTests : IDisposable
{
    private const string Standard = "ESXi-6.5.0-test-standard";
    private const string Newer = "ESXi-6.5.0-test-newer";
    private readonly TempDir _tmp = new TempDir();
    private readonly string _depot;

    public ProfileCommandsTests()
    {
        var v = _tmp.File("v");
        var (esx, _) = VibFixtures.Build(v, "esx-base", "6.5.0-3.96.13932383", "VMware", AcceptanceLevel.VMwareCertified,
            provides: new[] { new Provide("esx-version", VibVersion.Parse("6.5.0-3.96.13932383")), new Provide("vmkapi_2_2_0_0"), new Provide("com.vmware.driverAPI-9.2.2.0") });
        var (ahci, _) = VibFixtures.Build(v, "sata-ahci", "3.0-26vmw.650.0.0.4564106", "VMW", AcceptanceLevel.VMwareCertified);
        var (forcedeth, _) = VibFixtures.Build(v, "net-forcedeth", "0.61-2vmw.650.0.0.4564106", "VMW", AcceptanceLevel.VMwareCertified);
        var (usb1, _) = VibFixtures.Build(v, "usb", "1.0-1vmw.650", "VMW", AcceptanceLevel.VMwareCertified);
        var (usb2, _) = VibFixtures.Build(v, "usb", "2.0-1vmw.650", "VMW", AcceptanceLevel.VMwareCertified);
        var bb = new BundleBuilder().AddBuiltVib(esx).AddBuiltVib(ahci).AddBuiltVib(forcedeth).AddBuiltVib(usb1).AddBuiltVib(usb2);
        var ids = bb.VibIds;
        bb.AddProfile(Standard, "VMware, Inc.", ids.Take(4));
        bb.AddProfile(Newer, "VMware, Inc.", new[] { ids[0], ids[1], ids[4] });
        _depot = _tmp.File("depot.zip");
        bb.Write(_depot);
    }

    public void Dispose() => _tmp.Dispose();

    private static string SataXahci => Corpus.Path("sata-xahci", "sata-xahci-1.42-1-offline_bundle.zip");
    private static string R8168 => Corpus.Path("net55-r8168", "net55-r8168-8.045a-napi-offline_bundle.zip");

    private (int Code, string Out, string Err) Cli(params string[] args) => CliRunner.Run(_tmp.Path, args);

    [Fact]
    public void DepotProfileAsIsIsValid()
    {
        var r = Cli("validate", "--depot", _depot, "--profile", Standard);
        Assert.True(r.Code == ExitCodes.Success, r.Out + r.Err);
        Assert.Contains($"profile {Standard} (VMware, Inc.), acceptance PartnerSupported, 4 packages", r.Out);
        Assert.EndsWith("valid", r.Out.Trim());
    }

    [CorpusFact]
    public void SeedWorkflowAddBundlesWithCommunityLevelIsValid()
    {
        // Without lowering the level the community drivers are an acceptance problem (exit 1) whose message says the fix.
        var refused = Cli("validate", "--depot", _depot, "--profile", Standard, "--add", SataXahci);
        Assert.Equal(ExitCodes.ProblemsFound, refused.Code);
        Assert.Contains("error AcceptanceLevel:", refused.Out);
        Assert.Contains("--acceptance community", refused.Out);

        var ok = Cli("validate", "--depot", _depot, "--profile", Standard, "--add", SataXahci, "--add", R8168, "--acceptance", "community");
        Assert.True(ok.Code == ExitCodes.Success, ok.Out + ok.Err);
        Assert.Contains("added    VFrontDe_bootbank_sata-xahci_1.42-1", ok.Out);
        Assert.Contains("added    Realtek_bootbank_net55-r8168_8.045a-napi", ok.Out);
        Assert.Contains("6 packages", ok.Out);

        var lowered = Cli("validate", "--depot", _depot, "--profile", Standard, "--add", SataXahci, "--allow-lower-acceptance");
        Assert.Equal(ExitCodes.Success, lowered.Code);
        Assert.Contains("lowered from PartnerSupported to CommunitySupported", lowered.Out);
    }

    [CorpusFact]
    public void RemovingADependencyReportsItWithCandidatesInJson()
    {
        var r = Cli("validate", "--depot", _depot, "--profile", Standard, "--add", SataXahci, "--remove", "sata-ahci",
                    "--acceptance", "community", "--json");
        Assert.Equal(ExitCodes.ProblemsFound, r.Code);
        using var doc = JsonDocument.Parse(r.Out);
        var root = doc.RootElement;
        Assert.False(root.GetProperty("valid").GetBoolean());
        Assert.Equal("CommunitySupported", root.GetProperty("acceptanceLevel").GetString());
        var problem = Assert.Single(root.GetProperty("problems").EnumerateArray());
        Assert.Equal("MissingDependency", problem.GetProperty("kind").GetString());
        Assert.Equal("VFrontDe_bootbank_sata-xahci_1.42-1", problem.GetProperty("package").GetString());
        Assert.Equal("sata-ahci", problem.GetProperty("constraint").GetString());
        Assert.Equal("VMW_bootbank_sata-ahci_3.0-26vmw.650.0.0.4564106", Assert.Single(problem.GetProperty("candidates").EnumerateArray()).GetString());
        Assert.Equal("VMW_bootbank_sata-ahci_3.0-26vmw.650.0.0.4564106", Assert.Single(root.GetProperty("removed").EnumerateArray()).GetProperty("package").GetString());
    }

    [Fact]
    public void AddByNameReplacesAndVersionedAddDowngrades()
    {
        var up = Cli("validate", "--depot", _depot, "--profile", Standard, "--add", "usb");
        Assert.Equal(ExitCodes.Success, up.Code);
        Assert.Contains("replaced VMW_bootbank_usb_1.0-1vmw.650 -> VMW_bootbank_usb_2.0-1vmw.650", up.Out);

        var down = Cli("validate", "--depot", _depot, "--profile", Newer, "--add", "usb 1.0-1vmw.650");
        Assert.Equal(ExitCodes.Success, down.Code);
        Assert.Contains("replaced VMW_bootbank_usb_2.0-1vmw.650 -> VMW_bootbank_usb_1.0-1vmw.650", down.Out);
    }

    [CorpusFact]
    public void SpecFileDrivesTheSameBuild()
    {
        var bundles = Path.Combine(_tmp.Path, "specs", "bundles");
        Directory.CreateDirectory(bundles);
        File.Copy(SataXahci, Path.Combine(bundles, "sata-xahci.zip"));
        var spec = new ProfileSpec { BaseProfile = Standard, Name = "ESXi-6.5.0-custom", Vendor = "Lab", AllowLowerAcceptance = true };
        spec.Add.Add("bundles/sata-xahci.zip"); // relative to the spec file
        spec.Remove.Add("net-forcedeth");
        spec.Save(Path.Combine(_tmp.Path, "specs", "custom.json"));

        var r = Cli("validate", "--depot", "depot.zip", "--spec", "specs/custom.json", "--json");
        Assert.True(r.Code == ExitCodes.Success, r.Out + r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        Assert.Equal("ESXi-6.5.0-custom", doc.RootElement.GetProperty("profile").GetString());
        Assert.Equal("Lab", doc.RootElement.GetProperty("vendor").GetString());
        var packages = doc.RootElement.GetProperty("packages").EnumerateArray().Select(p => p.GetString()).ToList();
        Assert.Contains("VFrontDe_bootbank_sata-xahci_1.42-1", packages);
        Assert.DoesNotContain(packages, p => p.Contains("net-forcedeth"));
    }

    [Fact]
    public void UnknownNamesAndBadOptionsHaveTheirExitCodes()
    {
        var noPackage = Cli("validate", "--depot", _depot, "--profile", Standard, "--add", "no-such-driver");
        Assert.Equal(ExitCodes.NotFound, noPackage.Code);
        Assert.Contains("PackageNotFound", noPackage.Err);

        var noProfile = Cli("validate", "--depot", _depot, "--profile", "ESXi-9-nope");
        Assert.Equal(ExitCodes.NotFound, noProfile.Code);
        Assert.Contains(Standard, noProfile.Err); // lists what exists

        Assert.Equal(ExitCodes.Usage, Cli("validate", "--depot", _depot).Code);
        Assert.Equal(ExitCodes.Usage, Cli("validate", "--depot", _depot, "--profile", Standard, "--acceptance", "trusted").Code);

        File.WriteAllText(_tmp.File("bad.json"), "{\"baseProfile\": 1,");
        var badSpec = Cli("validate", "--depot", _depot, "--spec", "bad.json");
        Assert.Equal(ExitCodes.InvalidInput, badSpec.Code);
        Assert.Contains("ProfileSpecInvalid", badSpec.Err);
        Assert.Contains("bad.json", badSpec.Err);
    }

    [Fact]
    public void CompareShowsUpgradesAndOneSidedPackages()
    {
        var r = Cli("compare", "--depot", _depot, Standard, Newer);
        Assert.True(r.Code == ExitCodes.Success, r.Err);
        Assert.Contains("packages differ", r.Out);
        Assert.Contains("^ usb 1.0-1vmw.650 -> 2.0-1vmw.650", r.Out);
        Assert.Contains("- VMW_bootbank_net-forcedeth_0.61-2vmw.650.0.0.4564106", r.Out);
        Assert.Contains("2 packages in both", r.Out);

        var j = Cli("compare", "--depot", _depot, Newer, Standard, "--json");
        using var doc = JsonDocument.Parse(j.Out);
        Assert.False(doc.RootElement.GetProperty("packagesEqual").GetBoolean());
        var down = Assert.Single(doc.RootElement.GetProperty("downgraded").EnumerateArray());
        Assert.Equal("2.0-1vmw.650", down.GetProperty("from").GetString());
        Assert.Equal("VMW_bootbank_net-forcedeth_0.61-2vmw.650.0.0.4564106", Assert.Single(doc.RootElement.GetProperty("onlyInComparison").EnumerateArray()).GetString());

        var same = Cli("compare", "--depot", _depot, Standard, Standard);
        Assert.Contains("profiles are equal", same.Out);
        Assert.Equal(ExitCodes.Usage, Cli("compare", "--depot", _depot, Standard).Code);
    }
}
