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

namespace ESXiImageTools.Core.Packages;

/// <summary>
/// Reads a VIB descriptor (descriptor.xml) into a <see cref="Vib"/>. Also reads the
/// depot form (metadata.zip <c>vibs/*.xml</c>), whose extra <c>relative-path</c>,
/// <c>packed-size</c> and whole-file <c>checksum</c> may appear anywhere among the top-level elements.
/// The XML is read once, as a stream (no tree), since a metadata zip may hold 10,000 descriptors.
/// Elements are matched by local name; unknown top-level elements are kept verbatim. Tolerated quirks
/// seen in real files: <c>&lt;compatbileWith/&gt;</c>, <c>&lt;cimon-restart&gt;</c>, release dates with a
/// space instead of 'T' and no zone (read as UTC), acceptance code <c>vmware</c>.
/// </summary>
public static class VibDescriptorReader
{
    /// <summary>Parses descriptor XML from a stream (bounded, DTD refused), reading it once without building a tree.</summary>
    /// <param name="xml">The descriptor bytes.</param>
    /// <param name="source">The file or URL, for messages and <see cref="Vib.Source"/>.</param>
    /// <param name="member">The part inside <paramref name="source"/> (e.g. <c>descriptor.xml</c>, <c>vibs/x.xml</c>), or null.</param>
    public static Vib Parse(Stream xml, string source, string member = null) => Parse(xml, source, member, null);

    /// <summary>
    /// Parses descriptor XML from a stream with a name table shared across many descriptors (a metadata zip's
    /// vibs/*.xml), so element and attribute names are not allocated again for each one.
    /// </summary>
    public static Vib Parse(Stream xml, string source, string member, XmlNameTable nameTable)
        => SafeXml.Read(xml, source, member, ErrorCodes.VibInvalidDescriptor, reader =>
        {
            reader.MoveToContent();
            var vib = ReadVib(reader, new Context(source, member));
            while (reader.Read()) { } // the rest of the document must be well-formed too
            return vib;
        }, SafeXml.DefaultMaxBytes, nameTable);

    /// <summary>Parses descriptor XML held in a string.</summary>
    public static Vib ParseString(string xml, string source, string member = null)
    {
        using var ms = new MemoryStream(new UTF8Encoding(false).GetBytes(xml ?? ""));
        return Parse(ms, source, member);
    }

    /// <summary>Reads a <c>&lt;vib&gt;</c> element (a descriptor root, or one embedded in a larger document).</summary>
    public static Vib FromElement(XElement vib, string source, string member = null)
    {
        var ctx = new Context(source, member);
        if (vib == null) throw ctx.Error("root element is <>, expected <vib>");
        using var reader = vib.CreateReader();
        reader.MoveToContent();
        return ReadVib(reader, ctx);
    }

    // The reader is on the <vib> start tag; leaves it after the end tag.
    private static Vib ReadVib(XmlReader r, Context ctx)
    {
        if (r.NodeType != XmlNodeType.Element || r.LocalName != "vib")
            throw ctx.Error($"root element is <{r.LocalName}>, expected <vib>");

        var fields = new DescriptorFields(r.GetAttribute("version") ?? "");
        int depth = r.Depth;
        if (EnterChildren(r))
            while (NextChild(r, depth))
                ReadTopLevelElement(r, ctx, fields);
        CheckRequiredFields(fields, ctx);
        return fields.ToVib(ctx.Source);
    }

    // Every case consumes its element whole (Text, Skip, ReadFrom or a child loop), so the caller's loop always
    // resumes at the next sibling.
    private static void ReadTopLevelElement(XmlReader r, Context ctx, DescriptorFields f)
    {
        switch (r.LocalName)
        {
            case "type": f.Type = Text(r).Trim(); break;
            case "name": f.Name = Text(r).Trim(); break;
            case "version": f.Version = ParseVersion(Text(r), ctx, "version"); break;
            case "vendor": f.Vendor = Text(r).Trim(); break;
            case "summary": f.Summary = Text(r); break;
            case "description": f.Description = Text(r); break;
            case "release-date": f.ReleaseDate = ParseDate(Text(r), ctx); break;
            case "urls": ForEachChild(r, "url", u => f.Urls.Add(ParseUrl(u))); break;
            case "relationships": ReadRelationships(r, ctx, f.Depends, f.Conflicts, f.Replaces, f.Provides, f.Compatible); break;
            case "software-tags": ForEachChild(r, "tag", t => f.Tags.Add(Text(t).Trim())); break;
            case "system-requires": ReadSystemRequires(r, ctx, f); break;
            case "file-list": ForEachChild(r, "file", e => f.Files.Add(Text(e).Trim())); break;
            case "acceptance-level": f.Acceptance = ParseAcceptanceLevel(Text(r), ctx); break;
            case "live-install-allowed": f.LiveInstall = ParseBool(r, ctx); break;
            case "live-remove-allowed": f.LiveRemove = ParseBool(r, ctx); break;
            case "cimom-restart":
            case "cimon-restart": f.CimomRestart = ParseBool(r, ctx); break;
            case "stateless-ready": f.StatelessReady = ParseBool(r, ctx); break;
            case "overlay": f.Overlay = ParseBool(r, ctx); break;
            case "payloads": ForEachChild(r, "payload", p => f.Payloads.Add(ParsePayload(p, ctx))); break;
            // The depot form's extras (metadata.zip vibs/*.xml).
            case "relative-path": f.RelativePath = Text(r).Trim(); break;
            case "packed-size": f.PackedSize = ParseLong(Text(r), ctx, "packed-size"); break;
            case "checksum" when string.Equals(Attr(r, "checksum-type").Trim(), "sha-256", StringComparison.OrdinalIgnoreCase):
                f.VibSha256 = Text(r).Trim().ToLowerInvariant();
                break;
            default:
                // Kept verbatim so a round trip loses nothing this reader does not understand.
                f.Unknown.Add(((XElement)XNode.ReadFrom(r)).ToString(SaveOptions.DisableFormatting));
                break;
        }
    }

    // On a <url> start tag; consumes the element (the key attribute is read before the text moves past it).
    private static VibUrl ParseUrl(XmlReader u)
    {
        var key = Attr(u, "key");
        return new VibUrl(key, Text(u).Trim());
    }

    private static AcceptanceLevel ParseAcceptanceLevel(string text, Context ctx)
    {
        if (AcceptanceLevels.TryParse(text, out var level)) return level;
        throw ctx.Error($"unknown acceptance level '{text.Trim()}' (expected certified, accepted, partner or community)");
    }

    // On a <system-requires> start tag; consumes the element.
    private static void ReadSystemRequires(XmlReader r, Context ctx, DescriptorFields f)
    {
        int depth = r.Depth;
        if (!EnterChildren(r)) return;
        while (NextChild(r, depth))
        {
            switch (r.LocalName)
            {
                case "maintenance-mode": f.Maintenance = ParseMaintenance(r, ctx); break;
                case "hwplatform": f.HardwarePlatforms.Add(new HardwarePlatform(Attr(r, "vendor"), Attr(r, "model"))); r.Skip(); break;
                case "softwarePlatform":
                case "swplatform":
                    f.SoftwarePlatforms.Add(new SoftwarePlatform(Attr(r, "version"), Attr(r, "locale"), Attr(r, "productLineID")));
                    r.Skip();
                    break;
                default: r.Skip(); break;
            }
        }
    }

    private static void CheckRequiredFields(DescriptorFields f, Context ctx)
    {
        if (string.IsNullOrEmpty(f.Name)) throw ctx.Error("descriptor has no <name>");
        if (f.Version == null) throw ctx.Error($"descriptor of '{f.Name}' has no <version>");
        if (string.IsNullOrEmpty(f.Vendor)) throw ctx.Error($"descriptor of '{f.Name}' has no <vendor>");
        // Name and vendor become file and folder names (the VIB id, a bundle's vib20/<name>/, IMGDB.TGZ): a separator,
        // a control character or a bare ".." would let a package name a path outside its folder.
        RequireNameSafe(f.Name, "<name>", ctx);
        RequireNameSafe(f.Vendor, "<vendor>", ctx);
        var dup = f.Payloads.GroupBy(p => p.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (dup != null) throw ctx.Error($"payload name '{dup.Key}' appears more than once");
    }

    private static void RequireNameSafe(string value, string element, Context ctx)
    {
        if (value == "." || value == ".." || value.Any(ch => ch == '/' || ch == '\\' || char.IsControl(ch)))
            throw ctx.Error($"{element} '{MessageText.Escape(value)}' holds a path separator, a control character or is '.' or '..'");
    }

    // What the single pass over a descriptor has read so far; Vib itself is immutable.
    private sealed class DescriptorFields
    {
        public DescriptorFields(string schemaVersion) => SchemaVersion = schemaVersion;

        public string SchemaVersion { get; }
        public string Type, Name, Vendor, Summary, Description, RelativePath, VibSha256;
        public VibVersion Version;
        public DateTimeOffset? ReleaseDate;
        public long? PackedSize;
        public MaintenanceMode Maintenance;
        public AcceptanceLevel Acceptance = AcceptanceLevel.CommunitySupported;
        public bool LiveInstall, LiveRemove, CimomRestart, StatelessReady, Overlay;
        public readonly List<VibUrl> Urls = new();
        public readonly List<Constraint> Depends = new(), Conflicts = new(), Replaces = new(), Compatible = new();
        public readonly List<Provide> Provides = new();
        public readonly List<string> Tags = new(), Files = new(), Unknown = new();
        public readonly List<HardwarePlatform> HardwarePlatforms = new();
        public readonly List<SoftwarePlatform> SoftwarePlatforms = new();
        public readonly List<Payload> Payloads = new();

        // Defaults for what the descriptor left out: type bootbank, maintenance mode on install and remove.
        public Vib ToVib(string source) => new Vib
        {
            SchemaVersion = SchemaVersion,
            Type = string.IsNullOrEmpty(Type) ? "bootbank" : Type,
            Name = Name,
            Version = Version,
            Vendor = Vendor,
            Summary = Summary ?? "",
            Description = Description ?? "",
            ReleaseDate = ReleaseDate,
            Urls = Urls,
            Depends = Depends,
            Conflicts = Conflicts,
            Replaces = Replaces,
            Provides = Provides,
            CompatibleWith = Compatible,
            Tags = Tags,
            MaintenanceMode = Maintenance ?? new MaintenanceMode(true, true),
            HardwarePlatforms = HardwarePlatforms,
            SoftwarePlatforms = SoftwarePlatforms,
            FileList = Files,
            AcceptanceLevel = Acceptance,
            LiveInstallAllowed = LiveInstall,
            LiveRemoveAllowed = LiveRemove,
            CimomRestart = CimomRestart,
            StatelessReady = StatelessReady,
            Overlay = Overlay,
            Payloads = Payloads,
            UnknownElements = Unknown,
            RelativePath = RelativePath,
            PackedSize = PackedSize,
            VibSha256 = VibSha256,
            Source = source,
        };
    }

    // On a start tag: moves inside it and returns true, or past it (an empty element) and returns false.
    private static bool EnterChildren(XmlReader r)
    {
        if (r.IsEmptyElement)
        {
            r.Read();
            return false;
        }
        r.Read();
        return true;
    }

    // Inside the element at parentDepth: moves to its next child element (true), or past its end tag (false).
    private static bool NextChild(XmlReader r, int parentDepth)
    {
        while (true)
        {
            if (r.NodeType == XmlNodeType.Element && r.Depth == parentDepth + 1) return true;
            if (r.NodeType == XmlNodeType.EndElement && r.Depth == parentDepth)
            {
                r.Read();
                return false;
            }
            if (!r.Read()) throw new XmlException("unexpected end of the document");
        }
    }

    // Calls read (which must consume the element) for each child element named localName; skips the others.
    private static void ForEachChild(XmlReader r, string localName, Action<XmlReader> read)
    {
        int depth = r.Depth;
        if (!EnterChildren(r)) return;
        while (NextChild(r, depth))
        {
            if (r.LocalName == localName) read(r);
            else r.Skip();
        }
    }

    // The element's text as XElement.Value gives it (every descendant text node, in order); consumes the element.
    private static string Text(XmlReader r)
    {
        if (r.IsEmptyElement)
        {
            r.Read();
            return "";
        }
        int depth = r.Depth;
        string first = null;
        StringBuilder more = null;
        while (r.Read())
        {
            switch (r.NodeType)
            {
                case XmlNodeType.Text:
                case XmlNodeType.CDATA:
                case XmlNodeType.Whitespace:
                case XmlNodeType.SignificantWhitespace:
                    if (first == null) first = r.Value;
                    else (more ??= new StringBuilder(first)).Append(r.Value);
                    break;
                case XmlNodeType.EndElement when r.Depth == depth:
                    r.Read();
                    return more?.ToString() ?? first ?? "";
            }
        }
        throw new XmlException("unexpected end of the document");
    }

    /// <summary>Parses a release date: ISO 8601 with or without fraction and zone, 'T' or a space; no zone means UTC.</summary>
    public static bool TryParseDate(string text, out DateTimeOffset value)
        => DateTimeOffset.TryParse((text ?? "").Trim(), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out value);

    private sealed class Context
    {
        public Context(string source, string member)
        {
            Source = source;
            Member = member;
        }

        public string Source { get; }
        public string Member { get; }

        public EsxFormatException Error(string problem, Exception inner = null)
            => new EsxFormatException(ErrorCodes.VibInvalidDescriptor, Source, Member, problem, inner);
    }

    private static string Attr(XmlReader r, string name) => r.GetAttribute(name) ?? "";

    private static DateTimeOffset? ParseDate(string text, Context ctx)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (TryParseDate(text, out var d)) return d;
        throw ctx.Error($"<release-date> '{text.Trim()}' is not a date");
    }

    private static VibVersion ParseVersion(string text, Context ctx, string what)
    {
        if (VibVersion.TryParse(text, out var v)) return v;
        throw ctx.Error($"<{what}> '{(text ?? "").Trim()}' is not a VIB version");
    }

    private static long ParseLong(string text, Context ctx, string what)
    {
        if (long.TryParse((text ?? "").Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return n;
        throw ctx.Error($"{what} '{(text ?? "").Trim()}' is not a non-negative integer");
    }

    private static bool ParseBool(XmlReader r, Context ctx)
    {
        var what = r.LocalName;
        return ParseBoolText(Text(r), ctx, what);
    }

    private static bool ParseBoolText(string text, Context ctx, string what)
    {
        switch ((text ?? "").Trim().ToLowerInvariant())
        {
            case "true": case "1": case "yes": return true;
            case "false": case "0": case "no": case "": return false;
            default: throw ctx.Error($"<{what}> '{text.Trim()}' is not true or false");
        }
    }

    private static MaintenanceMode ParseMaintenance(XmlReader r, Context ctx)
    {
        // Element text sets both; install/remove attributes (also on-install/on-remove) override [K].
        var ia = r.GetAttribute("install") ?? r.GetAttribute("on-install");
        var ra = r.GetAttribute("remove") ?? r.GetAttribute("on-remove");
        var text = Text(r);
        bool both = text.Trim().Length == 0 || ParseBoolText(text, ctx, "maintenance-mode");
        bool install = both, remove = both;
        if (ia != null) install = ParseBoolText(ia, ctx, "maintenance-mode install");
        if (ra != null) remove = ParseBoolText(ra, ctx, "maintenance-mode remove");
        return new MaintenanceMode(install, remove);
    }

    private static void ReadRelationships(XmlReader r, Context ctx, List<Constraint> depends, List<Constraint> conflicts,
        List<Constraint> replaces, List<Provide> provides, List<Constraint> compatible)
    {
        int depth = r.Depth;
        if (!EnterChildren(r)) return;
        while (NextChild(r, depth))
        {
            var group = r.LocalName;
            List<Constraint> target = group switch
            {
                "depends" => depends,
                "conflicts" => conflicts,
                "replaces" => replaces,
                "compatibleWith" => compatible,
                "compatbileWith" => compatible, // misspelling seen in the corpus (esxcli-nsx-ext)
                _ => null,
            };
            if (group == "provides")
            {
                ForEachChild(r, "provide", p =>
                {
                    var pname = Attr(p, "name").Trim();
                    if (pname.Length == 0) throw ctx.Error("<provide> has no name");
                    var pver = Attr(p, "version").Trim();
                    provides.Add(new Provide(pname, pver.Length == 0 ? null : ParseVersion(pver, ctx, "provide version")));
                    p.Skip();
                });
            }
            else if (target != null)
            {
                ForEachChild(r, "constraint", c =>
                {
                    target.Add(ParseConstraint(c, group, ctx));
                    c.Skip();
                });
            }
            else r.Skip();
        }
    }

    private static Constraint ParseConstraint(XmlReader c, string group, Context ctx)
    {
        var cname = Attr(c, "name").Trim();
        var rtext = Attr(c, "relation").Trim();
        var vtext = Attr(c, "version").Trim();
        if (cname.Length == 0) throw ctx.Error($"a <constraint> in <{group}> has no name");
        VersionRelation relation;
        try { relation = Constraint.ParseRelation(rtext, ctx.Source); }
        catch (EsxException e) { throw ctx.Error($"constraint '{cname}' in <{group}>: unknown relation '{rtext}'", e); }
        if (relation == VersionRelation.Any && vtext.Length == 0) return new Constraint(cname);
        if (relation == VersionRelation.Any) throw ctx.Error($"constraint '{cname}' in <{group}> has a version but no relation");
        if (vtext.Length == 0) throw ctx.Error($"constraint '{cname}' in <{group}> has relation '{rtext}' but no version");
        return new Constraint(cname, relation, ParseVersion(vtext, ctx, "constraint version"));
    }

    private static readonly HashSet<string> KnownPayloadAttributes = new(StringComparer.Ordinal)
        { "name", "type", "size", "boot-order", "bootorder", "vfat-name", "vfatname", "installsize", "install-size" };

    private const string XmlnsNamespace = "http://www.w3.org/2000/xmlns/";

    // On a <payload> start tag; consumes the element.
    private static Payload ParsePayload(XmlReader p, Context ctx)
    {
        var pname = Attr(p, "name").Trim();
        if (pname.Length == 0) throw ctx.Error("a <payload> has no name");
        var type = Attr(p, "type").Trim();
        var sizeText = p.GetAttribute("size");
        // Real descriptors hyphenate (boot-order, vfat-name; docs/formats-notes.md); older tools did not.
        var boot = p.GetAttribute("boot-order") ?? p.GetAttribute("bootorder");
        var install = p.GetAttribute("installsize") ?? p.GetAttribute("install-size");
        var vfat = p.GetAttribute("vfat-name") ?? p.GetAttribute("vfatname");
        var unknownAttributes = new List<KeyValuePair<string, string>>();
        if (p.MoveToFirstAttribute())
        {
            do
            {
                if (p.NamespaceURI != XmlnsNamespace && !KnownPayloadAttributes.Contains(p.LocalName))
                    unknownAttributes.Add(new KeyValuePair<string, string>(p.LocalName, p.Value));
            }
            while (p.MoveToNextAttribute());
            p.MoveToElement();
        }
        var sums = new List<PayloadChecksum>();
        ForEachChild(p, "checksum", c =>
        {
            var algorithm = Attr(c, "checksum-type");
            var verify = Attr(c, "verify-process");
            sums.Add(new PayloadChecksum(algorithm, verify, Text(c)));
        });
        foreach (var s in sums)
            if (s.Algorithm.Length == 0 || s.Value.Length == 0)
                throw ctx.Error($"payload '{pname}' has a checksum without type or value");
        return new Payload
        {
            Name = pname,
            Type = type,
            // A descriptor template may omit size; -1 = not declared (VibFile fills it from the member).
            Size = sizeText == null ? -1 : ParseLong(sizeText, ctx, $"payload '{pname}' size"),
            Checksums = sums,
            BootOrder = boot == null ? (int?)null : (int)ParseLong(boot, ctx, $"payload '{pname}' bootorder"),
            VfatName = string.IsNullOrEmpty(vfat) ? null : vfat.Trim(),
            InstallSize = install == null ? (long?)null : ParseLong(install, ctx, $"payload '{pname}' installsize"),
            UnknownAttributes = unknownAttributes,
        };
    }
}
