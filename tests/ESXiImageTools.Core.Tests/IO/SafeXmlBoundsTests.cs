using System.Text;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.IO;
using ESXiImageTools.Core.Packages;
using Xunit;

namespace ESXiImageTools.Core.Tests.IO;

/// <summary>Nesting depth and element count are bounded, so parsing stays linear.</summary>
public class SafeXmlBoundsTests
{
    private static string Nested(int depth)
    {
        var sb = new StringBuilder("<vib>");
        for (int i = 0; i < depth; i++) sb.Append("<a>");
        for (int i = 0; i < depth; i++) sb.Append("</a>");
        return sb.Append("</vib>").ToString();
    }

    private static string Wide(int elements)
    {
        var sb = new StringBuilder("<vib>");
        for (int i = 0; i < elements; i++) sb.Append("<a/>");
        return sb.Append("</vib>").ToString();
    }

    [Fact]
    public void Deep_nesting_is_refused_with_the_limit_named()
    {
        var e = Assert.Throws<EsxFormatException>(() => VibDescriptorReader.ParseString(Nested(200_000), "deep.xml", "descriptor.xml"));
        Assert.Equal(ErrorCodes.VibInvalidDescriptor, e.Code);
        Assert.Contains($"{SafeXml.MaxDepth} levels", e.Message);
    }

    [Fact]
    public void Nesting_up_to_the_limit_is_read()
    {
        var doc = SafeXml.Parse(Nested(SafeXml.MaxDepth - 2), "ok.xml");
        Assert.Equal("vib", doc.Root.Name.LocalName);
    }

    [Fact]
    public void Too_many_elements_are_refused_with_the_limit_named()
    {
        var e = Assert.Throws<EsxFormatException>(() => SafeXml.Parse(Wide(SafeXml.MaxElements + 1), "wide.xml", null, ErrorCodes.DepotInvalid));
        Assert.Equal(ErrorCodes.DepotInvalid, e.Code);
        Assert.Contains($"{SafeXml.MaxElements} elements", e.Message);
    }

    [Fact]
    public void Elements_up_to_the_limit_are_read()
    {
        var doc = SafeXml.Parse(Wide(SafeXml.MaxElements - 1), "wide.xml");
        Assert.Equal(SafeXml.MaxElements - 1, System.Linq.Enumerable.Count(doc.Root.Elements()));
    }
}
