using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.IO;

namespace ESXiImageTools.Core.Components;

/// <summary>One <c>components</c> entry of a software spec: a component name and its version (null: the newest the depots offer).</summary>
public sealed record SoftwareSpecComponent(string Name, string Version)
{
    public override string ToString() => Version == null ? Name : $"{Name}:{Version}";
}

/// <summary>
/// VMware's software specification (vSphere Lifecycle Manager, PowerCLI New-IsoImage -SoftwareSpec, esxcli software
/// apply -s), read as VMware writes it — the vSphere Automation API's <c>Settings_SoftwareSpec</c>:
/// <code>
/// { "base_image": { "version": "7.0.2-0.0.17867351" },
///   "add_on": { "name": "testaddonv1", "version": "1.0.0-1" },
///   "components": { "Intel-i40en": "1.12.3.0-1OEM.700.1.0.15843807" },
///   "removed_components": [ "VMware-vmkusb" ] }
/// </code>
/// A component version of null means "the version the depots offer" (the API picks it from constraints; here: the
/// newest). <c>solutions</c>, <c>hardware_support</c> and <c>alternative_images</c> are recognised but must be empty.
/// </summary>
public sealed record SoftwareSpec
{
    /// <summary>Spec files larger than this are refused (they are a few lines by nature).</summary>
    public const int MaxFileBytes = 1024 * 1024;

    private static readonly string[] KnownMembers =
        { "base_image", "add_on", "components", "removed_components", "solutions", "hardware_support", "alternative_images" };

    /// <summary><c>base_image.version</c>: the version of the base image (its <c>ESXi</c> component's version).</summary>
    public string BaseImageVersion { get; init; }
    /// <summary><c>add_on.name</c>, or null.</summary>
    public string AddonName { get; init; }
    /// <summary><c>add_on.version</c>, or null.</summary>
    public string AddonVersion { get; init; }
    /// <summary><c>components</c>, in file order.</summary>
    public IReadOnlyList<SoftwareSpecComponent> Components { get; init; } = Array.Empty<SoftwareSpecComponent>();
    /// <summary><c>removed_components</c>: component names to take out of the base image (and add-on).</summary>
    public IReadOnlyList<string> RemovedComponents { get; init; } = Array.Empty<string>();
    /// <summary>The file it was read from (for messages), or a description.</summary>
    public string Source { get; init; }

    /// <summary>Reads a spec file; malformed content is <see cref="ErrorCodes.SoftwareSpecInvalid"/> naming the file.</summary>
    public static SoftwareSpec Load(string path)
    {
        if (path == null) throw new ArgumentNullException(nameof(path));
        IO.FileKind.RequireFileOrFolder(path, ErrorCodes.SoftwareSpecInvalid);
        if (!File.Exists(path))
            throw new EsxException(ErrorCodes.FileNotFound, EsxErrorCategory.ObjectNotFound, $"{path}: software spec not found", path);
        FileStream s;
        try { s = File.OpenRead(path); }
        catch (UnauthorizedAccessException e) { throw Invalid(path, "cannot be read (permission denied)", e); }
        using (s) return Read(s, path);
    }

    /// <summary>Parses a spec from JSON text.</summary>
    public static SoftwareSpec Parse(string json, string source = null)
    {
        using var ms = new MemoryStream(new System.Text.UTF8Encoding(false).GetBytes(json ?? ""));
        return Read(ms, source ?? "software spec");
    }

    /// <summary>Reads and checks a spec from a stream; <paramref name="source"/> names it in errors.</summary>
    public static SoftwareSpec Read(Stream stream, string source)
    {
        if (stream == null) throw new ArgumentNullException(nameof(stream));
        source ??= "software spec";
        var root = BoundedJson.Load(BoundedJson.ReadBounded(stream, MaxFileBytes, p => Invalid(source, p)), MaxFileBytes, (p, e) => Invalid(source, p, e));
        if (BoundedJson.TypeOf(root) != "object") throw Invalid(source, "the top level must be a JSON object");
        var members = new Dictionary<string, XElement>(StringComparer.Ordinal);
        foreach (var e in root.Elements())
        {
            var name = BoundedJson.MemberName(e);
            if (!KnownMembers.Contains(name))
                throw Invalid(source, $"unknown member '{name}' (a VMware software spec has: {string.Join(", ", KnownMembers)})");
            if (members.ContainsKey(name)) throw Invalid(source, $"member '{name}' appears twice");
            members[name] = e;
        }

        if (!members.TryGetValue("base_image", out var baseImage) || BoundedJson.TypeOf(baseImage) == "null")
            throw Invalid(source, "'base_image' is required (\"base_image\": { \"version\": \"...\" })");
        var baseVersion = RequiredString(Member(baseImage, "base_image", source, "version"), "base_image.version", source);
        Only(baseImage, "base_image", source, "version");

        string addonName = null, addonVersion = null;
        if (members.TryGetValue("add_on", out var addon) && BoundedJson.TypeOf(addon) != "null")
        {
            addonName = RequiredString(Member(addon, "add_on", source, "name"), "add_on.name", source);
            addonVersion = RequiredString(Member(addon, "add_on", source, "version"), "add_on.version", source);
            Only(addon, "add_on", source, "name", "version");
        }

        var components = new List<SoftwareSpecComponent>();
        if (members.TryGetValue("components", out var comps) && BoundedJson.TypeOf(comps) != "null")
        {
            if (BoundedJson.TypeOf(comps) != "object") throw Invalid(source, "'components' must be an object of component name to version");
            foreach (var c in comps.Elements())
            {
                var name = BoundedJson.MemberName(c);
                if (string.IsNullOrWhiteSpace(name)) throw Invalid(source, "'components' has an empty component name");
                if (components.Any(x => x.Name == name)) throw Invalid(source, $"'components' names '{name}' twice");
                var type = BoundedJson.TypeOf(c);
                if (type == "null") { components.Add(new SoftwareSpecComponent(name, null)); continue; }
                if (type != "string" || c.Value.Trim().Length == 0)
                    throw Invalid(source, $"'components.{name}' must be a version string (or null for the newest)");
                components.Add(new SoftwareSpecComponent(name, c.Value.Trim()));
            }
        }

        var removed = new List<string>();
        if (members.TryGetValue("removed_components", out var rem) && BoundedJson.TypeOf(rem) != "null")
        {
            if (BoundedJson.TypeOf(rem) != "array") throw Invalid(source, "'removed_components' must be an array of component names");
            foreach (var r in rem.Elements())
            {
                if (BoundedJson.TypeOf(r) != "string" || r.Value.Trim().Length == 0) throw Invalid(source, "'removed_components' holds a value that is not a component name");
                removed.Add(r.Value.Trim());
            }
            var both = removed.Intersect(components.Select(c => c.Name), StringComparer.Ordinal).FirstOrDefault();
            if (both != null) throw Invalid(source, $"component '{both}' is both in 'components' and in 'removed_components'");
        }

        foreach (var unsupported in new[] { "solutions", "hardware_support", "alternative_images" })
            if (members.TryGetValue(unsupported, out var u) && u.HasElements)
                throw Invalid(source, $"'{unsupported}' is not supported by this version (solutions and hardware support packages need vCenter); remove it or leave it empty");

        return new SoftwareSpec
        {
            BaseImageVersion = baseVersion,
            AddonName = addonName,
            AddonVersion = addonVersion,
            Components = components,
            RemovedComponents = removed,
            Source = source,
        };
    }

    /// <summary>
    /// Whether a JSON file is a VMware software spec (its top level names <c>base_image</c>) rather than this project's
    /// profile spec. Reads at most <see cref="MaxFileBytes"/>; an unreadable file answers false (the profile spec reader
    /// then reports it), a malformed one that names <c>base_image</c> true (the software spec reader reports it).
    /// </summary>
    public static bool IsSoftwareSpec(string path)
    {
        if (IO.FileKind.OfTarget(path) != IO.FileKindType.Regular) return false; // the profile spec reader reports it
        byte[] bytes;
        try
        {
            using var s = File.OpenRead(path);
            bytes = BoundedJson.ReadBounded(s, MaxFileBytes, p => new InvalidDataException(p));
        }
        catch (Exception e) when (e is InvalidDataException || e is IOException || e is UnauthorizedAccessException)
        {
            return false;
        }
        try
        {
            var root = BoundedJson.Load(bytes, MaxFileBytes, (p, e) => new InvalidDataException(p, e));
            return root.Elements().Any(e => BoundedJson.MemberName(e) == "base_image");
        }
        catch (InvalidDataException)
        {
            // Malformed: a file naming "base_image" is meant as a VMware spec, whose reader then says what is wrong.
            return System.Text.Encoding.UTF8.GetString(bytes).Contains("\"base_image\"");
        }
    }

    /// <summary>Writes the spec in VMware's format (indented JSON, UTF-8 without BOM, as New-IsoImage wants it).</summary>
    public string ToJson()
    {
        static string Q(string s) => s == null ? "null" : "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
        var sb = new System.Text.StringBuilder();
        sb.Append("{\n  \"base_image\": { \"version\": ").Append(Q(BaseImageVersion)).Append(" }");
        if (AddonName != null) sb.Append(",\n  \"add_on\": { \"name\": ").Append(Q(AddonName)).Append(", \"version\": ").Append(Q(AddonVersion)).Append(" }");
        sb.Append(",\n  \"components\": {");
        sb.Append(string.Join(",", Components.Select(c => "\n    " + Q(c.Name) + ": " + Q(c.Version))));
        sb.Append(Components.Count > 0 ? "\n  }" : "}");
        if (RemovedComponents.Count > 0) sb.Append(",\n  \"removed_components\": [").Append(string.Join(", ", RemovedComponents.Select(Q))).Append("]");
        return sb.Append("\n}\n").ToString();
    }

    private static XElement Member(XElement parent, string parentName, string source, string name)
    {
        if (BoundedJson.TypeOf(parent) != "object") throw Invalid(source, $"'{parentName}' must be an object");
        return parent.Elements().FirstOrDefault(e => BoundedJson.MemberName(e) == name);
    }

    private static void Only(XElement parent, string parentName, string source, params string[] allowed)
    {
        var extra = parent.Elements().Select(BoundedJson.MemberName).FirstOrDefault(n => !allowed.Contains(n));
        if (extra != null) throw Invalid(source, $"unknown member '{parentName}.{extra}' (expected {string.Join(", ", allowed)})");
    }

    private static string RequiredString(XElement e, string name, string source)
    {
        if (e == null || BoundedJson.TypeOf(e) != "string" || e.Value.Trim().Length == 0)
            throw Invalid(source, $"'{name}' is required and must be a non-empty string");
        return e.Value.Trim();
    }

    private static EsxException Invalid(string source, string problem, Exception inner = null)
        => new EsxFormatException(ErrorCodes.SoftwareSpecInvalid, source, null, problem, inner);
}
