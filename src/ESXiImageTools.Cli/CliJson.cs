using System;
using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.Cli;

/// <summary>
/// <c>--json</c> output: the engine objects the cmdlets emit, serialized with camelCase names.
/// Byte-access handles (<see cref="IVibContent"/>) are not data and are left out.
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
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { DropHandles } },
        };
        o.Converters.Add(new JsonStringEnumConverter());
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

    public static void Write(TextWriter w, object value) => w.WriteLine(JsonSerializer.Serialize(value, value?.GetType() ?? typeof(object), Options));

    /// <summary>Writes values that have a natural text form (versions, constraints) as that string.</summary>
    private sealed class ToStringConverter<T> : JsonConverter<T>
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();
        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(value?.ToString());
    }
}
