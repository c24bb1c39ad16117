using System;
using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Collections.Generic;
using ESXiImageTools.Cli.Commands;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.Cli;

/// <summary>
/// <c>--json</c> output: the engine objects the cmdlets emit, serialized with camelCase names.
/// Byte-access handles (<see cref="IVibContent"/>) are not data and are left out. The metadata is generated at
/// build time (<see cref="CliJsonContext"/>), so a Native AOT build needs no reflection: a type written
/// with <see cref="Write{T}"/> must be listed there.
/// </summary>
public static class CliJson
{
    public static readonly JsonSerializerOptions Options = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var o = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            WriteIndented = true,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            // Generated metadata first; a type not listed in CliJsonContext still serializes by reflection in the
            // JIT build (a new command's report), but list it there for the Native AOT build.
            TypeInfoResolver = JsonTypeInfoResolver.Combine(CliJsonContext.Default, new DefaultJsonTypeInfoResolver()).WithAddedModifier(DropHandles),
        };
        o.Converters.Add(new ToStringConverter<VibVersion>());
        o.Converters.Add(new ToStringConverter<Constraint>());
        o.Converters.Add(new ToStringConverter<Provide>());
        return o;
    }

    private static void DropHandles(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object) return;
        for (int i = info.Properties.Count - 1; i >= 0; i--)
        {
            var p = info.Properties[i];
            if (typeof(IVibContent).IsAssignableFrom(p.PropertyType) || p.Name == "equalityContract")
                info.Properties.RemoveAt(i);
        }
    }

    /// <summary>Writes <paramref name="value"/> as indented JSON and a newline.</summary>
    public static void Write<T>(TextWriter w, T value) => w.WriteLine(JsonSerializer.Serialize(value, (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T))));

    /// <summary>Writes <paramref name="value"/> as JSON with one more member, <paramref name="name"/>: <paramref name="extra"/> (camelCase like the rest).</summary>
    public static void WriteWith<T, TExtra>(TextWriter w, T value, string name, TExtra extra)
    {
        var node = JsonSerializer.SerializeToNode(value, (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T))).AsObject();
        node[name] = JsonSerializer.SerializeToNode(extra, (JsonTypeInfo<TExtra>)Options.GetTypeInfo(typeof(TExtra)));
        w.WriteLine(node.ToJsonString(Options));
    }

    /// <summary>Writes values that have a natural text form (versions, constraints) as that string.</summary>
    private sealed class ToStringConverter<T> : JsonConverter<T>
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();
        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(value?.ToString());
    }
}

/// <summary>Build-time JSON metadata for every type <c>--json</c> writes (enums as their names).</summary>
[JsonSourceGenerationOptions(UseStringEnumConverter = true)]
[JsonSerializable(typeof(Vib))]
[JsonSerializable(typeof(InspectCommand.SignatureReport))]
[JsonSerializable(typeof(IReadOnlyList<Vib>))]
[JsonSerializable(typeof(Depot))]
[JsonSerializable(typeof(List<ProfilesCommand.ProfileListing>))]
[JsonSerializable(typeof(CompareCommand.ComparisonReport))]
[JsonSerializable(typeof(IsoListCommand.IsoListing))]
[JsonSerializable(typeof(ProfileCli.ValidationReport))]
[JsonSerializable(typeof(BuildCommand.BuildReport))]
[JsonSerializable(typeof(List<AddonsCommand.AddonListing>))]
[JsonSerializable(typeof(List<BaseImagesCommand.BaseImageListing>))]
[JsonSerializable(typeof(BundleCommand.BundleReport))]
[JsonSerializable(typeof(List<ComponentsCommand.ComponentListing>))]
[JsonSerializable(typeof(CustomizeCommand.CustomizeReport))]
[JsonSerializable(typeof(VerifyCommand.VerifyReport))]
[JsonSerializable(typeof(VibCommand.VibReport))]
internal sealed partial class CliJsonContext : JsonSerializerContext
{
}
