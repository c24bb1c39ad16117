using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml.Linq;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.IO;
using ESXiImageTools.Core.Packages;
using Xunit;

namespace ESXiImageTools.Core.Tests.Depots;

public class UrlRedactorTests
{
    [Theory]
    [InlineData("https://dl.broadcom.com/aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY/PROD/COMP/ESX_HOST/main/vmw-depot-index.xml",
                "https://dl.broadcom.com/***/PROD/COMP/ESX_HOST/main/vmw-depot-index.xml")]
    [InlineData("https://user:secret@depot.example.com/main/index.xml?token=abc#frag",
                "https://***@depot.example.com/main/index.xml?***#***")]
    [InlineData("https://hostupdate.vmware.com/software/VUM/PRODUCTION/main/vmw-depot-index.xml",
                "https://hostupdate.vmware.com/software/VUM/PRODUCTION/main/vmw-depot-index.xml")]
    [InlineData("http://127.0.0.1:8080/depot/vib20/vmkusb-nic-fling/VMW_bootbank_vmkusb-nic-fling_1.10-1vmw.703.0.50.55634242.vib",
                "http://127.0.0.1:8080/depot/vib20/vmkusb-nic-fling/VMW_bootbank_vmkusb-nic-fling_1.10-1vmw.703.0.50.55634242.vib")]
    public void Redacts_tokens_userinfo_and_queries_but_keeps_ordinary_paths(string url, string expected)
        => Assert.Equal(expected, UrlRedactor.Redact(new Uri(url)));

    [Fact]
    public void Redacts_urls_and_known_secrets_in_free_text()
    {
        var u = new Uri("https://dl.broadcom.com/aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY/PROD/main/index.xml");
        var text = "GET https://dl.broadcom.com/aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY/PROD/main/x.zip failed; token aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY";
        var r = UrlRedactor.RedactText(text, u);
        Assert.DoesNotContain("aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY", r);
        Assert.Contains("https://dl.broadcom.com/***/PROD/main/x.zip", r);
    }

    [Theory]
    [InlineData("vmkusb-nic-fling", false)]
    [InlineData("ESX_HOST", false)]
    [InlineData("Realtek-net55-r8168-8.045a-napi-metadata.zip", false)]
    [InlineData("Zx81Qw7PmT4kLs9VbN2cR6yH", true)]
    [InlineData("6f1e0c3a-7b2d-4e8f-9a1b-2c3d4e5f6a7b", true)]
    public void Token_heuristic(string segment, bool token) => Assert.Equal(token, UrlRedactor.LooksLikeToken(segment));
}

public class EnvironmentProxyTests
{
    private static Func<string, string> Env(params (string, string)[] vars)
        => n => vars.FirstOrDefault(v => v.Item1 == n).Item2;

    [Fact]
    public void No_variables_means_no_environment_proxy()
        => Assert.Null(EnvironmentProxy.FromEnvironment(Env()));

    [Fact]
    public void Https_proxy_and_no_proxy_rules()
    {
        var p = EnvironmentProxy.FromEnvironment(Env(("HTTPS_PROXY", "http://proxy.corp:3128"), ("no_proxy", "localhost,.internal.corp,example.org:8443,10.1.2.3")));
        Assert.NotNull(p);
        Assert.Equal(new Uri("http://proxy.corp:3128"), p.GetProxy(new Uri("https://dl.broadcom.com/x")));
        Assert.True(p.IsBypassed(new Uri("https://localhost/x")));
        Assert.True(p.IsBypassed(new Uri("https://depot.internal.corp/x")));
        Assert.True(p.IsBypassed(new Uri("https://internal.corp/x")));
        Assert.False(p.IsBypassed(new Uri("https://notinternal.corp/x")));
        Assert.True(p.IsBypassed(new Uri("https://example.org:8443/x")));
        Assert.False(p.IsBypassed(new Uri("https://example.org/x")));
        Assert.True(p.IsBypassed(new Uri("https://10.1.2.3/x")));
        // Only HTTPS_PROXY set: plain http goes direct.
        Assert.True(p.IsBypassed(new Uri("http://dl.broadcom.com/x")));
    }

    [Fact]
    public void Star_bypasses_everything_and_userinfo_gives_credentials()
    {
        var p = EnvironmentProxy.FromEnvironment(Env(("HTTP_PROXY", "user:pa%40ss@proxy:8080"), ("NO_PROXY", "*")));
        Assert.True(p.IsBypassed(new Uri("http://a.example/x")));
        var p2 = EnvironmentProxy.FromEnvironment(Env(("HTTP_PROXY", "user:pa%40ss@proxy:8080")));
        var cred = p2.Credentials.GetCredential(new Uri("http://proxy:8080"), "Basic");
        Assert.Equal("user", cred.UserName);
        Assert.Equal("pa@ss", cred.Password);
        Assert.Equal(new Uri("http://user:pa%40ss@proxy:8080"), p2.GetProxy(new Uri("http://a.example/x")));
    }
}

public class QueryTests
{
    private static Vib V(string name, string version, string vendor = "VMW", AcceptanceLevel level = AcceptanceLevel.VMwareCertified, string date = "2020-01-01")
        => new Vib { Name = name, Version = VibVersion.Parse(version), Vendor = vendor, AcceptanceLevel = level, ReleaseDate = DateTimeOffset.Parse(date) };

    private static readonly Vib[] Pool =
    {
        V("net-e1000", "8.0.3-1vmw.600.0.0.2494585"),
        V("net-e1000", "8.0.3-2vmw.650.0.0.4564106", date: "2021-06-01"),
        V("net55-r8168", "8.045a-napi", "Realtek", AcceptanceLevel.CommunitySupported, "2018-04-16"),
        V("sata-xahci", "1.42-1", "VFrontDe", AcceptanceLevel.CommunitySupported, "2019-07-12"),
        V("esx-base", "7.0.3-0.0.19193900", date: "2022-01-01"),
    };

    [Theory]
    [InlineData("*", null, 5)]
    [InlineData("net*", null, 3)]
    [InlineData("NET-E1000", null, 2)]
    [InlineData("sata-xah?i", null, 1)]
    [InlineData("[ns]*", null, 4)]
    [InlineData("*", "Realtek", 1)]
    [InlineData("*", "v*", 4)]
    [InlineData("*", "VMW", 3)]
    public void Name_and_vendor_wildcards(string name, string vendor, int count)
    {
        var q = new PackageQuery { Names = new[] { name }, Vendors = vendor == null ? Array.Empty<string>() : new[] { vendor } };
        Assert.Equal(count, DepotQueries.FilterPackages(Pool, q).Count);
    }

    [Fact]
    public void Newest_keeps_the_highest_version_per_name_and_vendor()
    {
        var r = DepotQueries.FilterPackages(Pool, new PackageQuery { Names = new[] { "net-e1000" }, Newest = true });
        Assert.Equal("8.0.3-2vmw.650.0.0.4564106", Assert.Single(r).Version.Text);
    }

    [Fact]
    public void Acceptance_since_and_version_filters()
    {
        Assert.Equal(new[] { "net55-r8168", "sata-xahci" },
            DepotQueries.FilterPackages(Pool, new PackageQuery { AcceptanceLevel = AcceptanceLevel.CommunitySupported }).Select(v => v.Name));
        Assert.Equal(new[] { "esx-base", "net-e1000" },
            DepotQueries.FilterPackages(Pool, new PackageQuery { SinceDate = DateTimeOffset.Parse("2021-01-01") }).Select(v => v.Name));
        Assert.Single(DepotQueries.FilterPackages(Pool, new PackageQuery { Versions = new[] { "1.42*" } }));
        Assert.Equal(2, DepotQueries.FilterPackages(Pool, new PackageQuery { Versions = new[] { "8.0.3" } }).Count);
    }

    [Fact]
    public void Results_are_sorted_by_name_then_version()
    {
        var r = DepotQueries.FilterPackages(Enumerable.Reverse(Pool), PackageQuery.All);
        Assert.Equal(new[] { "esx-base", "net-e1000", "net-e1000", "net55-r8168", "sata-xahci" }, r.Select(v => v.Name));
        Assert.True(r[1].Version < r[2].Version);
    }

    [Fact]
    public void Wildcard_escape_and_brackets()
    {
        Assert.True(Wildcard.IsMatch("a`*b", "a*b"));
        Assert.False(Wildcard.IsMatch("a`*b", "axb"));
        Assert.True(Wildcard.IsMatch("ESXi-7.0*", "esxi-7.0U3-standard"));
        Assert.False(Wildcard.IsMatch("ESXi-7.0*", "ESXi-8.0-standard"));
    }
}

public class DepotXmlReaderTests
{
    [Fact]
    public void Vendor_list_and_meta_list()
    {
        var vendors = DepotIndexXml.ParseVendorList(XDocument.Parse(
            "<vendorList><vendor><name>VMware</name><code>VMW</code><indexfile>vendor-index.xml</indexfile><relativePath>esx/vmw</relativePath>" +
            "<content><name>VMware ESX</name><type>http://www.vmware.com/depotmanagement/esx</type></content></vendor></vendorList>"), "t");
        var v = Assert.Single(vendors);
        Assert.Equal(("VMware", "VMW", "vendor-index.xml", "esx/vmw", "http://www.vmware.com/depotmanagement/esx"), (v.Name, v.Code, v.IndexFile, v.RelativePath, v.ContentType));
        var metas = DepotIndexXml.ParseMetaList(XDocument.Parse(
            "<metaList><metadata><productId>embeddedEsx</productId><version>5.*</version><url>a-metadata.zip</url></metadata>" +
            "<metadata><productId>embeddedEsx</productId><version>6.*</version><url>a-metadata.zip</url></metadata></metaList>"), "t");
        Assert.Equal(new[] { "5.*", "6.*" }, metas.Select(m => m.Version));
    }

    [Theory]
    [InlineData("<metaList/>")]
    [InlineData("<vendorList/>")]
    [InlineData("<vendorList><vendor><name>x</name></vendor></vendorList>")]
    public void Bad_vendor_lists_are_DepotInvalid(string xml)
    {
        var e = Assert.Throws<EsxFormatException>(() => DepotIndexXml.ParseVendorList(XDocument.Parse(xml), "bundle.zip", "index.xml"));
        Assert.Equal(ErrorCodes.DepotInvalid, e.Code);
        Assert.Contains("bundle.zip", e.Message);
    }

    [Fact]
    public void Bulletin_with_component_specs()
    {
        var b = BulletinXml.Parse(XElement.Parse(
            "<bulletin><id>VMware-vmkusb-nic-fling_1.10-1vmw.703.0.50.55634242</id><vendor>VMware</vendor><summary>USB NIC</summary>" +
            "<componentNameSpec uiString=\"VMWare USB NIC Fling Driver\" name=\"VMware-vmkusb-nic-fling\"/>" +
            "<componentVersionSpec uiString=\"1.10-1vmw\" version=\"1.10-1vmw.703.0.50.55634242\"/>" +
            "<releaseDate>2022-05-24T06:49:12.459000+00:00</releaseDate><platforms><softwarePlatform locale=\"\" version=\"7.0\" productLineID=\"embeddedEsx\"/></platforms>" +
            "<vibList><vibID>VMW_bootbank_vmkusb-nic-fling_1.10-1vmw.703.0.50.55634242</vibID></vibList></bulletin>"), "t");
        Assert.True(b.IsComponent);
        Assert.Equal(new DateTimeOffset(2022, 5, 24, 6, 49, 12, 459, TimeSpan.Zero), b.ReleaseDate);
        Assert.Equal("7.0", Assert.Single(b.Platforms).Version);
        var c = BulletinXml.ToComponent(b, id => null);
        Assert.Equal("VMware-vmkusb-nic-fling:1.10-1vmw.703.0.50.55634242", c.Id);
        Assert.Equal("VMWare USB NIC Fling Driver", c.UiName);
        Assert.Equal("1.10-1vmw", c.UiVersion);
        Assert.Empty(c.Packages);
        Assert.Single(c.VibIds);
    }

    [Fact]
    public void Vmware_xml_bulletin_nests_vib_ids()
    {
        var b = BulletinXml.Parse(XElement.Parse("<bulletin><id>b</id><vibList><vib><vibID>A_bootbank_a_1-1</vibID><name>a</name></vib></vibList></bulletin>"), "t");
        Assert.Equal(new[] { "A_bootbank_a_1-1" }, b.VibIds);
        Assert.False(b.IsComponent);
    }
}

