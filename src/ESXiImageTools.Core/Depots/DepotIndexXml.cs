using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;

namespace ESXiImageTools.Core.Depots;

/// <summary>Parses index.xml / vmw-depot-index.xml (<c>&lt;vendorList&gt;</c>) and vendor-index.xml (<c>&lt;metaList&gt;</c>).</summary>
public static class DepotIndexXml
{
    /// <summary>The vendors of an index document; throws DepotInvalid when the root is not vendorList or no vendor names an index file.</summary>
    public static IReadOnlyList<DepotVendor> ParseVendorList(XDocument doc, string source, string member = null)
    {
        var root = doc.Root;
        if (root == null || !DepotXml.Is(root, "vendorList"))
            throw DepotErrors.Invalid(source, member, $"not a depot index: root element is <{root?.Name.LocalName}>, expected <vendorList>");
        var vendors = DepotXml.Children(root, "vendor").Select(v =>
        {
            var content = DepotXml.Child(v, "content");
            return new DepotVendor
            {
                Name = DepotXml.Text(v, "name"),
                Code = DepotXml.Text(v, "code"),
                IndexFile = DepotXml.Text(v, "indexfile"),
                RelativePath = DepotXml.Text(v, "relativePath"),
                PatchUrl = DepotXml.Text(v, "patchUrl"),
                ContentName = DepotXml.Text(content, "name"),
                ContentType = DepotXml.Text(content, "type"),
            };
        }).ToList();
        if (vendors.Count == 0)
            throw DepotErrors.Invalid(source, member, "the depot index lists no <vendor>");
        var bad = vendors.FirstOrDefault(v => v.IndexFile.Length == 0);
        if (bad != null)
            throw DepotErrors.Invalid(source, member, $"vendor '{bad.Name}' has no <indexfile>");
        return vendors;
    }

    /// <summary>The metadata references of a vendor index; throws DepotInvalid when the root is not metaList or it names no metadata url.</summary>
    public static IReadOnlyList<MetadataReference> ParseMetaList(XDocument doc, string source, string member = null)
    {
        var root = doc.Root;
        if (root == null || !DepotXml.Is(root, "metaList"))
            throw DepotErrors.Invalid(source, member, $"not a vendor index: root element is <{root?.Name.LocalName}>, expected <metaList>");
        var list = DepotXml.Children(root, "metadata").Select(m => new MetadataReference
        {
            ProductId = DepotXml.Text(m, "productId"),
            Version = DepotXml.Text(m, "version"),
            Locale = DepotXml.Text(m, "locale"),
            Url = DepotXml.Text(m, "url"),
            ChannelName = DepotXml.Text(m, "channelName"),
        }).ToList();
        if (list.Count == 0 || list.All(m => m.Url.Length == 0))
            throw DepotErrors.Invalid(source, member, "the vendor index lists no <metadata> with a <url>");
        return list;
    }
}
