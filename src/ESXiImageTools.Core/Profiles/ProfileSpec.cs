using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.Serialization;
using System.Runtime.Serialization.Json;
using System.Text;
using System.Xml;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.IO;
using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.Core.Profiles;

/// <summary>
/// A declarative, reviewable description of a customized profile for scheduled builds: a base profile
/// (by name) plus packages to add (names, ids, or .vib/.zip paths relative to the spec file) and
/// remove, and settings. Stored as JSON:
/// <code>
/// { "schemaVersion": 1, "baseProfile": "ESXi-7.0U3-19193900-standard", "name": "ESXi-7.0U3-custom",
///   "vendor": "Lab", "description": "", "acceptanceLevel": "community", "allowLowerAcceptance": false,
///   "force": false, "add": ["net55-r8168", "drivers/sata-xahci-offline_bundle.zip"], "remove": ["vmkusb"] }
/// </code>
/// </summary>
[DataContract]
public sealed class ProfileSpec
{
    /// <summary>The only schema version this code reads and writes.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>Spec files larger than this are refused (they are a few lines by nature).</summary>
    public const int MaxFileBytes = 1024 * 1024;

    private static readonly HashSet<string> KnownMembers = new HashSet<string>(StringComparer.Ordinal)
    {
        "schemaVersion", "baseProfile", "name", "vendor", "description", "acceptanceLevel", "allowLowerAcceptance", "force", "add", "remove",
    };

    [DataMember(Name = "schemaVersion", Order = 0)]
    public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    /// <summary>Name of the profile to clone; null builds a profile from scratch (name and vendor required).</summary>
    [DataMember(Name = "baseProfile", Order = 1, EmitDefaultValue = false)]
    public string BaseProfile { get; set; }

    [DataMember(Name = "name", Order = 2, EmitDefaultValue = false)]
    public string Name { get; set; }

    [DataMember(Name = "vendor", Order = 3, EmitDefaultValue = false)]
    public string Vendor { get; set; }

    [DataMember(Name = "description", Order = 4, EmitDefaultValue = false)]
    public string Description { get; set; }

    /// <summary>A level code (<c>community</c>, <c>partner</c>, <c>accepted</c>, <c>certified</c>) or display name; null keeps the base's.</summary>
    [DataMember(Name = "acceptanceLevel", Order = 5, EmitDefaultValue = false)]
    public string AcceptanceLevel { get; set; }

    [DataMember(Name = "allowLowerAcceptance", Order = 6)]
    public bool AllowLowerAcceptance { get; set; }

    [DataMember(Name = "force", Order = 7)]
    public bool Force { get; set; }

    /// <summary>Package names, "name version", ids, or .vib/.zip paths (relative to the spec file).</summary>
    [DataMember(Name = "add", Order = 8)]
    public List<string> Add { get; set; } = new List<string>();

    /// <summary>Package names, "name version" or ids to remove.</summary>
    [DataMember(Name = "remove", Order = 9)]
    public List<string> Remove { get; set; } = new List<string>();

    /// <summary>The folder relative paths in <see cref="Add"/> are resolved against (the spec file's folder after <see cref="Load"/>).</summary>
    [IgnoreDataMember]
    public string BaseDirectory { get; set; }

    /// <summary>DataContract deserialization skips constructors and initializers; absent members get these defaults.</summary>
    [OnDeserializing]
    private void SetDefaults(StreamingContext context)
    {
        SchemaVersion = CurrentSchemaVersion;
        Add = new List<string>();
        Remove = new List<string>();
    }

    /// <summary>The parsed <see cref="AcceptanceLevel"/>, or null when absent (call <see cref="Check"/> first for a clear error).</summary>
    public AcceptanceLevel? ParsedAcceptanceLevel
        => string.IsNullOrWhiteSpace(AcceptanceLevel) ? (AcceptanceLevel?)null : AcceptanceLevels.Parse(AcceptanceLevel, "profile spec");

    /// <summary>Reads and checks a spec file; malformed content is <see cref="ErrorCodes.ProfileSpecInvalid"/> naming the file.</summary>
    public static ProfileSpec Load(string path)
    {
        if (path == null) throw new ArgumentNullException(nameof(path));
        FileKind.RequireFileOrFolder(path, ErrorCodes.ProfileSpecInvalid);
        if (!File.Exists(path))
            throw new EsxException(ErrorCodes.FileNotFound, EsxErrorCategory.ObjectNotFound, $"{path}: profile spec not found", path);
        FileStream stream;
        try { stream = File.OpenRead(path); }
        catch (UnauthorizedAccessException e) { throw Invalid(path, "cannot be read (permission denied)", e); }
        ProfileSpec spec;
        using (stream) spec = Read(stream, path);
        spec.BaseDirectory = Path.GetDirectoryName(Path.GetFullPath(path));
        return spec;
    }

    /// <summary>Reads and checks a spec from a stream; <paramref name="source"/> names it in errors.</summary>
    public static ProfileSpec Read(Stream stream, string source)
    {
        if (stream == null) throw new ArgumentNullException(nameof(stream));
        source ??= "profile spec";
        var bytes = BoundedJson.ReadBounded(stream, MaxFileBytes, p => Invalid(source, p));
        CheckMembers(BoundedJson.Load(bytes, MaxFileBytes, (p, e) => Invalid(source, p, e)), source);
        bytes = BoundedJson.WithoutBom(bytes);
        ProfileSpec spec;
        try
        {
            using var ms = new MemoryStream(bytes);
            spec = (ProfileSpec)Serializer().ReadObject(ms);
        }
        catch (Exception e) when (e is SerializationException || e is XmlException || e is FormatException || e is InvalidCastException)
        {
            throw Invalid(source, "not a valid profile spec: " + e.Message, e);
        }
        if (spec == null) throw Invalid(source, "the file is empty or null");
        spec.Add ??= new List<string>();
        spec.Remove ??= new List<string>();
        spec.Check(source);
        return spec;
    }

    /// <summary>Parses a spec from JSON text.</summary>
    public static ProfileSpec Parse(string json, string source = null)
    {
        using var ms = new MemoryStream(new UTF8Encoding(false).GetBytes(json ?? ""));
        return Read(ms, source ?? "profile spec");
    }

    /// <summary>
    /// Writes the spec as indented JSON (UTF-8, no BOM), atomically; an existing file is replaced only when
    /// <paramref name="overwrite"/> (else ExportDestinationExists).
    /// </summary>
    public void Save(string path, bool overwrite = true)
    {
        Check(path);
        AtomicFileWriter.Write(path, overwrite, (stream, _) => Write(stream));
    }

    /// <summary>Writes the spec as indented JSON to a stream (left open).</summary>
    public void Write(Stream stream)
    {
        using var writer = JsonReaderWriterFactory.CreateJsonWriter(stream, new UTF8Encoding(false), ownsStream: false, indent: true);
        Serializer().WriteObject(writer, this);
        writer.Flush();
    }

    public string ToJson()
    {
        using var ms = new MemoryStream();
        Write(ms);
        return new UTF8Encoding(false).GetString(ms.ToArray());
    }

    /// <summary>Checks the content: schema version, names, level, list entries. Throws <see cref="ErrorCodes.ProfileSpecInvalid"/>.</summary>
    public void Check(string source = null)
    {
        source ??= "profile spec";
        if (SchemaVersion != CurrentSchemaVersion)
            throw Invalid(source, $"schemaVersion {SchemaVersion} is not supported (this version reads {CurrentSchemaVersion})");
        if (string.IsNullOrWhiteSpace(BaseProfile))
        {
            if (string.IsNullOrWhiteSpace(Name)) throw Invalid(source, "'name' is required when there is no 'baseProfile'");
            if (string.IsNullOrWhiteSpace(Vendor)) throw Invalid(source, "'vendor' is required when there is no 'baseProfile'");
        }
        foreach (var (field, value, multiLine) in new[] { ("name", Name, false), ("vendor", Vendor, false), ("description", Description, true), ("baseProfile", BaseProfile, false) })
        {
            var problem = ProfileEditor.TextProblem(value, multiLine);
            if (problem != null) throw Invalid(source, $"'{field}' {problem}");
        }
        if (!string.IsNullOrWhiteSpace(AcceptanceLevel) && !AcceptanceLevels.TryParse(AcceptanceLevel, out _))
            throw Invalid(source, $"'acceptanceLevel' is '{AcceptanceLevel}'; expected community, partner, accepted or certified");
        for (int i = 0; i < (Add?.Count ?? 0); i++)
            if (string.IsNullOrWhiteSpace(Add[i])) throw Invalid(source, $"'add' entry {i + 1} is empty");
        for (int i = 0; i < (Remove?.Count ?? 0); i++)
            if (string.IsNullOrWhiteSpace(Remove[i])) throw Invalid(source, $"'remove' entry {i + 1} is empty");
    }

    /// <summary>
    /// The spec that turns <paramref name="baseProfile"/> into <paramref name="profile"/>: packages only in
    /// the profile or at another version are added by id, packages whose name left are removed by name.
    /// </summary>
    public static ProfileSpec FromProfiles(ImageProfile baseProfile, ImageProfile profile)
    {
        if (baseProfile == null) throw new ArgumentNullException(nameof(baseProfile));
        if (profile == null) throw new ArgumentNullException(nameof(profile));
        var diff = ProfileComparison.Compare(baseProfile, profile);
        var keptNames = new HashSet<string>(profile.Packages.Select(v => v.Name), StringComparer.Ordinal);
        return new ProfileSpec
        {
            BaseProfile = baseProfile.Name,
            Name = profile.Name,
            Vendor = profile.Vendor,
            Description = profile.Description,
            AcceptanceLevel = profile.AcceptanceLevel != baseProfile.AcceptanceLevel ? AcceptanceLevels.ToCode(profile.AcceptanceLevel) : null,
            Add = diff.Upgraded.Select(u => u.Comparison).Concat(diff.Downgraded.Select(d => d.Comparison)).Concat(diff.OnlyInComparison)
                      .Select(v => v.Id).ToList(),
            Remove = diff.OnlyInReference.Where(v => !keptNames.Contains(v.Name)).Select(v => v.Name).Distinct(StringComparer.Ordinal).ToList(),
        };
    }

    private static DataContractJsonSerializer Serializer() => new DataContractJsonSerializer(typeof(ProfileSpec));

    private static readonly Dictionary<string, string> MemberTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["schemaVersion"] = "number", ["baseProfile"] = "string", ["name"] = "string", ["vendor"] = "string", ["description"] = "string",
        ["acceptanceLevel"] = "string", ["allowLowerAcceptance"] = "boolean", ["force"] = "boolean", ["add"] = "array", ["remove"] = "array",
    };

    /// <summary>
    /// Rejects a non-object root, unknown top-level members (so a typo such as "remvoe" is not silently ignored) and
    /// members of the wrong JSON type (<c>"add": {"a": 1}</c>), before the serializer sees the text.
    /// </summary>
    private static void CheckMembers(System.Xml.Linq.XElement root, string source)
    {
        if (BoundedJson.TypeOf(root) != "object") throw Invalid(source, "the top level must be a JSON object");
        foreach (var member in root.Elements())
        {
            var name = BoundedJson.MemberName(member);
            if (!MemberTypes.TryGetValue(name, out var expected))
            {
                if (name == "base_image")
                    throw Invalid(source, "this is a VMware software spec ('base_image'), but it could not be read as one");
                throw Invalid(source, $"unknown member '{name}' (known: {string.Join(", ", KnownMembers)})");
            }
            var type = BoundedJson.TypeOf(member);
            if (type == "null" && expected != "number" && expected != "boolean") continue;
            if (type != expected) throw Invalid(source, $"'{name}' must be a JSON {expected}, not {(type == "object" || type == "array" ? "an " : "a ")}{type}");
            if (expected == "array")
                foreach (var item in member.Elements())
                    if (BoundedJson.TypeOf(item) != "string") throw Invalid(source, $"'{name}' must hold strings only, not {BoundedJson.TypeOf(item)} values");
        }
    }

    private static EsxException Invalid(string source, string problem, Exception inner = null)
        => new EsxFormatException(ErrorCodes.ProfileSpecInvalid, source, null, problem, inner);
}
