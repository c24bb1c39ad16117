using System;
using System.Linq;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.Packages;

public class VibDescriptorReaderTests
{
    internal const string Full = @"<vib version=""5.0"">
  <type>bootbank</type>
  <name>demo</name>
  <version>1.2.3-4vmw.700.1.0</version>
  <vendor>Acme</vendor>
  <summary>one line</summary>
  <description>multi
line</description>
  <release-date>2022-05-29T15:03:02.123456+02:00</release-date>
  <urls><url key=""kb"">https://example.com/kb</url><url key=""website"">https://example.com</url></urls>
  <relationships>
    <depends><constraint name=""esx-version"" relation=""&gt;="" version=""6.0.0""/><constraint name=""vmkapi_2_2_0_0""/></depends>
    <conflicts><constraint name=""old"" relation=""&lt;&lt;"" version=""2.0-1""/></conflicts>
    <replaces><constraint name=""renamed"" relation=""&lt;="" version=""1.0-1""/><constraint name=""x"" relation=""="" version=""1-1""/><constraint name=""y"" relation=""&gt;&gt;"" version=""0.1""/></replaces>
    <provides><provide name=""vmkapi_x""/><provide name=""foo"" version=""1.0-1""/></provides>
    <compatibleWith><constraint name=""vc""/></compatibleWith>
  </relationships>
  <software-tags><tag>driver</tag><tag>module</tag></software-tags>
  <system-requires>
    <maintenance-mode install=""false"" remove=""true"">true</maintenance-mode>
    <hwplatform vendor=""HPE"" model=""DL380""/>
    <softwarePlatform version=""7.0.*"" locale="""" productLineID=""embeddedEsx""/>
  </system-requires>
  <file-list><file>etc/a.conf</file><file>usr/lib/b</file></file-list>
  <acceptance-level>partner</acceptance-level>
  <live-install-allowed>true</live-install-allowed>
  <live-remove-allowed>false</live-remove-allowed>
  <cimom-restart>true</cimom-restart>
  <stateless-ready>true</stateless-ready>
  <overlay>true</overlay>
  <future-element attr=""1""><child>kept</child></future-element>
  <payloads>
    <payload name=""demo"" type=""vgz"" size=""1234"" bootorder=""3"" vfatname=""demo.v00"" installsize=""5678"">
      <checksum checksum-type=""sha-256"">AABB</checksum>
      <checksum checksum-type=""sha-256"" verify-process=""gunzip"">ccdd</checksum>
      <checksum checksum-type=""sha-1"" verify-process=""gunzip"">eeff</checksum>
    </payload>
    <payload name=""b"" type=""boot"" size=""0""/>
  </payloads>
</vib>";

    [Fact]
    public void ReadsEveryField()
    {
        var v = VibDescriptorReader.ParseString(Full, "demo.vib", "descriptor.xml");
        Assert.Equal("5.0", v.SchemaVersion);
        Assert.Equal("bootbank", v.Type);
        Assert.Equal("demo", v.Name);
        Assert.Equal("1.2.3-4vmw.700.1.0", v.Version.Text);
        Assert.Equal("Acme", v.Vendor);
        Assert.Equal("Acme_bootbank_demo_1.2.3-4vmw.700.1.0", v.Id);
        Assert.Equal("one line", v.Summary);
        Assert.Equal("multi\nline", v.Description);
        Assert.Equal(new DateTimeOffset(2022, 5, 29, 13, 3, 2, TimeSpan.Zero).AddTicks(1234560), v.ReleaseDate);
        Assert.Equal(new[] { "kb: https://example.com/kb", "website: https://example.com" }, v.Urls.Select(u => u.ToString()));
        Assert.Equal(new[] { "esx-version >= 6.0.0", "vmkapi_2_2_0_0" }, v.Depends.Select(c => c.ToString()));
        Assert.Equal(VersionRelation.Any, v.Depends[1].Relation);
        Assert.Equal(new[] { "old << 2.0-1" }, v.Conflicts.Select(c => c.ToString()));
        Assert.Equal(new[] { "renamed <= 1.0-1", "x = 1-1", "y >> 0.1" }, v.Replaces.Select(c => c.ToString()));
        Assert.Equal(new[] { "vmkapi_x", "foo = 1.0-1" }, v.Provides.Select(c => c.ToString()));
        Assert.Null(v.Provides[0].Version);
        Assert.Equal(new[] { "vc" }, v.CompatibleWith.Select(c => c.ToString()));
        Assert.Equal(new[] { "driver", "module" }, v.Tags);
        Assert.False(v.MaintenanceMode.Install);
        Assert.True(v.MaintenanceMode.Remove);
        Assert.Equal("HPE DL380", v.HardwarePlatforms.Single().ToString());
        var sw = v.SoftwarePlatforms.Single();
        Assert.Equal(("7.0.*", "", "embeddedEsx"), (sw.Version, sw.Locale, sw.ProductLineId));
        Assert.Equal(new[] { "etc/a.conf", "usr/lib/b" }, v.FileList);
        Assert.Equal(AcceptanceLevel.PartnerSupported, v.AcceptanceLevel);
        Assert.True(v.LiveInstallAllowed);
        Assert.False(v.LiveRemoveAllowed);
        Assert.True(v.CimomRestart);
        Assert.True(v.StatelessReady);
        Assert.True(v.Overlay);
        Assert.Equal(new[] { "<future-element attr=\"1\"><child>kept</child></future-element>" }, v.UnknownElements);
        Assert.Equal(2, v.Payloads.Count);
        var p = v.Payloads[0];
        Assert.Equal(("demo", "vgz", 1234L, 3, "demo.v00", 5678L), (p.Name, p.Type, p.Size, p.BootOrder.Value, p.VfatName, p.InstallSize.Value));
        Assert.Equal("aabb", p.Sha256);
        Assert.Equal(new[] { "sha-256:aabb", "sha-256(gunzip):ccdd", "sha-1(gunzip):eeff" }, p.Checksums.Select(c => c.ToString()));
        Assert.Null(v.Payloads[1].BootOrder);
        Assert.Null(v.RelativePath);
        Assert.Null(v.PackedSize);
        Assert.Null(v.VibSha256);
        Assert.Equal("demo.vib", v.Source);
    }

    [Fact]
    public void ToleratesCorpusQuirks()
    {
        var xml = Full
            .Replace("<compatibleWith><constraint name=\"vc\"/></compatibleWith>", "<compatbileWith><constraint name=\"vc\"/></compatbileWith>")
            .Replace("<cimom-restart>true</cimom-restart>", "<cimon-restart>true</cimon-restart>")
            .Replace("2022-05-29T15:03:02.123456+02:00", "2025-02-15 07:55:20.301217")
            .Replace("<acceptance-level>partner</acceptance-level>", "<acceptance-level>vmware</acceptance-level>");
        var v = VibDescriptorReader.ParseString(xml, "q.vib");
        Assert.Equal("vc", v.CompatibleWith.Single().Name);
        Assert.True(v.CimomRestart);
        Assert.Equal(new DateTimeOffset(2025, 2, 15, 7, 55, 20, TimeSpan.Zero).AddTicks(3012170), v.ReleaseDate);
        Assert.Equal(AcceptanceLevel.VMwareAccepted, v.AcceptanceLevel);
        Assert.DoesNotContain(v.UnknownElements, u => u.Contains("compatbile") || u.Contains("cimon"));
    }

    [Theory]
    [InlineData("2020-08-19T14:51:53.073571", 2020, 8, 19, 14, 51, 53)]
    [InlineData("2015-05-06T12:12:25+00:00", 2015, 5, 6, 12, 12, 25)]
    [InlineData("2019-07-12T11:56:53.000000+00:00", 2019, 7, 12, 11, 56, 53)]
    [InlineData("2022-05-29T15:03:02", 2022, 5, 29, 15, 3, 2)]
    public void DatesWithoutZoneAreUtc(string text, int y, int mo, int d, int h, int mi, int s)
    {
        Assert.True(VibDescriptorReader.TryParseDate(text, out var v));
        Assert.Equal(TimeSpan.Zero, v.Offset);
        Assert.Equal(new DateTime(y, mo, d, h, mi, s), new DateTime(v.UtcDateTime.Ticks - v.UtcDateTime.Ticks % TimeSpan.TicksPerSecond));
    }

    [Fact]
    public void ReadsDepotExtrasWhereverTheyAre()
    {
        const string extras = "<relative-path>vib20/demo/Acme_bootbank_demo_1.vib</relative-path><packed-size>4242</packed-size><checksum checksum-type=\"sha-256\">ABCDEF</checksum>";
        foreach (var xml in new[] { Full.Replace("</vib>", extras + "</vib>"), Full.Replace("<system-requires>", extras + "<system-requires>") })
        {
            var v = VibDescriptorReader.ParseString(xml, "metadata.zip", "vibs/demo.xml");
            Assert.Equal("vib20/demo/Acme_bootbank_demo_1.vib", v.RelativePath);
            Assert.Equal(4242, v.PackedSize);
            Assert.Equal("abcdef", v.VibSha256);
            Assert.Single(v.UnknownElements); // only future-element
            Assert.Equal("aabb", v.Payloads[0].Sha256); // payload checksums unaffected
        }
    }

    [Fact]
    public void MinimalDescriptorGetsDefaults()
    {
        var v = VibDescriptorReader.ParseString("<vib><name>n</name><version>1</version><vendor>V</vendor></vib>", "m");
        Assert.Equal("bootbank", v.Type);
        Assert.Equal(AcceptanceLevel.CommunitySupported, v.AcceptanceLevel);
        Assert.True(v.MaintenanceMode.Install && v.MaintenanceMode.Remove);
        Assert.Null(v.ReleaseDate);
        Assert.Empty(v.Payloads);
    }

    [Theory]
    [InlineData("<vib><version>1-1</version><vendor>V</vendor></vib>", "no <name>")]
    [InlineData("<vib><name>n</name><vendor>V</vendor></vib>", "no <version>")]
    [InlineData("<vib><name>n</name><version>1-1</version></vib>", "no <vendor>")]
    [InlineData("<notvib/>", "expected <vib>")]
    [InlineData("<vib><name>n</name><version>1 2</version><vendor>V</vendor></vib>", "not a VIB version")]
    [InlineData("<vib><name>n</name><version>1</version><vendor>V</vendor><acceptance-level>trusted</acceptance-level></vib>", "unknown acceptance level")]
    [InlineData("<vib><name>n</name><version>1</version><vendor>V</vendor><release-date>yesterday</release-date></vib>", "not a date")]
    [InlineData("<vib><name>n</name><version>1</version><vendor>V</vendor><overlay>maybe</overlay></vib>", "not true or false")]
    [InlineData("<vib><name>n</name><version>1</version><vendor>V</vendor><relationships><depends><constraint name='a' relation='~' version='1'/></depends></relationships></vib>", "unknown relation")]
    [InlineData("<vib><name>n</name><version>1</version><vendor>V</vendor><relationships><depends><constraint name='a' relation='&gt;='/></depends></relationships></vib>", "no version")]
    [InlineData("<vib><name>n</name><version>1</version><vendor>V</vendor><payloads><payload name='p' type='vgz' size='-5'/></payloads></vib>", "size")]
    [InlineData("<vib><name>n</name><version>1</version><vendor>V</vendor><payloads><payload name='p'/><payload name='p'/></payloads></vib>", "more than once")]
    [InlineData("<vib><name>../../evil</name><version>1</version><vendor>V</vendor></vib>", "path separator")]
    [InlineData("<vib><name>a\\b</name><version>1</version><vendor>V</vendor></vib>", "path separator")]
    [InlineData("<vib><name>..</name><version>1</version><vendor>V</vendor></vib>", "'..'")]
    [InlineData("<vib><name>n</name><version>1</version><vendor>V/W</vendor></vib>", "<vendor> 'V/W'")]
    [InlineData("<vib><name>n&#x9;x</name><version>1</version><vendor>V</vendor></vib>", "control character")]
    public void InvalidDescriptorsAreTyped(string xml, string problem)
    {
        var e = Assert.Throws<EsxFormatException>(() => VibDescriptorReader.ParseString(xml, "bad.vib", "descriptor.xml"));
        Assert.Equal(ErrorCodes.VibInvalidDescriptor, e.Code);
        Assert.Contains(problem, e.Message);
        Assert.StartsWith("bad.vib [descriptor.xml]: ", e.Message);
    }

    [CorpusFact]
    public void PartnerTemplateParses()
    {
        using var s = System.IO.File.OpenRead(Corpus.Path("xml", "descriptor-template-partner.xml"));
        var v = VibDescriptorReader.Parse(s, "template");
        Assert.Equal("SFC_bootbank_sfc-fw-images_7.5.0-1009", v.Id);
        Assert.Equal("6.5", v.SchemaVersion);
        Assert.Equal(AcceptanceLevel.PartnerSupported, v.AcceptanceLevel);
        var dep = v.Depends.Single();
        Assert.Equal(("esx-version", VersionRelation.GreaterOrEqual, "6.0.0"), (dep.Name, dep.Relation, dep.Version.Text));
        Assert.Empty(v.Conflicts);
        Assert.False(v.MaintenanceMode.Required);
        Assert.Equal(new[] { "/opt/sfc/firmware" }, v.FileList);
        var p = v.Payloads.Single();
        Assert.Equal(("payload_data", "vgz", -1L), (p.Name, p.Type, p.Size));
        Assert.Empty(p.Checksums);
        Assert.Empty(v.UnknownElements);
    }

    [Fact]
    public void Payload_attributes_are_read_in_both_spellings_and_unknown_types_and_attributes_survive_a_round_trip()
    {
        const string xml = @"<vib version=""5.0""><type>bootbank</type><name>x</name><version>1.0-1</version><vendor>V</vendor>
<payloads>
<payload name=""old"" type=""boot"" bootorder=""7"" vfatname=""old.gz"" size=""1""><checksum checksum-type=""sha-256"">aa</checksum></payload>
<payload name=""new"" type=""boot"" boot-order=""8"" vfat-name=""new.gz"" size=""2""><checksum checksum-type=""sha-256"">bb</checksum></payload>
<payload name=""fut"" type=""future_type_efi"" size=""3"" future-attr=""kept""><checksum checksum-type=""sha-256"">cc</checksum></payload>
</payloads><future-element>kept</future-element></vib>";
        var v = VibDescriptorReader.ParseString(xml, "x.xml");
        Assert.Equal((7, "old.gz"), (v.Payloads[0].BootOrder.Value, v.Payloads[0].VfatName));
        Assert.Equal((8, "new.gz"), (v.Payloads[1].BootOrder.Value, v.Payloads[1].VfatName));
        Assert.Equal("future_type_efi", v.Payloads[2].Type);
        Assert.False(v.Payloads[2].IsBootModule);
        Assert.Equal(new[] { new System.Collections.Generic.KeyValuePair<string, string>("future-attr", "kept") }, v.Payloads[2].UnknownAttributes);
        var written = System.Text.Encoding.UTF8.GetString(VibDescriptorWriter.ToBytes(v));
        // Written as real descriptors spell them, whichever spelling was read.
        Assert.Contains(@"<payload name=""old"" type=""boot"" boot-order=""7"" vfat-name=""old.gz"" size=""1"">", written);
        Assert.DoesNotContain("bootorder", written);
        Assert.Contains(@"<payload name=""fut"" type=""future_type_efi"" size=""3"" future-attr=""kept"">", written);
        Assert.Contains("<future-element>kept</future-element>", written);
        var again = VibDescriptorReader.ParseString(written, "again.xml");
        Assert.Equal(v.Payloads.Select(p => (p.Name, p.Type, p.BootOrder, p.VfatName, p.Size)), again.Payloads.Select(p => (p.Name, p.Type, p.BootOrder, p.VfatName, p.Size)));
        Assert.Equal(v.Payloads[2].UnknownAttributes, again.Payloads[2].UnknownAttributes);
    }
}
