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
/// One release-unit document (JSON object) read with the bounded JSON reader, and typed access to the members that
/// VMware's release-unit schemas share (docs/formats-notes.md, "Release units"). Every problem is an
/// <see cref="EsxFormatException"/> with the reader's error code, naming the depot and the entry.
/// </summary>
internal sealed class ReleaseUnitJson
{
    private readonly IReadOnlyDictionary<string, XElement> _members;
    private readonly Func<string, Exception, EsxFormatException> _invalid;

    private ReleaseUnitJson(IReadOnlyDictionary<string, XElement> members, Func<string, Exception, EsxFormatException> invalid)
    {
        _members = members;
        _invalid = invalid;
    }

    /// <summary>Parses the document; <paramref name="what"/> ("add-on", "base-image") words the errors.</summary>
    public static ReleaseUnitJson Open(ReleaseUnit document, string source, string errorCode, string what, int maxBytes)
    {
        if (document == null) throw new ArgumentNullException(nameof(document));
        EsxFormatException Invalid(string problem, Exception inner) => new(errorCode, source ?? "", document.EntryName, problem, inner);
        var bytes = Encoding.UTF8.GetBytes(document.Text ?? "");
        if (bytes.Length == 0) throw Invalid($"the {what} document is empty", null);
        var root = BoundedJson.Load(bytes, maxBytes, (p, e) => Invalid(p, e));
        if (BoundedJson.TypeOf(root) != "object") throw Invalid("the top level must be a JSON object", null);
        return new ReleaseUnitJson(Members(root), Invalid);
    }

    public EsxFormatException Invalid(string problem) => _invalid(problem, null);

    /// <summary>
    /// <paramref name="unit"/> with the members every release unit shares read from the document; the version
    /// (<c>versionSpec.version</c>) is required. <paramref name="what"/> ("an add-on") words the errors.
    /// </summary>
    public T Common<T>(ReleaseUnit document, T unit, string what) where T : ReleaseUnitInfo
    {
        var (version, uiVersion) = Spec("versionSpec", "version", what);
        var releaseId = Text("releaseID");
        return (T)(unit with
        {
            Id = releaseId.Length == 0 ? document.Id : releaseId,
            Version = version,
            UiVersion = uiVersion,
            Vendor = Text("vendor"),
            Summary = Text("summary"),
            Description = Text("description"),
            Category = Text("category"),
            AcceptanceLevel = Text("acceptanceLevel"),
            DocUrl = Text("docURL"),
            SchemaVersion = Scalar("schemaVersion"),
            ReleaseDate = Date("releaseDate"),
            Components = ComponentVersions("components"),
            Document = document,
        });
    }

    /// <summary>A string member, trimmed; "" when absent or null.</summary>
    public string Text(string name) => Text(_members, name, name)?.Trim() ?? "";

    /// <summary>A member that may be a string or a number (the schemas' excerpt does not show <c>schemaVersion</c>'s type).</summary>
    public string Scalar(string name)
    {
        if (!_members.TryGetValue(name, out var e) || BoundedJson.TypeOf(e) == "null") return "";
        if (BoundedJson.TypeOf(e) != "string" && BoundedJson.TypeOf(e) != "number")
            throw Invalid($"'{name}' must be a string or a number, not {BoundedJson.TypeOf(e)}");
        return e.Value.Trim();
    }

    /// <summary>
    /// Refuses a document whose <c>releaseType</c> names another kind of release unit; a document without one passes.
    /// </summary>
    public void ExpectReleaseType(string expected)
    {
        var type = Text(_members, "releaseType", "releaseType");
        if (type != null && !string.Equals(type.Trim(), expected, StringComparison.OrdinalIgnoreCase))
            throw Invalid($"'releaseType' is '{Clip(type)}', not '{expected}': the document is another kind of release unit");
    }

    /// <summary>A required spec object (<c>nameSpec</c>, <c>versionSpec</c>): its value and its display form (<c>uiString</c>, or the value).</summary>
    public (string Value, string Ui) Spec(string specName, string valueName, string what)
    {
        if (!_members.TryGetValue(specName, out var spec) || BoundedJson.TypeOf(spec) != "object")
            throw Invalid($"'{specName}' is required and must be an object with '{valueName}' (is it {what} document?)");
        var inner = Members(spec);
        var value = Text(inner, valueName, specName + "." + valueName);
        if (string.IsNullOrWhiteSpace(value)) throw Invalid($"'{specName}.{valueName}' is required and must be a non-empty string");
        var ui = Text(inner, "uiString", specName + ".uiString");
        return (value.Trim(), string.IsNullOrWhiteSpace(ui) ? value.Trim() : ui.Trim());
    }

    /// <summary>A date member, or null when absent.</summary>
    public DateTimeOffset? Date(string name)
    {
        var date = Text(name);
        if (date.Length == 0) return null;
        if (!DateTimeOffset.TryParse(date, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d))
            throw Invalid($"'{name}' is not a date: '{Clip(date)}'");
        return d;
    }

    /// <summary>An object of component name to version string.</summary>
    public IReadOnlyDictionary<string, string> ComponentVersions(string name)
    {
        var components = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!_members.TryGetValue(name, out var comps) || BoundedJson.TypeOf(comps) == "null") return components;
        if (BoundedJson.TypeOf(comps) != "object") throw Invalid($"'{name}' must be an object of component name to version");
        foreach (var c in comps.Elements())
        {
            if (BoundedJson.TypeOf(c) != "string" || c.Value.Trim().Length == 0)
                throw Invalid($"'{name}.{BoundedJson.MemberName(c)}' must be a version string");
            components[BoundedJson.MemberName(c)] = c.Value.Trim();
        }
        return components;
    }

    /// <summary>
    /// An array of component names, each a string or a nameSpec object: the schemas give <c>removedComponents</c>'
    /// items by a reference to a name definition, and the public excerpt stops inside that reference.
    /// </summary>
    public IReadOnlyList<string> Names(string name)
    {
        if (!_members.TryGetValue(name, out var e) || BoundedJson.TypeOf(e) == "null") return Array.Empty<string>();
        if (BoundedJson.TypeOf(e) != "array") throw Invalid($"'{name}' must be an array of component names");
        var names = new List<string>();
        foreach (var item in e.Elements())
        {
            var type = BoundedJson.TypeOf(item);
            var value = type == "object" ? Text(Members(item), "name", name + "[].name") : type == "string" ? item.Value : null;
            if (string.IsNullOrWhiteSpace(value))
                throw Invalid($"'{name}' must be an array of component names (strings or objects with a 'name')");
            names.Add(value.Trim());
        }
        return names;
    }

    /// <summary>An array of strings.</summary>
    public IReadOnlyList<string> Strings(string name)
    {
        if (!_members.TryGetValue(name, out var e) || BoundedJson.TypeOf(e) == "null") return Array.Empty<string>();
        if (BoundedJson.TypeOf(e) != "array" || e.Elements().Any(i => BoundedJson.TypeOf(i) != "string"))
            throw Invalid($"'{name}' must be an array of strings");
        return e.Elements().Select(i => i.Value).ToList();
    }

    private string Text(IReadOnlyDictionary<string, XElement> of, string name, string path)
    {
        if (!of.TryGetValue(name, out var e) || BoundedJson.TypeOf(e) == "null") return null;
        if (BoundedJson.TypeOf(e) != "string") throw Invalid($"'{path}' must be a string, not {BoundedJson.TypeOf(e)}");
        return e.Value;
    }

    private static string Clip(string text) => MessageText.Escape(text.Length > 40 ? text.Substring(0, 40) + "..." : text);

    private static IReadOnlyDictionary<string, XElement> Members(XElement obj)
    {
        var d = new Dictionary<string, XElement>(StringComparer.Ordinal);
        foreach (var e in obj.Elements()) d[BoundedJson.MemberName(e)] = e;
        return d;
    }
}
