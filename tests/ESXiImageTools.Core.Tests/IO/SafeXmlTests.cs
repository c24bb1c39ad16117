using System.IO;
using System.Text;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.IO;
using Xunit;

namespace ESXiImageTools.Core.Tests.IO;

public class SafeXmlTests
{
    private static Stream Utf8(string s) => new MemoryStream(Encoding.UTF8.GetBytes(s));

    [Fact]
    public void LoadsWellFormedXml()
    {
        var doc = SafeXml.Load(Utf8("<a><b x='1'>t</b></a>"), "f.xml");
        Assert.Equal("t", doc.Root.Element("b").Value);
    }

    [Fact]
    public void RefusesDtdWithEntityBomb()
    {
        var xml = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]><vib>&lol2;</vib>";
        var e = Assert.Throws<EsxFormatException>(() => SafeXml.Load(Utf8(xml), "bomb.xml"));
        Assert.Equal(ErrorCodes.XmlDtdProhibited, e.Code);
        Assert.Contains("bomb.xml", e.Message);
        Assert.Contains("DTD", e.Message);
    }

    [Fact]
    public void RefusesExternalEntityDtd()
    {
        var xml = "<!DOCTYPE vib SYSTEM \"file:///etc/passwd\"><vib/>";
        var e = Assert.Throws<EsxFormatException>(() => SafeXml.Load(Utf8(xml), "x.xml", "vibs/a.xml", ErrorCodes.DepotInvalid));
        Assert.Equal(ErrorCodes.XmlDtdProhibited, e.Code);
        Assert.Equal("vibs/a.xml", e.Member);
    }

    [Fact]
    public void MalformedXmlUsesCallersCode()
    {
        var e = Assert.Throws<EsxFormatException>(() => SafeXml.Load(Utf8("<a><b></a>"), "idx.xml", null, ErrorCodes.DepotInvalid));
        Assert.Equal(ErrorCodes.DepotInvalid, e.Code);
        Assert.Contains("idx.xml", e.Message);
        Assert.Contains("not well-formed", e.Message);
    }

    [Fact]
    public void MalformedXmlDefaultsToDescriptorCode()
    {
        var e = Assert.Throws<EsxFormatException>(() => SafeXml.Load(Utf8("not xml at all"), "d.xml"));
        Assert.Equal(ErrorCodes.VibInvalidDescriptor, e.Code);
    }

    [Fact]
    public void RefusesInputOverTheBound()
    {
        var big = "<a>" + new string('x', 100_000) + "</a>";
        var e = Assert.Throws<EsxFormatException>(() => SafeXml.Load(Utf8(big), "big.xml", 10_000));
        Assert.Equal(ErrorCodes.VibInvalidDescriptor, e.Code);
        Assert.Contains("larger than", e.Message);
        // The same document under a larger bound loads.
        Assert.NotNull(SafeXml.Load(Utf8(big), "big.xml", 200_000));
    }
}
