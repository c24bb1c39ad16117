using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;
using ESXiImageTools.TestSupport;
using Xunit;
using static ESXiImageTools.Core.Tests.Profiles.TestVibs;

namespace ESXiImageTools.Core.Tests.Profiles;

public class ProfileSpecTests
{
    private static readonly Vib Esx = Base();
    private static readonly Vib Drv = Make("drv", "2.0-1");
    private static readonly Vib Usb = Make("usb");
    private static readonly ImageProfile Standard = DepotProfile("ESXi-7.0U3-standard", AcceptanceLevel.PartnerSupported, Esx, Usb);

    [Fact]
    public void SaveAndLoadRoundTripEveryField()
    {
        using var dir = new TempDir();
        var spec = new ProfileSpec
        {
            BaseProfile = "ESXi-7.0U3-standard",
            Name = "custom",
            Vendor = "Lab",
            Description = "nightly \"build\" ü",
            AcceptanceLevel = "community",
            AllowLowerAcceptance = true,
            Force = true,
            Add = new List<string> { "drv", "drv 2.0-1", "bundles/x.zip" },
            Remove = new List<string> { "usb" },
        };
        var path = dir.File("spec.json");
        spec.Save(path);
        var text = File.ReadAllText(path);
        Assert.Contains("\"baseProfile\"", text);
        Assert.Contains("\n", text); // indented: reviewable

        var back = ProfileSpec.Load(path);
        Assert.Equal(spec.BaseProfile, back.BaseProfile);
        Assert.Equal(spec.Name, back.Name);
        Assert.Equal(spec.Vendor, back.Vendor);
        Assert.Equal(spec.Description, back.Description);
        Assert.Equal(AcceptanceLevel.CommunitySupported, back.ParsedAcceptanceLevel);
        Assert.True(back.AllowLowerAcceptance);
        Assert.True(back.Force);
        Assert.Equal(spec.Add, back.Add);
        Assert.Equal(spec.Remove, back.Remove);
        Assert.Equal(dir.Path, back.BaseDirectory);
    }

    [Fact]
    public void MinimalSpecLoads()
    {
        var spec = ProfileSpec.Parse("{\"baseProfile\":\"x\"}");
        Assert.Equal("x", spec.BaseProfile);
        Assert.Empty(spec.Add);
        Assert.Empty(spec.Remove);
        Assert.Null(spec.ParsedAcceptanceLevel);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("{\"baseProfile\": \"x\"", "not valid JSON")]
    [InlineData("[1,2]", "JSON object")]
    [InlineData("{\"baseProfile\":\"x\",\"remvoe\":[\"a\"]}", "unknown member 'remvoe'")]
    [InlineData("{\"baseProfile\":\"x\",\"add\":\"drv\"}", "'add' must be a JSON array, not a string")]
    [InlineData("{\"baseProfile\":\"x\",\"add\":{\"a\":1}}", "'add' must be a JSON array, not an object")]
    [InlineData("{\"baseProfile\":\"x\",\"add\":[1]}", "'add' must hold strings only")]
    [InlineData("{\"baseProfile\":\"x\",\"force\":\"yes\"}", "'force' must be a JSON boolean")]
    [InlineData("{\"baseProfile\":\"x\",\"name\":[]}", "'name' must be a JSON string")]
    [InlineData("{\"baseProfile\":\"x\"}{}", "content after the end of the top-level value")]
    [InlineData("{\"baseProfile\":\"x\"} 1", "content after the end of the top-level value")]
    [InlineData("{\"baseProfile\":\"x\",\"baseProfile\":\"y\"}", "member 'baseProfile' appears twice")]
    [InlineData("{\"baseProfile\":\"x\",\"add\":[\"a\",]}", "not valid JSON")]
    [InlineData("{\"baseProfile\":\"x\",\"acceptanceLevel\":\"trusted\"}", "'acceptanceLevel' is 'trusted'")]
    [InlineData("{\"name\":\"x\"}", "'vendor' is required")]
    [InlineData("{\"vendor\":\"x\"}", "'name' is required")]
    [InlineData("{\"schemaVersion\":2,\"baseProfile\":\"x\"}", "schemaVersion 2")]
    [InlineData("{\"baseProfile\":\"x\",\"add\":[\"\"]}", "'add' entry 1 is empty")]
    public void MalformedSpecIsRejectedNamingTheFileAndProblem(string json, string expected)
    {
        using var dir = new TempDir();
        var path = dir.File("bad.json");
        File.WriteAllText(path, json);
        var e = Assert.Throws<EsxFormatException>(() => ProfileSpec.Load(path));
        Assert.Equal(ErrorCodes.ProfileSpecInvalid, e.Code);
        Assert.Equal(path, e.File);
        Assert.StartsWith(path, e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void OversizedSpecIsRejected()
    {
        var json = "{\"baseProfile\":\"x\",\"description\":\"" + new string('a', ProfileSpec.MaxFileBytes) + "\"}";
        var e = Assert.Throws<EsxFormatException>(() => ProfileSpec.Parse(json, "big.json"));
        Assert.Contains("larger than", e.Message);
    }

    [Fact]
    public void ApplyClonesAddsFilesRelativeToTheSpecAndRemoves()
    {
        using var dir = new TempDir();
        var fileVib = Make("from-file", level: AcceptanceLevel.CommunitySupported);
        var seen = new List<string>();
        var spec = new ProfileSpec
        {
            BaseProfile = "ESXi-7.0U3-standard",
            Name = "custom",
            AllowLowerAcceptance = true,
            Add = new List<string> { "drv", "pkgs/from-file.vib" },
            Remove = new List<string> { "usb" },
        };
        spec.Save(dir.File("spec.json"));
        var loaded = ProfileSpec.Load(dir.File("spec.json"));

        var result = ProfileSpecApplier.Apply(loaded, new[] { Standard }, new[] { Esx, Drv, Usb },
            path => { seen.Add(path); return new[] { fileVib }; });

        Assert.Equal(Path.Combine(dir.Path, "pkgs/from-file.vib"), Assert.Single(seen));
        Assert.Equal("custom", result.Profile.Name);
        Assert.False(result.Profile.ReadOnly);
        Assert.Equal(new[] { "drv", "esx-base", "from-file" }, result.Profile.Packages.Select(v => v.Name).OrderBy(n => n));
        Assert.Equal(AcceptanceLevel.CommunitySupported, result.Profile.AcceptanceLevel);
        Assert.Empty(result.Problems);
        Assert.Equal(2, result.Added.Count);
        Assert.Same(Usb, Assert.Single(result.Removed).Package);
    }

    [Fact]
    public void ApplyRefusesAnInvalidResultUnlessForced()
    {
        var needy = Make("needy", depends: new[] { "nowhere" });
        var spec = new ProfileSpec { BaseProfile = "esxi-7.0u3-STANDARD", Add = new List<string> { "needy" } }; // names match ignoring case
        var e = Assert.Throws<EsxProfileValidationException>(() => ProfileSpecApplier.Apply(spec, new[] { Standard }, new[] { needy }, null));
        Assert.Equal(ErrorCodes.ProfileInvalid, e.Code);

        spec.Force = true;
        var result = ProfileSpecApplier.Apply(spec, new[] { Standard }, new[] { needy }, null);
        Assert.False(result.IsValid);
        Assert.Contains("nowhere", Assert.Single(result.Warnings).Message);
    }

    [Fact]
    public void ApplyReportsUnknownProfilesAndUnresolvableItems()
    {
        var e = Assert.Throws<EsxException>(() => ProfileSpecApplier.Apply(new ProfileSpec { BaseProfile = "nope" }, new[] { Standard }, new Vib[0], null));
        Assert.Equal(ErrorCodes.ProfileNotFound, e.Code);
        Assert.Contains("ESXi-7.0U3-standard", e.Message);

        var result = ProfileSpecApplier.Apply(new ProfileSpec { BaseProfile = Standard.Name, Add = new List<string> { "ghost", "drv" } },
                                              new[] { Standard }, new[] { Drv }, null);
        Assert.Equal("ghost", Assert.Single(result.Errors).Item);
        Assert.Same(Drv, Assert.Single(result.Added));

        Assert.Throws<EsxException>(() => ProfileSpecApplier.Apply(new ProfileSpec { BaseProfile = Standard.Name, Add = new List<string> { "x.vib" } },
                                                                   new[] { Standard }, new Vib[0], null));
    }

    [Fact]
    public void SpecFromTwoProfilesRebuildsTheSecond()
    {
        var editor = new ProfileEditor();
        var custom = editor.Clone(Standard, "custom", "Lab");
        custom = editor.AddPackages(custom, new PackageRef[] { Drv }, PackageIndex.Empty).Profile;
        custom = editor.RemovePackages(custom, new PackageRef[] { "usb" }).Profile;

        var spec = ProfileSpec.FromProfiles(Standard, custom);
        Assert.Equal(new[] { Drv.Id }, spec.Add);
        Assert.Equal(new[] { "usb" }, spec.Remove);

        var rebuilt = ProfileSpecApplier.Apply(ProfileSpec.Parse(spec.ToJson()), new[] { Standard }, new[] { Esx, Drv, Usb }, null).Profile;
        Assert.True(ProfileComparison.Compare(custom, rebuilt).Equal);
    }

    [Fact]
    public void SpecFromScratchNeedsNoBase()
    {
        var spec = new ProfileSpec { Name = "tiny", Vendor = "Lab", Add = new List<string> { "esx-base" } };
        var result = ProfileSpecApplier.Apply(spec, new ImageProfile[0], new[] { Esx }, null);
        Assert.Equal(new[] { Esx }, result.Profile.Packages);
        Assert.Equal("Lab", result.Profile.Vendor);
    }

    [Theory]
    [InlineData("net55-r8168", false)]
    [InlineData("VMW_bootbank_vmkusb-nic-fling_2.1-6vmw.650.2.50.39176435", false)]
    [InlineData("drv 1.0-1", false)]
    [InlineData("fw-vnc.vib", true)]
    [InlineData("bundle.ZIP", true)]
    [InlineData("./drivers/x", true)]
    public void FileItemsAreRecognized(string item, bool isFile) => Assert.Equal(isFile, ProfileBuilder.IsFileItem(item));

    [Fact]
    public void A_byte_order_mark_is_accepted()
    {
        using var dir = new TempDir();
        var path = dir.File("bom.json");
        File.WriteAllBytes(path, new byte[] { 0xEF, 0xBB, 0xBF }.Concat(System.Text.Encoding.UTF8.GetBytes("{\"baseProfile\":\"x\",\"add\":[\"a\"]}")).ToArray());
        var spec = ProfileSpec.Load(path);
        Assert.Equal("x", spec.BaseProfile);
        Assert.Equal(new[] { "a" }, spec.Add);
    }

    [Fact]
    public void Nesting_deeper_than_16_is_reported_as_such()
    {
        var json = "{\"baseProfile\":\"x\",\"add\":" + new string('[', 20) + new string(']', 20) + "}";
        var e = Assert.Throws<EsxFormatException>(() => ProfileSpec.Parse(json, "deep.json"));
        Assert.Contains("nested deeper than 16", e.Message);
    }
}
