using System.IO;
using System.Linq;
using System.Text;
using ESXiImageTools.Core.Components;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.Components;

/// <summary>VMware's software spec, read as VMware writes it (vSphere 7 install guide example, Automation API Settings_SoftwareSpec).</summary>
public class SoftwareSpecTests
{
    /// <summary>The example of the VMware ESXi 7.0 Installation and Setup guide (New-IsoImage), verbatim.</summary>
    private const string GuideExample = "{\n\"base_image\": {\n\"version\": \"7.0.2-0.0.17867351\"\n},\n\"add_on\": {\n\"name\": \"testaddonv1\",\n\"version\": \"1.0.0-1\"\n},\n" +
                                        "\"components\": {\n\"Intel-i40en\": \"1.12.3.0-1OEM.700.1.0.15843807\"\n}\n}";

    [Fact]
    public void The_vmware_guide_example_reads_as_is()
    {
        var s = SoftwareSpec.Parse(GuideExample, "guide.json");
        Assert.Equal("7.0.2-0.0.17867351", s.BaseImageVersion);
        Assert.Equal("testaddonv1", s.AddonName);
        Assert.Equal("1.0.0-1", s.AddonVersion);
        Assert.Equal(new[] { new SoftwareSpecComponent("Intel-i40en", "1.12.3.0-1OEM.700.1.0.15843807") }, s.Components);
    }

    [Fact]
    public void Null_versions_removed_components_empty_solutions_and_a_bom_are_accepted()
    {
        var json = "{\"base_image\":{\"version\":\"8.0.0-1.0.20513097\"},\"add_on\":null,\"components\":{\"9x-driver\":null,\"Net\":\"1.0-1\"}," +
                   "\"removed_components\":[\"VMware-vmkusb\"],\"solutions\":{},\"hardware_support\":null}";
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes(json)).ToArray();
        var s = SoftwareSpec.Read(new MemoryStream(bytes), "bom.json");
        Assert.Null(s.AddonName);
        Assert.Equal(new[] { new SoftwareSpecComponent("9x-driver", null), new SoftwareSpecComponent("Net", "1.0-1") }, s.Components);
        Assert.Equal(new[] { "VMware-vmkusb" }, s.RemovedComponents);
    }

    [Fact]
    public void What_it_writes_reads_back_the_same()
    {
        var s = SoftwareSpec.Parse("{\"base_image\":{\"version\":\"8.0.0-1\"},\"components\":{\"A\":\"1\",\"B\":null},\"removed_components\":[\"C\"]}");
        var back = SoftwareSpec.Parse(s.ToJson());
        Assert.Equal(s.BaseImageVersion, back.BaseImageVersion);
        Assert.Equal(s.Components, back.Components);
        Assert.Equal(s.RemovedComponents, back.RemovedComponents);
    }

    [Theory]
    [InlineData("{}", "'base_image' is required")]
    [InlineData("{\"base_image\":{}}", "'base_image.version' is required")]
    [InlineData("{\"base_image\":{\"version\":\"\"}}", "'base_image.version' is required")]
    [InlineData("{\"base_image\":{\"version\":\"1\"},\"addon\":{}}", "unknown member 'addon'")]
    [InlineData("{\"base_image\":{\"version\":\"1\",\"build\":\"2\"}}", "unknown member 'base_image.build'")]
    [InlineData("{\"base_image\":{\"version\":\"1\"},\"add_on\":{\"name\":\"x\"}}", "'add_on.version' is required")]
    [InlineData("{\"base_image\":{\"version\":\"1\"},\"components\":[\"a\"]}", "'components' must be an object")]
    [InlineData("{\"base_image\":{\"version\":\"1\"},\"components\":{\"a\":1}}", "'components.a' must be a version string")]
    [InlineData("{\"base_image\":{\"version\":\"1\"},\"components\":{\"a\":\"1\"},\"removed_components\":[\"a\"]}", "both in 'components' and in 'removed_components'")]
    [InlineData("{\"base_image\":{\"version\":\"1\"},\"solutions\":{\"s\":{\"version\":\"1\"}}}", "'solutions' is not supported")]
    [InlineData("{\"base_image\":{\"version\":\"1\"}", "truncated")]
    [InlineData("[1]", "top level must be a JSON object")]
    [InlineData("", "empty")]
    public void Malformed_specs_are_typed_errors_naming_the_file(string json, string problem)
    {
        var e = Assert.Throws<EsxFormatException>(() => SoftwareSpec.Parse(json, "bad-spec.json"));
        Assert.Equal(ErrorCodes.SoftwareSpecInvalid, e.Code);
        Assert.Contains("bad-spec.json", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void A_software_spec_is_told_apart_from_a_profile_spec()
    {
        using var tmp = new TempDir();
        File.WriteAllText(tmp.File("vmware.json"), GuideExample);
        File.WriteAllText(tmp.File("profile.json"), "{\"schemaVersion\":1,\"baseProfile\":\"x\"}");
        File.WriteAllText(tmp.File("broken.json"), "{\"base_image\":");
        Assert.True(SoftwareSpec.IsSoftwareSpec(tmp.File("vmware.json")));
        Assert.False(SoftwareSpec.IsSoftwareSpec(tmp.File("profile.json")));
        // A malformed file naming base_image is meant as a VMware spec: its reader says what is wrong with it.
        Assert.True(SoftwareSpec.IsSoftwareSpec(tmp.File("broken.json")));
        Assert.Contains("truncated", Assert.Throws<EsxFormatException>(() => SoftwareSpec.Load(tmp.File("broken.json"))).Message);
        Assert.False(SoftwareSpec.IsSoftwareSpec(tmp.File("absent.json")));
    }

    [Fact]
    public void An_oversized_spec_is_refused()
    {
        var big = "{\"base_image\":{\"version\":\"1\"},\"components\":{\"a\":\"" + new string('x', SoftwareSpec.MaxFileBytes) + "\"}}";
        var e = Assert.Throws<EsxFormatException>(() => SoftwareSpec.Parse(big, "big.json"));
        Assert.Contains("larger than", e.Message);
    }

    [Fact]
    public void A_VMware_spec_with_a_BOM_and_thousands_of_components_is_read()
    {
        using var tmp = new TempDir();
        var components = string.Join(",", Enumerable.Range(0, 2500).Select(i => $"\"Vendor-driver-component-{i:D5}\":\"1.{i}.0-1OEM.800.1.0.20613240\""));
        var path = tmp.File("big.json");
        File.WriteAllBytes(path, new byte[] { 0xEF, 0xBB, 0xBF }.Concat(System.Text.Encoding.UTF8.GetBytes(
            "{\"base_image\":{\"version\":\"8.0.1-0.0.21495797\"},\"components\":{" + components + "}}")).ToArray());
        Assert.True(SoftwareSpec.IsSoftwareSpec(path));
        var spec = SoftwareSpec.Load(path);
        Assert.Equal(2500, spec.Components.Count);
        Assert.Equal("Vendor-driver-component-02499", spec.Components[2499].Name);
    }

    [Fact]
    public void A_VMware_spec_nested_too_deep_is_reported_as_such_not_as_an_unknown_member()
    {
        using var tmp = new TempDir();
        var path = tmp.File("deep.json");
        File.WriteAllText(path, "{\"base_image\":{\"version\":\"1\"},\"solutions\":" + new string('[', 20) + new string(']', 20) + "}");
        Assert.True(SoftwareSpec.IsSoftwareSpec(path));
        var e = Assert.Throws<EsxFormatException>(() => SoftwareSpec.Load(path));
        Assert.Equal(ErrorCodes.SoftwareSpecInvalid, e.Code);
        Assert.Contains("nested deeper than 16", e.Message);
        Assert.DoesNotContain("unknown member", e.Message);
    }

    [Theory]
    [InlineData("{\"base_image\":{\"version\":\"1\"}}{}", "content after the end")]
    [InlineData("{\"base_image\":{\"version\":\"1\"},\"base_image\":{\"version\":\"2\"}}", "appears twice")]
    [InlineData("{\"base_image\":{\"version\":\"1\"},\"components\":{\"a\":\"1\",\"a\":\"2\"}}", "appears twice")]
    public void Trailing_content_and_duplicate_keys_are_refused(string json, string problem)
    {
        var e = Assert.Throws<EsxFormatException>(() => SoftwareSpec.Parse(json, "s.json"));
        Assert.Contains(problem, e.Message);
    }
}
