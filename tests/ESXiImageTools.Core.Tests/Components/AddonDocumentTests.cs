using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ESXiImageTools.Core.Components;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.IO;
using ESXiImageTools.Core.Tests.Depots;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.Components;

/// <summary>
/// Add-on release-unit documents (addons/ in depot metadata), built here in the shape VMware's own JSON schema for
/// add-on documents gives (the member names below), and every way a document can be wrong.
/// </summary>
public class AddonDocumentTests
{
    /// <summary>
    /// The members VMware's schema requires of an add-on document, verbatim and in its order: the "required" list of
    /// json_schemas/1.0/addon.json in the VMware.ImageBuilder PowerShell module 13.3.0.24145081 (PowerShell Gallery,
    /// /packages/VMware.ImageBuilder/13.3.0.24145081/Content/netcoreapp3.1\json_schemas\1.0\addon.json; the same in
    /// net472\). <c>releaseID</c> is a property there but not required.
    /// </summary>
    internal static readonly string[] SchemaRequiredMembers =
    {
        "releaseType", "schemaVersion", "category", "vendor", "description", "summary", "docURL", "acceptanceLevel",
        "releaseDate", "nameSpec", "versionSpec", "removedComponents", "components", "supportedBaseImageVersions",
    };

    /// <summary>A Dell-style add-on document as esximage serializes one (members in its order, as compact JSON).</summary>
    internal static string AddonJson(string name = "DEL-ESXi", string version = "803.A00", string vendor = "Dell Inc.",
                                     string releaseDate = "2024-07-11T00:00:00", string releaseId = null)
        => "{\"releaseID\":\"" + (releaseId ?? $"{name}:{version}") + "\",\"releaseType\":\"addon\",\"category\":\"enhancement\"," +
           "\"vendor\":\"" + vendor + "\",\"summary\":\"Dell Add-on for ESXi 8.0 U3\",\"description\":\"Dell customization\"," +
           "\"docURL\":\"\",\"acceptanceLevel\":\"partner\",\"releaseDate\":\"" + releaseDate + "\"," +
           "\"components\":{\"dellptagent\":\"5.0.0-1\",\"Broadcom-bnxt-Net-RoCE\":\"228.0.133.0-1OEM.800.1.0.20613240\"}," +
           "\"schemaVersion\":\"1.0\"," +
           "\"nameSpec\":{\"name\":\"" + name + "\",\"uiString\":\"Dell ESXi add-on\"}," +
           "\"versionSpec\":{\"version\":\"" + version + "\",\"uiString\":\"803.A00 (Dell)\"}," +
           "\"supportedBaseImageVersions\":[\"8.0.3\"],\"removedComponents\":[\"VMware-vmkusb-nic-fling\"]}";

    [Fact]
    public void The_fixture_carries_every_member_VMwares_schema_requires_and_each_is_read()
    {
        var root = BoundedJson.Load(System.Text.Encoding.UTF8.GetBytes(AddonJson()), 1 << 20, (p, e) => new InvalidDataException(p, e));
        var names = root.Elements().Select(BoundedJson.MemberName).ToList();
        Assert.Empty(SchemaRequiredMembers.Except(names));
        var a = AddonDocuments.Read(Unit(AddonJson()), "d");
        Assert.Equal(("addon-schema 1.0", "enhancement", "partner", ""), ("addon-schema " + a.SchemaVersion, a.Category, a.AcceptanceLevel, a.DocUrl));
    }

    private static ReleaseUnit Unit(string text, string id = "DEL-ESXi_803.A00")
        => new ReleaseUnit { Kind = "addon", Id = id, EntryName = "addons/" + id + ".json", Text = text };

    [Fact]
    public void An_addon_document_reads_into_name_version_id_vendor_date_and_components()
    {
        var a = AddonDocuments.Read(Unit(AddonJson()), "depot.zip");
        Assert.Equal("DEL-ESXi:803.A00", a.Id);
        Assert.Equal("DEL-ESXi", a.Name);
        Assert.Equal("Dell ESXi add-on", a.UiName);
        Assert.Equal("803.A00", a.Version);
        Assert.Equal("803.A00 (Dell)", a.UiVersion);
        Assert.Equal("Dell Inc.", a.Vendor);
        Assert.Equal("Dell Add-on for ESXi 8.0 U3", a.Summary);
        Assert.Equal(new DateTimeOffset(2024, 7, 11, 0, 0, 0, TimeSpan.Zero), a.ReleaseDate);
        Assert.Equal(new Dictionary<string, string> { ["dellptagent"] = "5.0.0-1", ["Broadcom-bnxt-Net-RoCE"] = "228.0.133.0-1OEM.800.1.0.20613240" }, a.Components);
        Assert.Equal(new[] { "VMware-vmkusb-nic-fling" }, a.RemovedComponents);
        Assert.Equal(new[] { "8.0.3" }, a.SupportedBaseImageVersions);
        Assert.Equal("addons/DEL-ESXi_803.A00.json", a.Document.EntryName);
    }

    [Fact]
    public void Optional_members_may_be_missing_and_display_forms_fall_back()
    {
        var a = AddonDocuments.Read(Unit("{\"nameSpec\":{\"name\":\"HPE-Custom-AddOn\"},\"versionSpec\":{\"version\":\"800.0.0.11.5.0-6\"},\"releaseDate\":\"2023-10-02T08:30:00+02:00\",\"futureMember\":[1,2]}"), "d");
        Assert.Equal("DEL-ESXi_803.A00", a.Id); // no releaseID: the document's file name
        Assert.Equal("HPE-Custom-AddOn", a.UiName);
        Assert.Equal("800.0.0.11.5.0-6", a.UiVersion);
        Assert.Equal("", a.Vendor);
        Assert.Equal(new DateTimeOffset(2023, 10, 2, 6, 30, 0, TimeSpan.Zero), a.ReleaseDate.Value.ToUniversalTime());
        Assert.Empty(a.Components);
        Assert.Empty(a.RemovedComponents);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("{\"nameSpec\":{\"name\":\"X\"},\"versionSpec\":", "truncated")]
    [InlineData("[1,2]", "top level must be a JSON object")]
    [InlineData("{\"releaseID\":\"bi-7.0.3\"}", "'nameSpec' is required")]
    [InlineData("{\"nameSpec\":{\"name\":\"X\"},\"versionSpec\":{\"version\":\"\"}}", "'versionSpec.version' is required")]
    [InlineData("{\"nameSpec\":{\"name\":7},\"versionSpec\":{\"version\":\"1\"}}", "'nameSpec.name' must be a string")]
    [InlineData("{\"nameSpec\":{\"name\":\"X\"},\"versionSpec\":{\"version\":\"1\"},\"releaseDate\":\"next tuesday\"}", "'releaseDate' is not a date")]
    [InlineData("{\"nameSpec\":{\"name\":\"X\"},\"versionSpec\":{\"version\":\"1\"},\"components\":[\"a\"]}", "'components' must be an object")]
    [InlineData("{\"nameSpec\":{\"name\":\"X\"},\"versionSpec\":{\"version\":\"1\"},\"components\":{\"a\":1}}", "'components.a' must be a version string")]
    [InlineData("{\"nameSpec\":{\"name\":\"X\"},\"versionSpec\":{\"version\":\"1\"},\"removedComponents\":[{}]}", "'removedComponents' must be an array of component names")]
    [InlineData("{\"nameSpec\":{\"name\":\"X\"},\"versionSpec\":{\"version\":\"1\"},\"removedComponents\":[7]}", "'removedComponents' must be an array of component names")]
    [InlineData("{\"nameSpec\":{\"name\":\"X\"},\"versionSpec\":{\"version\":\"1\"},\"removedComponents\":\"a\"}", "'removedComponents' must be an array")]
    [InlineData("{\"nameSpec\":{\"name\":\"X\"},\"versionSpec\":{\"version\":\"1\"},\"category\":3}", "'category' must be a string")]
    [InlineData("{\"nameSpec\":{\"name\":\"X\"},\"versionSpec\":{\"version\":\"1\"},\"schemaVersion\":[1]}", "'schemaVersion' must be a string or a number")]
    [InlineData("{\"nameSpec\":{\"name\":\"X\"},\"nameSpec\":{\"name\":\"Y\"}}", "appears twice")]
    public void A_malformed_document_is_a_typed_error_naming_the_depot_and_entry(string text, string problem)
    {
        var e = Assert.Throws<EsxFormatException>(() => AddonDocuments.Read(Unit(text), "/depots/dell.zip"));
        Assert.Equal(ErrorCodes.AddonInvalid, e.Code);
        Assert.Equal(EsxErrorCategory.InvalidData, e.Category);
        Assert.Contains("/depots/dell.zip [addons/DEL-ESXi_803.A00.json]", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Theory]
    [InlineData("baseImage")]
    [InlineData("manifest")]
    [InlineData("solution")]
    public void Another_kind_of_release_unit_is_not_taken_for_an_add_on(string releaseType)
    {
        var text = AddonJson().Replace("\"releaseType\":\"addon\"", "\"releaseType\":\"" + releaseType + "\"");
        var e = Assert.Throws<EsxFormatException>(() => AddonDocuments.Read(Unit(text), "d"));
        Assert.Equal(ErrorCodes.AddonInvalid, e.Code);
        Assert.Contains($"'releaseType' is '{releaseType}', not 'addon'", e.Message);
    }

    [Fact]
    public void Removed_components_may_be_names_or_name_specs()
    {
        var text = AddonJson().Replace("\"removedComponents\":[\"VMware-vmkusb-nic-fling\"]",
            "\"removedComponents\":[\"VMware-vmkusb-nic-fling\",{\"name\":\"Intel-ne1000\",\"uiString\":\"Network driver for Intel(R) 8254x\"}]");
        Assert.Equal(new[] { "VMware-vmkusb-nic-fling", "Intel-ne1000" }, AddonDocuments.Read(Unit(text), "d").RemovedComponents);
    }

    [Theory]
    [InlineData("\"schemaVersion\":1.0", "1.0")]
    [InlineData("\"schemaVersion\":\"1.1\"", "1.1")]
    public void The_schema_version_may_be_text_or_a_number(string member, string expected)
    {
        var text = AddonJson().Replace("\"schemaVersion\":\"1.0\"", member);
        Assert.Equal(expected, AddonDocuments.Read(Unit(text), "d").SchemaVersion);
    }

    [Fact]
    public void Nesting_beyond_the_readers_bound_is_refused_not_overflowed()
    {
        var deep = "{\"nameSpec\":" + new string('[', 5000) + new string(']', 5000) + "}";
        var e = Assert.Throws<EsxFormatException>(() => AddonDocuments.Read(Unit(deep), "d"));
        Assert.Contains("nested deeper", e.Message);
    }

    [Fact]
    public void An_addon_in_a_depots_metadata_zip_reads_from_the_depot()
    {
        using var d = new TempDir();
        var vibs = GeneratedBundleTests.Vibs(d);
        var b = new BundleBuilder();
        foreach (var v in vibs) b.AddVib(v.Xml, v.Bytes);
        b.AddBulletin("ACME-net-foo_1.0-1", new[] { vibs[1].Vib.Id }, "ACME-net-foo", "1.0-1");
        b.AddMetadataEntry("addons/DEL-ESXi_803.A00.json", AddonJson());
        b.AddMetadataEntry("addons/broken.json", "{\"nameSpec\":");
        var zip = d.File("dell.zip");
        b.Write(zip);
        var depot = DepotReader.Open(zip, new DepotOptions { CacheDirectory = Path.Combine(d.Path, "cache"), UseProxy = false });

        Assert.Equal(new[] { "DEL-ESXi_803.A00", "broken" }, depot.Addons.Select(u => u.Id));
        var addon = AddonDocuments.Read(depot.Addons[0], depot.Source);
        Assert.Equal(("DEL-ESXi", "803.A00", "Dell Inc."), (addon.Name, addon.Version, addon.Vendor));
        var e = Assert.Throws<EsxFormatException>(() => AddonDocuments.Read(depot.Addons[1], depot.Source));
        Assert.Equal(ErrorCodes.AddonInvalid, e.Code);
        Assert.Contains(zip, e.Message);
    }
}
