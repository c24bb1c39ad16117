using System.IO;
using System.Linq;
using System.Text;
using System.Xml;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Packages;
using Xunit;

namespace ESXiImageTools.Core.Tests.Packages;

/// <summary>
/// The descriptor reader streams (one pass, no tree): these pin what the tree reader gave for free — element text as
/// XElement.Value (every descendant text, comments left out), the reader's position after skipped and kept elements,
/// and a well-formed rest of the document.
/// </summary>
public class VibDescriptorStreamingTests
{
    private const string Head = "<vib version=\"5.0\"><name>n</name><version>1.0-1</version><vendor>v</vendor>";

    [Fact]
    public void ElementTextIsEveryDescendantTextLikeXElementValue()
    {
        var v = VibDescriptorReader.ParseString(Head + "<summary>a<!-- not text -->b<![CDATA[<c>]]><i>d</i> e</summary>"
                                                + "<description/></vib>", "t");
        Assert.Equal("ab<c>d e", v.Summary);
        Assert.Equal("", v.Description);
    }

    [Fact]
    public void UnknownElementsAreKeptVerbatimAndReadingResumesAfterThem()
    {
        var v = VibDescriptorReader.ParseString(Head + "<x-first a=\"1\"><deep><deeper>t</deeper></deep></x-first>"
                                                + "<urls><odd/><url key=\"k\"> u </url></urls><x-second/>"
                                                + "<payloads><payload name=\"p\" type=\"tgz\" size=\"1\" future=\"f\"><note/><checksum checksum-type=\"sha-256\">ab</checksum></payload></payloads>"
                                                + "<acceptance-level>certified</acceptance-level></vib>", "t");
        Assert.Equal(new[] { "<x-first a=\"1\"><deep><deeper>t</deeper></deep></x-first>", "<x-second />" }, v.UnknownElements);
        Assert.Equal(("k", "u"), (v.Urls.Single().Key, v.Urls.Single().Url));
        var p = v.Payloads.Single();
        Assert.Equal("ab", p.Checksums.Single().Value);
        Assert.Equal(("future", "f"), (p.UnknownAttributes.Single().Key, p.UnknownAttributes.Single().Value));
        Assert.Equal(AcceptanceLevel.VMwareCertified, v.AcceptanceLevel);
    }

    [Theory]
    [InlineData("<vib><name>n</name><version>1.0-1</version><vendor>v</vendor></vib><second/>")]
    [InlineData("<vib><name>n</name><version>1.0-1</version><vendor>v</vendor></vib><!-- unterminated")]
    [InlineData("<vib><name>n</name><version>1.0-1</version><vendor>v</vendor><summary>")]
    public void MalformedXmlAnywhereInTheDocumentIsRefused(string xml)
    {
        var e = Assert.Throws<EsxFormatException>(() => VibDescriptorReader.ParseString(xml, "t.vib", "descriptor.xml"));
        Assert.Equal(ErrorCodes.VibInvalidDescriptor, e.Code);
        Assert.Contains("not well-formed", e.Problem);
    }

    [Fact]
    public void ASharedNameTableGivesTheSameResultForEveryDescriptor()
    {
        var names = new NameTable();
        var first = Parse(VibDescriptorReaderTests.Full, names);
        var second = Parse(VibDescriptorReaderTests.Full, names);
        var alone = VibDescriptorReader.ParseString(VibDescriptorReaderTests.Full, "t");
        Assert.Equal(alone.Id, first.Id);
        Assert.Equal(alone.Payloads.Count, second.Payloads.Count);
        Assert.Equal(alone.UnknownElements, second.UnknownElements);
        Assert.Equal(alone.Depends.Select(d => d.ToString()), second.Depends.Select(d => d.ToString()));
    }

    private static Vib Parse(string xml, XmlNameTable names)
        => VibDescriptorReader.Parse(new MemoryStream(Encoding.UTF8.GetBytes(xml)), "t", "vibs/t.xml", names);
}
