using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using ESXiImageTools.Core.IO;

namespace ESXiImageTools.Core.Packages;

/// <summary>
/// Writes a <see cref="Vib"/> as descriptor.xml in the element order VMware and
/// vibauthor use; relation operators are XML-escaped. Unknown elements kept by the reader are written
/// back verbatim just before <c>&lt;/vib&gt;</c>. The depot form (<c>vibs/*.xml</c>, §1.7) adds
/// relative-path, packed-size and the whole-file checksum.
/// </summary>
public static class VibDescriptorWriter
{
    /// <summary>descriptor.xml bytes: UTF-8 without BOM, no XML declaration, compact.</summary>
    public static byte[] ToBytes(Vib vib) => Encode(vib, depot: false);

    /// <summary>The depot metadata form (metadata.zip <c>vibs/*.xml</c>): the descriptor plus relative-path,
    /// packed-size and sha-256 of the .vib (those that are set).</summary>
    public static byte[] ToDepotBytes(Vib vib) => Encode(vib, depot: true);

    /// <summary>Writes descriptor.xml to a stream (not closed).</summary>
    public static void Write(Vib vib, Stream output, bool depotForm = false)
    {
        var b = Encode(vib, depotForm);
        output.Write(b, 0, b.Length);
    }

    /// <summary>The descriptor as an element (for documents that embed VIB descriptors).</summary>
    public static XElement ToElement(Vib vib, bool depotForm = false)
        => SafeXml.Load(new MemoryStream(Encode(vib, depotForm)), "descriptor", null, Diagnostics.ErrorCodes.VibInvalidDescriptor).Root;

    /// <summary>Release dates are written in UTC with microseconds, as esximage does: 2019-07-12T11:56:53.000000+00:00.</summary>
    public static string FormatDate(DateTimeOffset d)
    {
        var u = d.ToUniversalTime();
        string fraction = u.Ticks % 10 == 0 ? "ffffff" : "fffffff";
        return u.ToString("yyyy-MM-dd'T'HH:mm:ss." + fraction, CultureInfo.InvariantCulture) + "+00:00";
    }

    private static byte[] Encode(Vib vib, bool depot)
    {
        if (vib == null) throw new ArgumentNullException(nameof(vib));
        if (string.IsNullOrEmpty(vib.Name) || vib.Version == null || string.IsNullOrEmpty(vib.Vendor))
            throw new ArgumentException("a VIB needs a name, version and vendor to be written", nameof(vib));
        var ms = new MemoryStream();
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), OmitXmlDeclaration = true, Indent = false };
        using (var w = XmlWriter.Create(ms, settings))
        {
            w.WriteStartElement("vib");
            w.WriteAttributeString("version", string.IsNullOrEmpty(vib.SchemaVersion) ? "5.0" : vib.SchemaVersion);
            Text(w, "type", vib.Type ?? "bootbank");
            Text(w, "name", vib.Name);
            Text(w, "version", vib.Version.Text);
            Text(w, "vendor", vib.Vendor);
            Text(w, "summary", vib.Summary ?? "");
            Text(w, "description", vib.Description ?? "");
            if (vib.ReleaseDate != null) Text(w, "release-date", FormatDate(vib.ReleaseDate.Value));
            w.WriteStartElement("urls");
            foreach (var u in vib.Urls)
            {
                w.WriteStartElement("url");
                w.WriteAttributeString("key", u.Key);
                w.WriteString(u.Url);
                w.WriteEndElement();
            }
            w.WriteEndElement();
            w.WriteStartElement("relationships");
            Constraints(w, "depends", vib.Depends);
            Constraints(w, "conflicts", vib.Conflicts);
            Constraints(w, "replaces", vib.Replaces);
            w.WriteStartElement("provides");
            foreach (var p in vib.Provides)
            {
                w.WriteStartElement("provide");
                w.WriteAttributeString("name", p.Name);
                if (p.Version != null) w.WriteAttributeString("version", p.Version.Text);
                w.WriteEndElement();
            }
            w.WriteEndElement();
            Constraints(w, "compatibleWith", vib.CompatibleWith);
            w.WriteEndElement();
            w.WriteStartElement("software-tags");
            foreach (var t in vib.Tags) Text(w, "tag", t);
            w.WriteEndElement();
            w.WriteStartElement("system-requires");
            var mm = vib.MaintenanceMode ?? new MaintenanceMode(true, true);
            w.WriteStartElement("maintenance-mode");
            if (mm.Install != mm.Remove)
            {
                w.WriteAttributeString("install", Bool(mm.Install));
                w.WriteAttributeString("remove", Bool(mm.Remove));
            }
            w.WriteString(Bool(mm.Required));
            w.WriteEndElement();
            foreach (var h in vib.HardwarePlatforms)
            {
                w.WriteStartElement("hwplatform");
                w.WriteAttributeString("vendor", h.Vendor);
                if (h.Model.Length > 0) w.WriteAttributeString("model", h.Model);
                w.WriteEndElement();
            }
            foreach (var s in vib.SoftwarePlatforms)
            {
                w.WriteStartElement("softwarePlatform");
                w.WriteAttributeString("version", s.Version);
                w.WriteAttributeString("locale", s.Locale);
                w.WriteAttributeString("productLineID", s.ProductLineId);
                w.WriteEndElement();
            }
            w.WriteEndElement();
            w.WriteStartElement("file-list");
            foreach (var f in vib.FileList) Text(w, "file", f);
            w.WriteEndElement();
            Text(w, "acceptance-level", AcceptanceLevels.ToCode(vib.AcceptanceLevel));
            Text(w, "live-install-allowed", Bool(vib.LiveInstallAllowed));
            Text(w, "live-remove-allowed", Bool(vib.LiveRemoveAllowed));
            Text(w, "cimom-restart", Bool(vib.CimomRestart));
            Text(w, "stateless-ready", Bool(vib.StatelessReady));
            Text(w, "overlay", Bool(vib.Overlay));
            w.WriteStartElement("payloads");
            foreach (var p in vib.Payloads)
            {
                w.WriteStartElement("payload");
                w.WriteAttributeString("name", p.Name);
                w.WriteAttributeString("type", p.Type ?? "");
                // Spelling and order as real descriptors have them: name, type, boot-order, vfat-name, size.
                if (p.BootOrder != null) w.WriteAttributeString("boot-order", p.BootOrder.Value.ToString(CultureInfo.InvariantCulture));
                if (p.VfatName != null) w.WriteAttributeString("vfat-name", p.VfatName);
                if (p.Size >= 0) w.WriteAttributeString("size", p.Size.ToString(CultureInfo.InvariantCulture));
                if (p.InstallSize != null) w.WriteAttributeString("installsize", p.InstallSize.Value.ToString(CultureInfo.InvariantCulture));
                foreach (var a in p.UnknownAttributes ?? Array.Empty<System.Collections.Generic.KeyValuePair<string, string>>())
                    w.WriteAttributeString(a.Key, a.Value);
                foreach (var c in p.Checksums)
                {
                    w.WriteStartElement("checksum");
                    w.WriteAttributeString("checksum-type", c.Algorithm);
                    if (c.VerifyProcess.Length > 0) w.WriteAttributeString("verify-process", c.VerifyProcess);
                    w.WriteString(c.Value);
                    w.WriteEndElement();
                }
                w.WriteEndElement();
            }
            w.WriteEndElement();
            foreach (var u in vib.UnknownElements)
            {
                using var r = XmlReader.Create(new StringReader(u), SafeXml.CreateReaderSettings());
                w.WriteNode(r, true);
            }
            if (depot)
            {
                if (vib.RelativePath != null) Text(w, "relative-path", vib.RelativePath);
                if (vib.PackedSize != null) Text(w, "packed-size", vib.PackedSize.Value.ToString(CultureInfo.InvariantCulture));
                if (vib.VibSha256 != null)
                {
                    w.WriteStartElement("checksum");
                    w.WriteAttributeString("checksum-type", "sha-256");
                    w.WriteString(vib.VibSha256);
                    w.WriteEndElement();
                }
            }
            w.WriteEndElement();
        }
        return ms.ToArray();
    }

    private static string Bool(bool b) => b ? "true" : "false";

    private static void Text(XmlWriter w, string name, string value)
    {
        w.WriteStartElement(name);
        w.WriteString(value ?? "");
        w.WriteEndElement();
    }

    private static void Constraints(XmlWriter w, string group, System.Collections.Generic.IEnumerable<Constraint> list)
    {
        w.WriteStartElement(group);
        foreach (var c in list ?? Enumerable.Empty<Constraint>())
        {
            w.WriteStartElement("constraint");
            w.WriteAttributeString("name", c.Name);
            if (c.Relation != VersionRelation.Any)
            {
                w.WriteAttributeString("relation", c.RelationText);
                w.WriteAttributeString("version", c.Version.Text);
            }
            w.WriteEndElement();
        }
        w.WriteEndElement();
    }
}
