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
        Assert.False(SoftwareSpec.IsSoftwareSpec(tmp.File("broken.json")));
        Assert.False(SoftwareSpec.IsSoftwareSpec(tmp.File("absent.json")));
    }

    [Fact]
    public void An_oversized_spec_is_refused()
    {
        var big = "{\"base_image\":{\"version\":\"1\"},\"components\":{\"a\":\"" + new string('x', SoftwareSpec.MaxFileBytes) + "\"}}";
        var e = Assert.Throws<EsxFormatException>(() => SoftwareSpec.Parse(big, "big.json"));
        Assert.Contains("larger than", e.Message);
    }
}
