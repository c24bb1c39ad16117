using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml;
using System.Xml.Linq;

namespace ESXiImageTools.ObjectModel;

/// <summary>
/// ImageBuilder's ImageProfileRule: one entry of a depot profile's <c>&lt;rules&gt;</c> element. The rules' own
/// schema is not public, so a rule is its element name and its XML as the depot wrote it (exports keep it).
/// Profiles made in the session have none.
/// </summary>
public sealed class ImageProfileRule
{
    public ImageProfileRule(string name, string xml)
    {
        Name = name ?? "";
        Xml = xml ?? "";
    }

    /// <summary>The rule element's name.</summary>
    public string Name { get; }

    /// <summary>The rule element as the depot wrote it.</summary>
    public string Xml { get; }

    public override string ToString() => Name;

    /// <summary>The rules among a profile's kept (unknown) elements: each child of a <c>&lt;rules&gt;</c> element.</summary>
    internal static ImageProfileRule[] From(IEnumerable<string> unknownElements)
    {
        var rules = new List<ImageProfileRule>();
        foreach (var text in unknownElements ?? Enumerable.Empty<string>())
        {
            var element = ParseElement(text);
            if (element == null || !string.Equals(element.Name.LocalName, "rules", StringComparison.OrdinalIgnoreCase)) continue;
            rules.AddRange(element.Elements().Select(e => new ImageProfileRule(e.Name.LocalName, e.ToString(SaveOptions.DisableFormatting))));
        }
        return rules.ToArray();
    }

    private static XElement ParseElement(string text)
    {
        if (string.IsNullOrEmpty(text) || text.IndexOf("rules", StringComparison.OrdinalIgnoreCase) < 0) return null;
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        try
        {
            using var reader = XmlReader.Create(new StringReader(text), settings);
            return XElement.Load(reader);
        }
        catch (XmlException)
        {
            return null; // kept verbatim by the engine, which already parsed it once; not a rule then
        }
    }
}
