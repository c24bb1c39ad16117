using System.Linq;
using System.Xml.Linq;
using ESXiImageTools.Core.Components;
using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.Core.Depots;

/// <summary>Parses a <c>&lt;bulletin&gt;</c> (bulletins/*.xml, or inside vmware.xml).</summary>
public static class BulletinXml
{
    public static Bulletin Parse(XElement b, string source)
    {
        if (b == null || !DepotXml.Is(b, "bulletin"))
            throw DepotErrors.Invalid(source, null, $"expected <bulletin>, found <{b?.Name.LocalName}>");
        var id = DepotXml.Text(b, "id");
        if (id.Length == 0) throw DepotErrors.Invalid(source, null, "bulletin has no <id>");
        var nameSpec = DepotXml.Child(b, "componentNameSpec");
        var versionSpec = DepotXml.Child(b, "componentVersionSpec");
        var vibList = DepotXml.Child(b, "vibList");
        // bulletins/*.xml list <vibID> directly; vmware.xml nests them in <vib><vibID>.
        var vibIds = vibList == null ? new string[0] : vibList.Descendants().Where(e => DepotXml.Is(e, "vibID"))
            .Select(e => e.Value.Trim()).Where(v => v.Length > 0).Distinct().ToArray();
        return new Bulletin
        {
            Id = id,
            Vendor = DepotXml.Text(b, "vendor"),
            Summary = DepotXml.Text(b, "summary"),
            Description = DepotXml.Text(b, "description"),
            Severity = DepotXml.Text(b, "severity"),
            Category = DepotXml.Text(b, "category"),
            Urgency = DepotXml.Text(b, "urgency"),
            ReleaseType = DepotXml.Text(b, "releaseType"),
            KbUrl = DepotXml.Text(b, "kbUrl"),
            Contact = DepotXml.Text(b, "contact"),
            ReleaseDate = DepotXml.Date(DepotXml.Text(b, "releaseDate")),
            Platforms = DepotXml.Children(DepotXml.Child(b, "platforms"), "softwarePlatform")
                .Select(p => new SoftwarePlatform(DepotXml.Attr(p, "version"), DepotXml.Attr(p, "locale"), DepotXml.Attr(p, "productLineID"))).ToArray(),
            VibIds = vibIds,
            ComponentName = DepotXml.Attr(nameSpec, "name"),
            ComponentUiName = DepotXml.Attr(nameSpec, "uiString"),
            ComponentVersion = DepotXml.Attr(versionSpec, "version"),
            ComponentUiVersion = DepotXml.Attr(versionSpec, "uiString"),
        };
    }

    /// <summary>The component a bulletin defines, with its packages resolved through <paramref name="findVib"/>; null when it is not a component.</summary>
    public static Component ToComponent(Bulletin b, System.Func<string, Vib> findVib)
    {
        if (!b.IsComponent) return null;
        VibVersion.TryParse(b.ComponentVersion, out var v);
        return new Component
        {
            Name = b.ComponentName,
            Version = b.ComponentVersion,
            VersionObject = v,
            UiName = b.ComponentUiName ?? b.ComponentName,
            UiVersion = b.ComponentUiVersion ?? b.ComponentVersion,
            Vendor = b.Vendor,
            Summary = b.Summary,
            Description = b.Description,
            ReleaseType = b.ReleaseType,
            ReleaseDate = b.ReleaseDate,
            Platforms = b.Platforms,
            BulletinId = b.Id,
            VibIds = b.VibIds,
            Packages = b.VibIds.Select(findVib).Where(x => x != null).ToArray(),
        };
    }
}

/// <summary>
/// Writes a bulletin in the compact shape of a real ESXi 7.0 image database (bulletins/ and reservedComponents/;
/// docs/formats-notes.md, "Image database"): id, vendor, summary, severity, category, urgency, releaseType, description, kbUrl,
/// contact, componentNameSpec, componentVersionSpec, releaseDate, platforms, vibList.
/// </summary>
public static class BulletinXmlWriter
{
    /// <summary>UTF-8 bytes without BOM or XML declaration.</summary>
    public static byte[] ToBytes(Bulletin b)
    {
        if (b == null) throw new System.ArgumentNullException(nameof(b));
        var ms = new System.IO.MemoryStream();
        var settings = new System.Xml.XmlWriterSettings { Encoding = new System.Text.UTF8Encoding(false), OmitXmlDeclaration = true, Indent = false };
        using (var w = System.Xml.XmlWriter.Create(ms, settings))
        {
            w.WriteStartElement("bulletin");
            Text(w, "id", b.Id);
            Text(w, "vendor", b.Vendor);
            Text(w, "summary", b.Summary);
            Text(w, "severity", b.Severity);
            Text(w, "category", b.Category);
            Text(w, "urgency", b.Urgency);
            Text(w, "releaseType", b.ReleaseType);
            Text(w, "description", b.Description);
            Text(w, "kbUrl", b.KbUrl);
            Text(w, "contact", b.Contact);
            if (b.IsComponent)
            {
                w.WriteStartElement("componentNameSpec");
                w.WriteAttributeString("name", b.ComponentName);
                w.WriteAttributeString("uiString", b.ComponentUiName ?? b.ComponentName);
                w.WriteEndElement();
                w.WriteStartElement("componentVersionSpec");
                w.WriteAttributeString("uiString", b.ComponentUiVersion ?? b.ComponentVersion);
                w.WriteAttributeString("version", b.ComponentVersion);
                w.WriteEndElement();
            }
            if (b.ReleaseDate != null) Text(w, "releaseDate", VibDescriptorWriter.FormatDate(b.ReleaseDate.Value));
            w.WriteStartElement("platforms");
            foreach (var p in b.Platforms)
            {
                w.WriteStartElement("softwarePlatform");
                w.WriteAttributeString("locale", p.Locale);
                w.WriteAttributeString("productLineID", p.ProductLineId);
                w.WriteAttributeString("version", p.Version);
                w.WriteEndElement();
            }
            w.WriteEndElement();
            w.WriteStartElement("vibList");
            foreach (var id in b.VibIds) Text(w, "vibID", id);
            w.WriteEndElement();
            w.WriteEndElement();
        }
        // XmlWriter closes empty elements with " />"; the real files write "/>". '>' is escaped in text and
        // attribute values, so " />" can only be an element end here.
        return new System.Text.UTF8Encoding(false).GetBytes(new System.Text.UTF8Encoding(false).GetString(ms.ToArray()).Replace(" />", "/>"));
    }

    private static void Text(System.Xml.XmlWriter w, string name, string value)
    {
        w.WriteStartElement(name);
        w.WriteString(value ?? "");
        w.WriteFullEndElement();
    }
}
