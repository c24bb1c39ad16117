using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Xml.Linq;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.IO;

namespace ESXiImageTools.Core.Components;

/// <summary>
/// A vendor add-on (OEM customization) read from its release-unit document (<c>addons/</c> in depot metadata):
/// what VMware's Get-DepotAddons shows (Name, Version, ID, Vendor, Release date) and the
/// components it adds and removes. The member names are those of VMware's own JSON schema for add-on documents
/// (<c>json_schemas/1.0/addon.json</c> in the VMware.ImageBuilder module; docs/formats-notes.md, "Release units").
/// </summary>
public sealed record Addon
{
    /// <summary>The add-on's release id (<c>releaseID</c>), e.g. <c>DEL-ESXi-702_A00:7.0.2-A00</c>; the document's file name when it has none.</summary>
    public string Id { get; init; }
    /// <summary>The add-on name (<c>nameSpec.name</c>) a software spec's <c>add_on.name</c> names.</summary>
    public string Name { get; init; }
    /// <summary>The display name (<c>nameSpec.uiString</c>), or <see cref="Name"/>.</summary>
    public string UiName { get; init; }
    /// <summary>The add-on version (<c>versionSpec.version</c>) a software spec's <c>add_on.version</c> names.</summary>
    public string Version { get; init; }
    /// <summary>The display version (<c>versionSpec.uiString</c>), or <see cref="Version"/>.</summary>
    public string UiVersion { get; init; }
    public string Vendor { get; init; } = "";
    public string Summary { get; init; } = "";
    public string Description { get; init; } = "";
    /// <summary><c>category</c>: <c>enhancement</c>, <c>security</c> or <c>bugfix</c> in schema 1.0; "" when absent.</summary>
    public string Category { get; init; } = "";
    /// <summary><c>acceptanceLevel</c> as the document spells it (e.g. <c>partner</c>); "" when absent.</summary>
    public string AcceptanceLevel { get; init; } = "";
    /// <summary><c>docURL</c>, often empty.</summary>
    public string DocUrl { get; init; } = "";
    /// <summary><c>schemaVersion</c> of the document, e.g. <c>1.0</c>; "" when absent.</summary>
    public string SchemaVersion { get; init; } = "";
    /// <summary>The release date, or null when the document gives none.</summary>
    public DateTimeOffset? ReleaseDate { get; init; }
    /// <summary>Components the add-on adds: name to version.</summary>
    public IReadOnlyDictionary<string, string> Components { get; init; } = new Dictionary<string, string>();
    /// <summary>Names of the base image's components the add-on removes.</summary>
    public IReadOnlyList<string> RemovedComponents { get; init; } = Array.Empty<string>();
    /// <summary>Base image versions the add-on declares it supports (<c>supportedBaseImageVersions</c>).</summary>
    public IReadOnlyList<string> SupportedBaseImageVersions { get; init; } = Array.Empty<string>();
    /// <summary>The document it was read from.</summary>
    public ReleaseUnit Document { get; init; }

    public override string ToString() => Id;
}

/// <summary>
/// Reads add-on release-unit documents (JSON) with the bounded JSON reader. Required: the
/// <c>nameSpec.name</c> and <c>versionSpec.version</c> strings, and a <c>releaseType</c>, when present, of
/// <c>addon</c> (VMware's schema names <c>baseImage</c>, <c>addon</c>, <c>solution</c> and <c>manifest</c>). The other
/// members VMware's schema requires are read when present and type-checked, not demanded, and unknown members are
/// ignored, so that newer schema versions stay readable.
/// </summary>
public static class AddonDocuments
{
    /// <summary>Largest add-on document read (an add-on lists tens of components; real ones are a few KB).</summary>
    public const int MaxDocumentBytes = 4 * 1024 * 1024;

    /// <summary>
    /// The add-on the document describes. <paramref name="source"/> names the depot in errors. Throws
    /// <see cref="EsxFormatException"/> with <see cref="ErrorCodes.AddonInvalid"/> when the document is not one.
    /// </summary>
    public static Addon Read(ReleaseUnit document, string source)
    {
        if (document == null) throw new ArgumentNullException(nameof(document));
        EsxFormatException Invalid(string problem, Exception inner = null)
            => new EsxFormatException(ErrorCodes.AddonInvalid, source ?? "", document.EntryName, problem, inner);

        var bytes = Encoding.UTF8.GetBytes(document.Text ?? "");
        if (bytes.Length == 0) throw Invalid("the add-on document is empty");
        var root = BoundedJson.Load(bytes, MaxDocumentBytes, (p, e) => Invalid(p, e));
        if (BoundedJson.TypeOf(root) != "object") throw Invalid("the top level must be a JSON object");
        var members = Members(root);

        string Text(IReadOnlyDictionary<string, XElement> of, string name, string path)
        {
            if (!of.TryGetValue(name, out var e) || BoundedJson.TypeOf(e) == "null") return null;
            if (BoundedJson.TypeOf(e) != "string") throw Invalid($"'{path}' must be a string, not {BoundedJson.TypeOf(e)}");
            return e.Value;
        }
        (string Value, string Ui) Spec(string specName, string valueName)
        {
            if (!members.TryGetValue(specName, out var spec) || BoundedJson.TypeOf(spec) != "object")
                throw Invalid($"'{specName}' is required and must be an object with '{valueName}' (is it an add-on document?)");
            var inner = Members(spec);
            var value = Text(inner, valueName, specName + "." + valueName);
            if (string.IsNullOrWhiteSpace(value)) throw Invalid($"'{specName}.{valueName}' is required and must be a non-empty string");
            var ui = Text(inner, "uiString", specName + ".uiString");
            return (value.Trim(), string.IsNullOrWhiteSpace(ui) ? value.Trim() : ui.Trim());
        }
        // The public excerpt of VMware's schema does not show schemaVersion's type: a string or a number is taken.
        string Scalar(string name)
        {
            if (!members.TryGetValue(name, out var e) || BoundedJson.TypeOf(e) == "null") return "";
            if (BoundedJson.TypeOf(e) != "string" && BoundedJson.TypeOf(e) != "number")
                throw Invalid($"'{name}' must be a string or a number, not {BoundedJson.TypeOf(e)}");
            return e.Value.Trim();
        }
        // VMware's schema gives removedComponents' items by a reference to a name definition; the excerpt that is
        // public stops inside that reference, so both a plain name and a nameSpec object are read.
        IReadOnlyList<string> Names(string name)
        {
            if (!members.TryGetValue(name, out var e) || BoundedJson.TypeOf(e) == "null") return Array.Empty<string>();
            if (BoundedJson.TypeOf(e) != "array") throw Invalid($"'{name}' must be an array of component names");
            var names = new List<string>();
            foreach (var item in e.Elements())
            {
                var value = BoundedJson.TypeOf(item) == "object" ? Text(Members(item), "name", name + "[].name") : item.Value;
                if ((BoundedJson.TypeOf(item) != "object" && BoundedJson.TypeOf(item) != "string") || string.IsNullOrWhiteSpace(value))
                    throw Invalid($"'{name}' must be an array of component names (strings or objects with a 'name')");
                names.Add(value.Trim());
            }
            return names;
        }
        IReadOnlyList<string> Strings(string name)
        {
            if (!members.TryGetValue(name, out var e) || BoundedJson.TypeOf(e) == "null") return Array.Empty<string>();
            if (BoundedJson.TypeOf(e) != "array" || e.Elements().Any(i => BoundedJson.TypeOf(i) != "string"))
                throw Invalid($"'{name}' must be an array of strings");
            return e.Elements().Select(i => i.Value).ToList();
        }

        var releaseType = Text(members, "releaseType", "releaseType");
        if (releaseType != null && !string.Equals(releaseType.Trim(), "addon", StringComparison.OrdinalIgnoreCase))
            throw Invalid($"'releaseType' is '{MessageText.Escape(releaseType.Length > 40 ? releaseType.Substring(0, 40) + "..." : releaseType)}', not 'addon': the document is another kind of release unit");
        var (name, uiName) = Spec("nameSpec", "name");
        var (version, uiVersion) = Spec("versionSpec", "version");

        DateTimeOffset? released = null;
        var date = Text(members, "releaseDate", "releaseDate");
        if (!string.IsNullOrWhiteSpace(date))
        {
            if (!DateTimeOffset.TryParse(date.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d))
                throw Invalid($"'releaseDate' is not a date: '{MessageText.Escape(date.Length > 40 ? date.Substring(0, 40) + "..." : date)}'");
            released = d;
        }

        var components = new Dictionary<string, string>(StringComparer.Ordinal);
        if (members.TryGetValue("components", out var comps) && BoundedJson.TypeOf(comps) != "null")
        {
            if (BoundedJson.TypeOf(comps) != "object") throw Invalid("'components' must be an object of component name to version");
            foreach (var c in comps.Elements())
            {
                if (BoundedJson.TypeOf(c) != "string" || c.Value.Trim().Length == 0)
                    throw Invalid($"'components.{BoundedJson.MemberName(c)}' must be a version string");
                components[BoundedJson.MemberName(c)] = c.Value.Trim();
            }
        }

        var releaseId = Text(members, "releaseID", "releaseID");
        return new Addon
        {
            Id = string.IsNullOrWhiteSpace(releaseId) ? document.Id : releaseId.Trim(),
            Name = name,
            UiName = uiName,
            Version = version,
            UiVersion = uiVersion,
            Vendor = Text(members, "vendor", "vendor")?.Trim() ?? "",
            Summary = Text(members, "summary", "summary")?.Trim() ?? "",
            Description = Text(members, "description", "description")?.Trim() ?? "",
            Category = Text(members, "category", "category")?.Trim() ?? "",
            AcceptanceLevel = Text(members, "acceptanceLevel", "acceptanceLevel")?.Trim() ?? "",
            DocUrl = Text(members, "docURL", "docURL")?.Trim() ?? "",
            SchemaVersion = Scalar("schemaVersion"),
            ReleaseDate = released,
            Components = components,
            RemovedComponents = Names("removedComponents"),
            SupportedBaseImageVersions = Strings("supportedBaseImageVersions"),
            Document = document,
        };
    }

    private static IReadOnlyDictionary<string, XElement> Members(XElement obj)
    {
        var d = new Dictionary<string, XElement>(StringComparer.Ordinal);
        foreach (var e in obj.Elements()) d[BoundedJson.MemberName(e)] = e;
        return d;
    }
}
