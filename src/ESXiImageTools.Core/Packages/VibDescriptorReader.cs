using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Internal;

namespace ESXiImageTools.Core.Packages;

/// <summary>
/// Reads a VIB descriptor (descriptor.xml, formats.md §2.2) into a <see cref="Vib"/>. Also reads the
/// depot form (metadata.zip <c>vibs/*.xml</c>, §1.7), whose extra <c>relative-path</c>,
/// <c>packed-size</c> and whole-file <c>checksum</c> may appear anywhere among the top-level elements.
/// Elements are matched by local name; unknown top-level elements are kept verbatim. Tolerated quirks
/// seen in real files: <c>&lt;compatbileWith/&gt;</c>, <c>&lt;cimon-restart&gt;</c>, release dates with a
/// space instead of 'T' and no zone (read as UTC), acceptance code <c>vmware</c>.
/// </summary>
public static class VibDescriptorReader
{
    /// <summary>Parses descriptor XML from a stream (bounded, DTD refused).</summary>
    /// <param name="xml">The descriptor bytes.</param>
    /// <param name="source">The file or URL, for messages and <see cref="Vib.Source"/>.</param>
    /// <param name="member">The part inside <paramref name="source"/> (e.g. <c>descriptor.xml</c>, <c>vibs/x.xml</c>), or null.</param>
    public static Vib Parse(Stream xml, string source, string member = null)
    {
        var doc = SafeXml.Load(xml, source, member, ErrorCodes.VibInvalidDescriptor);
        return FromElement(doc.Root, source, member);
    }

    /// <summary>Parses descriptor XML held in a string.</summary>
    public static Vib ParseString(string xml, string source, string member = null)
    {
        var doc = SafeXml.Parse(xml, source, member, ErrorCodes.VibInvalidDescriptor);
        return FromElement(doc.Root, source, member);
    }

    /// <summary>Reads a <c>&lt;vib&gt;</c> element (a descriptor root, or one embedded in a larger document).</summary>
    public static Vib FromElement(XElement vib, string source, string member = null)
    {
        var ctx = new Context(source, member);
        if (vib == null || vib.Name.LocalName != "vib")
            throw ctx.Error($"root element is <{vib?.Name.LocalName}>, expected <vib>");

        string type = null, name = null, vendor = null, summary = null, description = null;
        string relativePath = null, vibSha256 = null;
        VibVersion version = null;
        DateTimeOffset? releaseDate = null;
        long? packedSize = null;
        var urls = new List<VibUrl>();
        var depends = new List<Constraint>();
        var conflicts = new List<Constraint>();
        var replaces = new List<Constraint>();
        var provides = new List<Provide>();
        var compatible = new List<Constraint>();
        var tags = new List<string>();
        var hw = new List<HardwarePlatform>();
        var sw = new List<SoftwarePlatform>();
        var files = new List<string>();
        var payloads = new List<Payload>();
        var unknown = new List<string>();
        MaintenanceMode maintenance = null;
        AcceptanceLevel acceptance = AcceptanceLevel.CommunitySupported;
        bool liveInstall = false, liveRemove = false, cimom = false, stateless = false, overlay = false;

        foreach (var e in vib.Elements())
        {
            switch (e.Name.LocalName)
            {
                case "type": type = e.Value.Trim(); break;
                case "name": name = e.Value.Trim(); break;
                case "version": version = ParseVersion(e.Value, ctx, "version"); break;
                case "vendor": vendor = e.Value.Trim(); break;
                case "summary": summary = e.Value; break;
                case "description": description = e.Value; break;
                case "release-date": releaseDate = ParseDate(e.Value, ctx); break;
                case "urls":
                    foreach (var u in e.Elements().Where(x => x.Name.LocalName == "url"))
                        urls.Add(new VibUrl(Attr(u, "key"), u.Value.Trim()));
                    break;
                case "relationships": ReadRelationships(e, ctx, depends, conflicts, replaces, provides, compatible); break;
                case "software-tags":
                    foreach (var t in e.Elements().Where(x => x.Name.LocalName == "tag")) tags.Add(t.Value.Trim());
                    break;
                case "system-requires":
                    foreach (var r in e.Elements())
                    {
                        switch (r.Name.LocalName)
                        {
                            case "maintenance-mode": maintenance = ParseMaintenance(r, ctx); break;
                            case "hwplatform": hw.Add(new HardwarePlatform(Attr(r, "vendor"), Attr(r, "model"))); break;
                            case "softwarePlatform":
                            case "swplatform":
                                sw.Add(new SoftwarePlatform(Attr(r, "version"), Attr(r, "locale"), Attr(r, "productLineID")));
                                break;
                        }
                    }
                    break;
                case "file-list":
                    foreach (var f in e.Elements().Where(x => x.Name.LocalName == "file")) files.Add(f.Value.Trim());
                    break;
                case "acceptance-level":
                    if (!AcceptanceLevels.TryParse(e.Value, out acceptance))
                        throw ctx.Error($"unknown acceptance level '{e.Value.Trim()}' (expected certified, accepted, partner or community)");
                    break;
                case "live-install-allowed": liveInstall = ParseBool(e, ctx); break;
                case "live-remove-allowed": liveRemove = ParseBool(e, ctx); break;
                case "cimom-restart":
                case "cimon-restart": cimom = ParseBool(e, ctx); break;
                case "stateless-ready": stateless = ParseBool(e, ctx); break;
                case "overlay": overlay = ParseBool(e, ctx); break;
                case "payloads":
                    foreach (var p in e.Elements().Where(x => x.Name.LocalName == "payload")) payloads.Add(ParsePayload(p, ctx));
                    break;
                // Depot vibs/*.xml extras (formats.md §1.7).
                case "relative-path": relativePath = e.Value.Trim(); break;
                case "packed-size": packedSize = ParseLong(e.Value, ctx, "packed-size"); break;
                case "checksum" when string.Equals(Attr(e, "checksum-type").Trim(), "sha-256", StringComparison.OrdinalIgnoreCase):
                    vibSha256 = e.Value.Trim().ToLowerInvariant();
                    break;
                default:
                    unknown.Add(e.ToString(SaveOptions.DisableFormatting));
                    break;
            }
        }

        if (string.IsNullOrEmpty(name)) throw ctx.Error("descriptor has no <name>");
        if (version == null) throw ctx.Error($"descriptor of '{name}' has no <version>");
        if (string.IsNullOrEmpty(vendor)) throw ctx.Error($"descriptor of '{name}' has no <vendor>");
        var dup = payloads.GroupBy(p => p.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (dup != null) throw ctx.Error($"payload name '{dup.Key}' appears more than once");

        return new Vib
        {
            SchemaVersion = vib.Attribute("version")?.Value ?? "",
            Type = string.IsNullOrEmpty(type) ? "bootbank" : type,
            Name = name,
            Version = version,
            Vendor = vendor,
            Summary = summary ?? "",
            Description = description ?? "",
            ReleaseDate = releaseDate,
            Urls = urls,
            Depends = depends,
            Conflicts = conflicts,
            Replaces = replaces,
            Provides = provides,
            CompatibleWith = compatible,
            Tags = tags,
            MaintenanceMode = maintenance ?? new MaintenanceMode(true, true),
            HardwarePlatforms = hw,
            SoftwarePlatforms = sw,
            FileList = files,
            AcceptanceLevel = acceptance,
            LiveInstallAllowed = liveInstall,
            LiveRemoveAllowed = liveRemove,
            CimomRestart = cimom,
            StatelessReady = stateless,
            Overlay = overlay,
            Payloads = payloads,
            UnknownElements = unknown,
            RelativePath = relativePath,
            PackedSize = packedSize,
            VibSha256 = vibSha256,
            Source = source,
        };
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

    private static string Attr(XElement e, string name) => e.Attribute(name)?.Value ?? "";

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

    private static bool ParseBool(XElement e, Context ctx) => ParseBoolText(e.Value, ctx, e.Name.LocalName);

    private static bool ParseBoolText(string text, Context ctx, string what)
    {
        switch ((text ?? "").Trim().ToLowerInvariant())
        {
            case "true": case "1": case "yes": return true;
            case "false": case "0": case "no": case "": return false;
            default: throw ctx.Error($"<{what}> '{text.Trim()}' is not true or false");
        }
    }

    private static MaintenanceMode ParseMaintenance(XElement e, Context ctx)
    {
        // Element text sets both; install/remove attributes (also on-install/on-remove) override [K].
        bool both = e.Value.Trim().Length == 0 || ParseBoolText(e.Value, ctx, "maintenance-mode");
        bool install = both, remove = both;
        var ia = e.Attribute("install") ?? e.Attribute("on-install");
        var ra = e.Attribute("remove") ?? e.Attribute("on-remove");
        if (ia != null) install = ParseBoolText(ia.Value, ctx, "maintenance-mode install");
        if (ra != null) remove = ParseBoolText(ra.Value, ctx, "maintenance-mode remove");
        return new MaintenanceMode(install, remove);
    }

    private static void ReadRelationships(XElement rel, Context ctx, List<Constraint> depends, List<Constraint> conflicts,
        List<Constraint> replaces, List<Provide> provides, List<Constraint> compatible)
    {
        foreach (var group in rel.Elements())
        {
            List<Constraint> target = group.Name.LocalName switch
            {
                "depends" => depends,
                "conflicts" => conflicts,
                "replaces" => replaces,
                "compatibleWith" => compatible,
                "compatbileWith" => compatible, // misspelling seen in the corpus (esxcli-nsx-ext)
                _ => null,
            };
            if (group.Name.LocalName == "provides")
            {
                foreach (var p in group.Elements().Where(x => x.Name.LocalName == "provide"))
                {
                    var pname = Attr(p, "name").Trim();
                    if (pname.Length == 0) throw ctx.Error("<provide> has no name");
                    var pver = Attr(p, "version").Trim();
                    provides.Add(new Provide(pname, pver.Length == 0 ? null : ParseVersion(pver, ctx, "provide version")));
                }
            }
            else if (target != null)
            {
                foreach (var c in group.Elements().Where(x => x.Name.LocalName == "constraint"))
                    target.Add(ParseConstraint(c, group.Name.LocalName, ctx));
            }
        }
    }

    private static Constraint ParseConstraint(XElement c, string group, Context ctx)
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

    private static Payload ParsePayload(XElement p, Context ctx)
    {
        var pname = Attr(p, "name").Trim();
        if (pname.Length == 0) throw ctx.Error("a <payload> has no name");
        var sizeText = p.Attribute("size")?.Value;
        // Real descriptors hyphenate (boot-order, vfat-name: ../shared/corpus/esximg-700); older tools did not.
        var boot = (p.Attribute("boot-order") ?? p.Attribute("bootorder"))?.Value;
        var install = (p.Attribute("installsize") ?? p.Attribute("install-size"))?.Value;
        var vfat = (p.Attribute("vfat-name") ?? p.Attribute("vfatname"))?.Value;
        var unknownAttributes = p.Attributes().Where(a => !a.IsNamespaceDeclaration && !KnownPayloadAttributes.Contains(a.Name.LocalName))
            .Select(a => new KeyValuePair<string, string>(a.Name.LocalName, a.Value)).ToList();
        var sums = p.Elements().Where(x => x.Name.LocalName == "checksum")
            .Select(c => new PayloadChecksum(Attr(c, "checksum-type"), Attr(c, "verify-process"), c.Value))
            .ToList();
        foreach (var s in sums)
            if (s.Algorithm.Length == 0 || s.Value.Length == 0)
                throw ctx.Error($"payload '{pname}' has a checksum without type or value");
        return new Payload
        {
            Name = pname,
            Type = Attr(p, "type").Trim(),
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
