using System;
using System.IO;
using System.Linq;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Export;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Cli.Tests;

public class BuildCommandTests
{
    private static readonly DateTimeOffset Stamp = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    /// <summary>A base depot (the synthetic image as an offline bundle) and a community driver .vib beside it.</summary>
    private static (string Depot, string Driver, string Profile) Setup(TempDir tmp)
    {
        var fx = EsxImageFixture.Create(tmp.File("src"));
        var depot = tmp.File("base-depot.zip");
        using (var fs = File.Create(depot))
            BundleWriter.Write(fs, new BundleContent { VendorName = "Fixture", Packages = fx.All, Profiles = new[] { fx.Profile } }, Stamp);
        var (driver, _) = VibFixtures.Build(tmp.File("drivers"), "net-community", "1.0.0-1", "Community", AcceptanceLevel.CommunitySupported,
            depends: new[] { new Constraint("vmkapi_2_10_0_0") });
        return (depot, driver, fx.Profile.Name);
    }

    private static (int Code, string Out, string Err) Run(string cwd, params string[] args) => CliRunner.Run(cwd, args);

    [Fact]
    public void Build_exports_a_customized_iso_that_reads_back_with_the_added_driver()
    {
        using var tmp = new TempDir();
        var (depot, driver, profile) = Setup(tmp);
        var r = Run(tmp.Path, "build", "--depot", depot, "--profile", profile, "--add", driver, "--acceptance", "community",
                    "--iso", "out/custom/out.iso", "--timestamp", Stamp.ToUnixTimeSeconds().ToString());
        Assert.True(r.Code == 0, r.Err);
        Assert.Contains("wrote", r.Out);
        var iso = Path.Combine(tmp.Path, "out", "custom", "out.iso");
        var read = DepotReader.Open(iso);
        var p = Assert.Single(read.Profiles);
        Assert.Equal(profile + "-customized", p.Name);
        Assert.Equal(AcceptanceLevel.CommunitySupported, p.AcceptanceLevel);
        Assert.Contains(p.Packages, v => v.Name == "net-community");
        Assert.Contains(p.Packages, v => v.Name == "esx-base");
    }

    [Fact]
    public void Two_builds_of_a_profile_cloned_under_a_new_name_are_byte_identical_with_the_same_timestamp()
    {
        using var tmp = new TempDir();
        var (depot, driver, profile) = Setup(tmp);
        // Each build clones at another time, all after the timestamp, which must hide them.
        var clock = Stamp.AddHours(1);
        foreach (var (name, format) in new[] { ("a", "--iso"), ("b", "--iso"), ("a", "--bundle"), ("b", "--bundle") })
        {
            clock = clock.AddMinutes(1);
            var r = CliRunner.RunAt(clock, tmp.Path, "build", "--depot", depot, "--profile", profile, "--name", "Contoso-custom", "--add", driver,
                        "--acceptance", "community", format, name + format.Substring(2), "--timestamp", Stamp.ToUnixTimeSeconds().ToString());
            Assert.True(r.Code == 0, r.Err);
        }
        Assert.Equal(File.ReadAllBytes(Path.Combine(tmp.Path, "aiso")), File.ReadAllBytes(Path.Combine(tmp.Path, "biso")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(tmp.Path, "abundle")), File.ReadAllBytes(Path.Combine(tmp.Path, "bbundle")));
    }

    [Fact]
    public void Build_without_lowering_acceptance_refuses_a_community_driver()
    {
        using var tmp = new TempDir();
        var (depot, driver, profile) = Setup(tmp);
        var r = Run(tmp.Path, "build", "--depot", depot, "--profile", profile, "--add", driver, "--iso", "out.iso");
        Assert.Equal(ExitCodes.InvalidInput, r.Code);
        Assert.Contains("AcceptanceLevelViolation", r.Err);
        Assert.False(File.Exists(tmp.File("out.iso")));
        Assert.DoesNotContain("   at ", r.Err);
    }

    [Fact]
    public void Build_writes_a_bundle_and_json()
    {
        using var tmp = new TempDir();
        var (depot, driver, profile) = Setup(tmp);
        var r = Run(tmp.Path, "build", "--depot", depot, "--profile", profile, "--add", driver, "--allow-lower-acceptance",
                    "--name", "My-Custom", "--bundle", "custom.zip", "--json");
        Assert.True(r.Code == 0, r.Err);
        using var doc = System.Text.Json.JsonDocument.Parse(r.Out);
        Assert.Equal("Bundle", doc.RootElement.GetProperty("kind").GetString());
        Assert.Equal("My-Custom", doc.RootElement.GetProperty("profile").GetString());
        var read = DepotReader.Open(tmp.File("custom.zip"));
        Assert.Contains(read.Packages, v => v.Name == "net-community");
        Assert.Equal("My-Custom", Assert.Single(read.Profiles).Name);
    }

    [Fact]
    public void Existing_output_needs_force_and_usage_errors_are_code_2()
    {
        using var tmp = new TempDir();
        var (depot, _, profile) = Setup(tmp);
        File.WriteAllText(tmp.File("out.iso"), "keep me");
        var r = Run(tmp.Path, "build", "--depot", depot, "--profile", profile, "--iso", "out.iso");
        Assert.Equal(ExitCodes.OutputFailed, r.Code);
        Assert.Contains("ExportDestinationExists", r.Err);
        Assert.Equal("keep me", File.ReadAllText(tmp.File("out.iso")));
        Assert.Equal(ExitCodes.Success, Run(tmp.Path, "build", "--depot", depot, "--profile", profile, "--iso", "out.iso", "--force").Code);
        Assert.Equal(ExitCodes.Usage, Run(tmp.Path, "build", "--depot", depot, "--profile", profile).Code);
        Assert.Equal(ExitCodes.Usage, Run(tmp.Path, "build", "--depot", depot, "--profile", profile, "--iso", "a.iso", "--bundle", "b.zip").Code);
        Assert.Equal(ExitCodes.NotFound, Run(tmp.Path, "build", "--depot", depot, "--profile", "No-Such-Profile", "--iso", "x.iso").Code);
    }
}

public class InspectIsoTests
{
    [Fact]
    public void Inspect_lists_an_exported_iso_as_a_depot()
    {
        using var tmp = new TempDir();
        var fx = EsxImageFixture.Create(tmp.File("src"));
        var iso = tmp.File("esxi.iso");
        IsoExporter.Export(fx.Profile, new IsoExportOptions { Destination = iso, Timestamp = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero) });
        var o = new StringWriter();
        var e = new StringWriter();
        Assert.True(Program.Run(new[] { "inspect", iso, "--json" }, o, e, default, tmp.Path) == 0, e.ToString());
        using var doc = System.Text.Json.JsonDocument.Parse(o.ToString());
        Assert.Equal("Iso", doc.RootElement.GetProperty("kind").GetString());
        Assert.Equal(fx.Profile.Name, doc.RootElement.GetProperty("profiles")[0].GetProperty("name").GetString());
    }
}
