using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using ESXiImageTools.Core.Components;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.IO;
using ESXiImageTools.Core.Tests.Depots;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.Components;

/// <summary>
/// Base-image release-unit documents (baseimages/ in depot metadata), built in the shape VMware's JSON schema for
/// base-image documents gives, with the values of the real ESXi 7.0.0 base image (the ESXi component of esximg-700:
/// version 7.0.0-1.0.15843807, "7.0.0 Build - 15843807").
/// </summary>
public class BaseImageDocumentTests
{
    /// <summary>
    /// The members VMware's schema requires of a base-image document, verbatim and in its order: the "required" list
    /// of json_schemas/1.0/baseimage.json in the VMware.ImageBuilder PowerShell module 13.3.0.24145081 (PowerShell
    /// Gallery, /packages/VMware.ImageBuilder/13.3.0.24145081/Content/net472\json_schemas\1.0\baseimage.json; the same
    /// in 13.4.0.24798382 and 13.5.0.25380678). Unlike an add-on it has no nameSpec.
    /// </summary>
    internal static readonly string[] SchemaRequiredMembers =
    {
        "releaseType", "schemaVersion", "category", "vendor", "description", "summary", "docURL", "acceptanceLevel",
        "releaseDate", "versionSpec", "components",
    };

    internal static string BaseImageJson(string releaseType = "baseImage")
        => "{\"releaseID\":\"bi-7.0.0-1.0.15843807\",\"releaseType\":\"" + releaseType + "\",\"category\":\"enhancement\"," +
           "\"vendor\":\"VMware, Inc.\",\"summary\":\"ESXi 7.0.0 base image\",\"description\":\"ESXi 7.0.0 base image\"," +
           "\"docURL\":\"\",\"acceptanceLevel\":\"certified\",\"releaseDate\":\"2020-04-02T00:00:00\"," +
           "\"components\":{\"ESXi\":\"7.0.0-1.0.15843807\",\"VMware-ahci\":\"1.3.9-1vmw.700.1.0.15843807\"}," +
           "\"schemaVersion\":\"1.0\",\"versionSpec\":{\"version\":\"7.0.0-1.0.15843807\",\"uiString\":\"7.0.0 Build - 15843807\"}}";

    private static ReleaseUnit Unit(string text, string id = "ESXi_7.0.0-1.0.15843807")
        => new() { Kind = "baseimage", Id = id, EntryName = "baseimages/" + id + ".json", Text = text };

    [Fact]
    public void The_fixture_carries_every_member_VMwares_schema_requires()
    {
        var root = BoundedJson.Load(Encoding.UTF8.GetBytes(BaseImageJson()), 1 << 20, (p, e) => new InvalidOperationException(p, e));
        Assert.Empty(SchemaRequiredMembers.Except(root.Elements().Select(BoundedJson.MemberName)));
    }

    [Fact]
    public void A_base_image_document_reads_into_version_display_version_date_and_components()
    {
        var b = BaseImageDocuments.Read(Unit(BaseImageJson()), "depot.zip");
        Assert.Equal("bi-7.0.0-1.0.15843807", b.Id);
        Assert.Equal("7.0.0-1.0.15843807", b.Version);
        Assert.Equal("7.0.0 Build - 15843807", b.UiVersion);
        Assert.Equal(("VMware, Inc.", "enhancement", "certified", "1.0"), (b.Vendor, b.Category, b.AcceptanceLevel, b.SchemaVersion));
        Assert.Equal(new DateTimeOffset(2020, 4, 2, 0, 0, 0, TimeSpan.Zero), b.ReleaseDate);
        Assert.Equal(new Dictionary<string, string> { ["ESXi"] = "7.0.0-1.0.15843807", ["VMware-ahci"] = "1.3.9-1vmw.700.1.0.15843807" }, b.Components);
        Assert.Equal("baseimages/ESXi_7.0.0-1.0.15843807.json", b.Document.EntryName);
    }

    [Fact]
    public void Without_a_release_id_the_file_name_is_the_id_and_the_version_its_own_display_form()
    {
        var b = BaseImageDocuments.Read(Unit("{\"versionSpec\":{\"version\":\"8.0.3-0.0.24022510\"},\"quickPatchCompatibleVersions\":[\"x\"]}"), "d");
        Assert.Equal(("ESXi_7.0.0-1.0.15843807", "8.0.3-0.0.24022510"), (b.Id, b.UiVersion));
        Assert.Null(b.ReleaseDate);
        Assert.Empty(b.Components);
    }

    [Theory]
    [InlineData("", "the base-image document is empty")]
    [InlineData("{\"releaseType\":\"baseImage\"}", "'versionSpec' is required and must be an object with 'version' (is it a base-image document?)")]
    [InlineData("{\"versionSpec\":{\"version\":\"1\"},\"components\":{\"ESXi\":7}}", "'components.ESXi' must be a version string")]
    [InlineData("{\"versionSpec\":{\"version\":\"1\"},\"vendor\":false}", "'vendor' must be a string")]
    public void A_malformed_document_is_a_typed_error_naming_the_depot_and_entry(string text, string problem)
    {
        var e = Assert.Throws<EsxFormatException>(() => BaseImageDocuments.Read(Unit(text), "/depots/esxi.zip"));
        Assert.Equal(ErrorCodes.BaseImageInvalid, e.Code);
        Assert.Equal(EsxErrorCategory.InvalidData, e.Category);
        Assert.Contains("/depots/esxi.zip [baseimages/ESXi_7.0.0-1.0.15843807.json]", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void An_add_on_document_is_not_taken_for_a_base_image_nor_the_other_way_round()
    {
        var e = Assert.Throws<EsxFormatException>(() => BaseImageDocuments.Read(Unit(AddonDocumentTests.AddonJson()), "d"));
        Assert.Equal(ErrorCodes.BaseImageInvalid, e.Code);
        Assert.Contains("'releaseType' is 'addon', not 'baseImage'", e.Message);
        var a = Assert.Throws<EsxFormatException>(() => AddonDocuments.Read(Unit(BaseImageJson()), "d"));
        Assert.Equal(ErrorCodes.AddonInvalid, a.Code);
        Assert.Contains("'releaseType' is 'baseImage', not 'addon'", a.Message);
    }

    [Fact]
    public void A_base_image_in_a_depots_metadata_zip_reads_from_the_depot()
    {
        using var d = new TempDir();
        var vibs = GeneratedBundleTests.Vibs(d);
        var b = new BundleBuilder();
        foreach (var v in vibs) b.AddVib(v.Xml, v.Bytes);
        b.AddBulletin("ACME-net-foo_1.0-1", new[] { vibs[1].Vib.Id }, "ACME-net-foo", "1.0-1");
        b.AddMetadataEntry("baseimages/ESXi_7.0.0-1.0.15843807.json", BaseImageJson());
        var zip = d.File("esxi.zip");
        b.Write(zip);
        var depot = DepotReader.Open(zip, new DepotOptions { CacheDirectory = System.IO.Path.Combine(d.Path, "cache"), UseProxy = false });

        var bi = BaseImageDocuments.Read(depot.BaseImages.Single(), depot.Source);
        Assert.Equal(("7.0.0-1.0.15843807", "VMware, Inc."), (bi.Version, bi.Vendor));
    }
}
