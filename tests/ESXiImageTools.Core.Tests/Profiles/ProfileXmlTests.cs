using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml.Linq;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;
using Xunit;

namespace ESXiImageTools.Core.Tests.Profiles;

public class ProfileXmlTests
{
    private const string Imgdb =
        "<imageprofile><name>ESXi-7.0U3-custom</name><creator>ACME</creator><modifiedtime>2023-02-03T04:05:06.000000+00:00</modifiedtime>" +
        "<creationtime>2023-01-02T03:04:05.000000+00:00</creationtime><description>d</description><acceptancelevel>partner</acceptancelevel>" +
        "<readonly>false</readonly><profileID>abc</profileID><statelessready>true</statelessready>" +
        "<viblist><vib><vib-id>VMware_bootbank_esx-base_7.0.3-0.0.19193900</vib-id><payloads><payload payload-name=\"s\">s.v00</payload><payload payload-name=\"b\">b.b00</payload></payloads></vib>" +
        "<vib><vib-id>ACME_bootbank_drv_1.0-1</vib-id></vib></viblist><serialno>7</serialno></imageprofile>";

    [Fact]
    public void Reads_the_imgdb_schema_and_keeps_unknown_elements()
    {
        var d = ProfileXml.Read(new MemoryStream(Encoding.UTF8.GetBytes(Imgdb)), "imgdb");
        Assert.Equal("ESXi-7.0U3-custom", d.Name);
        Assert.Equal("ACME", d.Creator);
        Assert.Equal(AcceptanceLevel.PartnerSupported, d.AcceptanceLevel);
        Assert.Equal("abc", d.ProfileId);
        Assert.Equal(new DateTimeOffset(2023, 1, 2, 3, 4, 5, TimeSpan.Zero), d.CreationTime);
        Assert.Equal(2, d.Vibs.Count);
        Assert.Equal(new[] { new ProfilePayloadFile("s", "s.v00"), new ProfilePayloadFile("b", "b.b00") }, d.Vibs[0].Payloads);
        Assert.Equal(2, d.UnknownElements.Count);
        Assert.Contains("<statelessready>true</statelessready>", d.UnknownElements);
    }

    [Fact]
    public void Case_insensitive_names_and_vibID_lists()
    {
        var d = ProfileXml.Read(XElement.Parse("<ImageProfile><Name>p</Name><Creator>V</Creator><AcceptanceLevel>certified</AcceptanceLevel><VibList><vibID>X_bootbank_x_1-1</vibID></VibList></ImageProfile>"), "t");
        Assert.Equal("p", d.Name);
        Assert.Equal(AcceptanceLevel.VMwareCertified, d.AcceptanceLevel);
        Assert.Equal("X_bootbank_x_1-1", Assert.Single(d.Vibs).VibId);
    }

    [Fact]
    public void Round_trips_through_ImageProfile_and_the_writer()
    {
        var d = ProfileXml.Read(new MemoryStream(Encoding.UTF8.GetBytes(Imgdb)), "imgdb");
        var base_ = new Vib { Name = "esx-base", Vendor = "VMware", Version = VibVersion.Parse("7.0.3-0.0.19193900") };
        var profile = d.ToImageProfile(id => id == base_.Id ? base_ : null, "src", readOnly: true);
        Assert.True(profile.ReadOnly);
        Assert.Equal("ACME", profile.Vendor);
        Assert.Equal(new[] { "ACME_bootbank_drv_1.0-1" }, profile.MissingVibIds);
        var drv = new Vib { Name = "drv", Vendor = "ACME", Version = VibVersion.Parse("1.0-1") };
        profile = profile with { Packages = new[] { base_, drv }, MissingVibIds = Array.Empty<string>() };
        var written = ProfileXml.Write(profile, v => v == base_ ? d.Vibs[0].Payloads : null);
        var back = ProfileXml.Read(written.Root, "written");
        Assert.Equal(d.Name, back.Name);
        Assert.Equal(d.Creator, back.Creator);
        Assert.Equal(d.Description, back.Description);
        Assert.Equal(d.AcceptanceLevel, back.AcceptanceLevel);
        Assert.Equal(d.CreationTime, back.CreationTime);
        Assert.Equal(d.ModifiedTime, back.ModifiedTime);
        Assert.Equal(d.ProfileId, back.ProfileId);
        Assert.True(back.ReadOnly);
        Assert.Equal(d.Vibs.Select(v => v.VibId), back.Vibs.Select(v => v.VibId));
        Assert.Equal(d.Vibs[0].Payloads, back.Vibs[0].Payloads);
        Assert.Equal(d.UnknownElements, back.UnknownElements);
        Assert.Equal("2023-01-02T03:04:05.000000+00:00", written.Root.Element("creationtime").Value);
    }

    [Fact]
    public void Profile_without_name_or_with_bad_level_is_ProfileInvalid()
    {
        Assert.Equal(ErrorCodes.ProfileInvalid, Assert.Throws<EsxFormatException>(() => ProfileXml.Read(XElement.Parse("<imageprofile/>"), "t")).Code);
        Assert.Equal(ErrorCodes.ProfileInvalid, Assert.Throws<EsxFormatException>(() => ProfileXml.Read(XElement.Parse("<imageprofile><name>x</name><acceptancelevel>bogus</acceptancelevel></imageprofile>"), "t")).Code);
    }
}
