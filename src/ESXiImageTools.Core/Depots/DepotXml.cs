using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.IO;

namespace ESXiImageTools.Core.Depots;

/// <summary>XML helpers for depot documents: DTD-safe bounded loading and case-insensitive local-name lookups.</summary>
internal static class DepotXml
{
    /// <summary>Loads a document through SafeXml; any XML failure becomes DepotInvalid naming the source and member.</summary>
    public static XDocument Load(Stream s, string source, string member, long maxBytes)
    {
        // SafeXml refuses DTDs (XmlDtdProhibited) and reports everything else as DepotInvalid.
        return SafeXml.Load(s, source, member, ErrorCodes.DepotInvalid, maxBytes);
    }

    public static bool Is(XElement e, string localName) => string.Equals(e.Name.LocalName, localName, StringComparison.OrdinalIgnoreCase);

    public static XElement Child(XElement e, string localName) => e?.Elements().FirstOrDefault(c => Is(c, localName));

    public static IEnumerable<XElement> Children(XElement e, string localName) => e == null ? Enumerable.Empty<XElement>() : e.Elements().Where(c => Is(c, localName));

    public static string Text(XElement e, string localName) => (Child(e, localName)?.Value ?? "").Trim();

    public static string Attr(XElement e, string localName)
        => e?.Attributes().FirstOrDefault(a => string.Equals(a.Name.LocalName, localName, StringComparison.OrdinalIgnoreCase))?.Value;

    /// <summary>Parses the date forms seen in depots (<c>2022-05-24T06:49:12.459000+00:00</c>, with or without zone; a space instead of T).</summary>
    public static DateTimeOffset? Date(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var d))
            return d;
        return null;
    }
}
