using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.IO;
using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.Core.Profiles;

/// <summary>A payload's file name in a profile's VIB list (<c>&lt;payload payload-name="s"&gt;s.v00&lt;/payload&gt;</c>).</summary>
public sealed record ProfilePayloadFile(string PayloadName, string FileName);

/// <summary>One <c>&lt;vib&gt;</c> of a profile's <c>&lt;viblist&gt;</c>: the VIB id and, in IMGDB profiles, its payload file names.</summary>
public sealed record ProfileVibEntry
{
    public string VibId { get; init; }
    public IReadOnlyList<ProfilePayloadFile> Payloads { get; init; } = Array.Empty<ProfilePayloadFile>();
}

/// <summary>
/// A profile XML document as read, before its VIB ids are resolved to packages. Same schema for metadata
/// profiles/*.xml and IMGDB.TGZ var/db/esximg/profiles/*.
/// </summary>
public sealed record ProfileDocument
{
    /// <summary>The root element's name as written (<c>imageprofile</c>, ...).</summary>
    public string RootName { get; init; } = "imageprofile";
    public string Name { get; init; }
    public string Creator { get; init; } = "";
    /// <summary>The <c>&lt;vendor&gt;</c> element when present; otherwise null (the creator is the vendor then).</summary>
    public string Vendor { get; init; }
    public string Description { get; init; } = "";
    public AcceptanceLevel AcceptanceLevel { get; init; } = AcceptanceLevel.PartnerSupported;
    public bool ReadOnly { get; init; }
    public DateTimeOffset? CreationTime { get; init; }
    public DateTimeOffset? ModifiedTime { get; init; }
    public string ProfileId { get; init; }
    public IReadOnlyList<ProfileVibEntry> Vibs { get; init; } = Array.Empty<ProfileVibEntry>();
    /// <summary>Elements this reader does not know, outer XML, in document order.</summary>
    public IReadOnlyList<string> UnknownElements { get; init; } = Array.Empty<string>();

    /// <summary>
    /// The <see cref="ImageProfile"/> this document describes, with VIB ids resolved through <paramref name="findVib"/>
    /// (ids it cannot resolve go to <see cref="ImageProfile.MissingVibIds"/>).
    /// </summary>
    public ImageProfile ToImageProfile(Func<string, Vib> findVib, string source, bool readOnly)
    {
        var packages = new List<Vib>();
        var missing = new List<string>();
        foreach (var v in Vibs)
        {
            var vib = findVib?.Invoke(v.VibId);
            if (vib != null) packages.Add(vib); else missing.Add(v.VibId);
        }
        return new ImageProfile
        {
            Name = Name,
            // [K] esximage stores ImageBuilder's Vendor in <creator>; a separate <vendor>, when present, wins.
            Vendor = string.IsNullOrEmpty(Vendor) ? Creator : Vendor,
            Creator = Creator,
            Description = Description,
            AcceptanceLevel = AcceptanceLevel,
            CreationTime = CreationTime ?? ModifiedTime ?? default,
            ModifiedTime = ModifiedTime ?? CreationTime ?? default,
            ReadOnly = readOnly || ReadOnly,
            Packages = packages,
            MissingVibIds = missing,
            ProfileId = ProfileId,
            Source = source,
            UnknownElements = UnknownElements,
        };
    }
}

/// <summary>
/// Reads and writes image-profile XML (IMGDB profiles and metadata profiles/*.xml).
/// Elements are matched by local name, case-insensitively; unknown elements are kept for the round trip.
/// </summary>
public static class ProfileXml
{
    private static readonly string[] Known = { "name", "creator", "vendor", "description", "acceptancelevel", "readonly", "creationtime", "modifiedtime", "profileid", "viblist" };

    /// <summary>Reads a profile document from a stream (DTD-safe, bounded).</summary>
    public static ProfileDocument Read(Stream xml, string source, long maxBytes = 16L << 20)
    {
        var doc = SafeXml.Load(xml, source, null, ErrorCodes.ProfileInvalid, maxBytes);
        return Read(doc.Root, source);
    }

    /// <summary>Reads a profile from its root element.</summary>
    public static ProfileDocument Read(XElement root, string source)
    {
        if (root == null) throw Invalid(source, "empty document");
        string Text(string n) => (root.Elements().FirstOrDefault(e => Is(e, n))?.Value ?? "").Trim();
        var name = Text("name");
        if (name.Length == 0) throw Invalid(source, "profile has no <name>");
        var levelText = Text("acceptancelevel");
        var level = AcceptanceLevel.PartnerSupported;
        if (levelText.Length > 0 && !AcceptanceLevels.TryParse(levelText, out level))
            throw Invalid(source, $"unknown acceptance level '{levelText}'");
        var vendorEl = root.Elements().FirstOrDefault(e => Is(e, "vendor"));
        var vibList = root.Elements().FirstOrDefault(e => Is(e, "viblist"));
        return new ProfileDocument
        {
            RootName = root.Name.LocalName,
            Name = name,
            Creator = Text("creator"),
            Vendor = vendorEl?.Value.Trim(),
            Description = Text("description"),
            AcceptanceLevel = level,
            ReadOnly = ParseBool(Text("readonly")),
            CreationTime = ParseTime(Text("creationtime")),
            ModifiedTime = ParseTime(Text("modifiedtime")),
            ProfileId = NullIfEmpty(Text("profileid")),
            Vibs = ReadVibList(vibList, source),
            UnknownElements = root.Elements().Where(e => !Known.Any(k => Is(e, k))).Select(e => e.ToString(SaveOptions.DisableFormatting)).ToArray(),
        };
    }

    private static IReadOnlyList<ProfileVibEntry> ReadVibList(XElement vibList, string source)
    {
        var list = new List<ProfileVibEntry>();
        if (vibList == null) return list;
        foreach (var e in vibList.Elements())
        {
            if (Is(e, "vib"))
            {
                var idEl = e.Elements().FirstOrDefault(c => Is(c, "vib-id") || Is(c, "vibid") || Is(c, "id"));
                var id = (idEl?.Value ?? (e.HasElements ? "" : e.Value)).Trim();
                if (id.Length == 0) throw Invalid(source, "a <vib> in <viblist> has no <vib-id>");
                var payloads = e.Elements().Where(c => Is(c, "payloads")).SelectMany(p => p.Elements().Where(c => Is(c, "payload")))
                    .Select(p => new ProfilePayloadFile((p.Attributes().FirstOrDefault(a => a.Name.LocalName == "payload-name")?.Value ?? "").Trim(), p.Value.Trim()))
                    .ToArray();
                list.Add(new ProfileVibEntry { VibId = id, Payloads = payloads });
            }
            else if (Is(e, "vib-id") || Is(e, "vibid"))
            {
                var id = e.Value.Trim();
                if (id.Length > 0) list.Add(new ProfileVibEntry { VibId = id });
            }
        }
        return list;
    }

    /// <summary>
    /// Writes a profile in the IMGDB/metadata schema. <paramref name="payloadFiles"/> supplies the payload file
    /// names for IMGDB profiles (null: no <c>&lt;payloads&gt;</c>, as in metadata profiles). Unknown elements are re-emitted.
    /// </summary>
    public static XDocument Write(ImageProfile profile, Func<Vib, IReadOnlyList<ProfilePayloadFile>> payloadFiles = null)
    {
        if (profile == null) throw new ArgumentNullException(nameof(profile));
        var root = new XElement("imageprofile",
            new XElement("name", profile.Name ?? ""),
            // [K] <creator> carries ImageBuilder's Vendor (esximage's ImageProfile has no separate vendor field).
            new XElement("creator", string.IsNullOrEmpty(profile.Vendor) ? profile.Creator ?? "" : profile.Vendor),
            new XElement("creationtime", FormatTime(profile.CreationTime)),
            new XElement("modifiedtime", FormatTime(profile.ModifiedTime)),
            new XElement("description", profile.Description ?? ""),
            new XElement("acceptancelevel", AcceptanceLevels.ToCode(profile.AcceptanceLevel)),
            new XElement("readonly", profile.ReadOnly ? "true" : "false"));
        if (!string.IsNullOrEmpty(profile.ProfileId)) root.Add(new XElement("profileID", profile.ProfileId));
        var vibList = new XElement("viblist");
        foreach (var vib in profile.Packages)
        {
            var v = new XElement("vib", new XElement("vib-id", vib.Id));
            var files = payloadFiles?.Invoke(vib);
            if (files != null)
                v.Add(new XElement("payloads", files.Select(f => new XElement("payload", new XAttribute("payload-name", f.PayloadName), f.FileName))));
            vibList.Add(v);
        }
        root.Add(vibList);
        foreach (var u in profile.UnknownElements ?? Array.Empty<string>())
        {
            try { root.Add(XElement.Parse(u)); }
            catch (XmlException) { /* a caller-supplied fragment that is not XML is dropped rather than corrupting the document */ }
        }
        return new XDocument(root);
    }

    /// <summary>Writes the profile XML as UTF-8 (no BOM) to a stream.</summary>
    public static void WriteTo(Stream output, ImageProfile profile, Func<Vib, IReadOnlyList<ProfilePayloadFile>> payloadFiles = null)
    {
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false, OmitXmlDeclaration = false, CloseOutput = false };
        using var w = XmlWriter.Create(output, settings);
        Write(profile, payloadFiles).Save(w);
    }

    /// <summary>The time format esximage writes: <c>YYYY-MM-DDTHH:MM:SS.ffffff+00:00</c> (UTC).</summary>
    public static string FormatTime(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture);

    public static DateTimeOffset? ParseTime(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        return DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) ? d : (DateTimeOffset?)null;
    }

    private static bool ParseBool(string t) => t.Equals("true", StringComparison.OrdinalIgnoreCase) || t == "1";
    private static string NullIfEmpty(string s) => s.Length == 0 ? null : s;
    private static bool Is(XElement e, string localName) => string.Equals(e.Name.LocalName, localName, StringComparison.OrdinalIgnoreCase);
    private static EsxException Invalid(string source, string problem, Exception inner = null)
        => new EsxFormatException(ErrorCodes.ProfileInvalid, source, null, problem, inner);
}
