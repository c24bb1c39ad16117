using System;
using System.IO;
using System.Runtime.Serialization.Json;
using System.Xml;
using System.Xml.Linq;

namespace ESXiImageTools.Core.Internal;

/// <summary>
/// Reads small untrusted JSON documents (spec files) with the framework's JSON reader, which presents JSON as an
/// XML infoset (<c>&lt;root type="object"&gt;</c>, members as elements, <c>type</c> attributes): bounded in size and
/// depth, truncation detected, no dependency beyond netstandard2.0.
/// </summary>
internal static class BoundedJson
{
    /// <summary>Reads at most <paramref name="maxBytes"/> bytes; larger or empty input is refused through <paramref name="invalid"/>.</summary>
    public static byte[] ReadBounded(Stream stream, int maxBytes, Func<string, Exception> invalid)
    {
        using var ms = new MemoryStream();
        var buffer = new byte[8192];
        int n;
        while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            if (ms.Length + n > maxBytes) throw invalid($"larger than {maxBytes} bytes; a spec is a small JSON file");
            ms.Write(buffer, 0, n);
        }
        if (ms.Length == 0) throw invalid("the file is empty");
        return ms.ToArray();
    }

    /// <summary>
    /// The framework's JSON reader closes open objects at end of input, so a truncated file would read
    /// as complete; count brackets outside strings to catch it.
    /// </summary>
    public static void CheckBalanced(byte[] json, Func<string, Exception> invalid)
    {
        int depth = 0;
        bool inString = false, escaped = false;
        foreach (var b in json)
        {
            if (inString)
            {
                if (escaped) escaped = false;
                else if (b == (byte)'\\') escaped = true;
                else if (b == (byte)'"') inString = false;
                continue;
            }
            if (b == (byte)'"') inString = true;
            else if (b == (byte)'{' || b == (byte)'[') depth++;
            else if (b == (byte)'}' || b == (byte)']') depth--;
            if (depth < 0) break;
        }
        if (inString || depth != 0)
            throw invalid("not valid JSON: the text ends inside a string, object or array (truncated?) or has unbalanced brackets");
    }

    /// <summary>The whole document as an XML infoset tree (after <see cref="CheckBalanced"/>); a UTF-8 byte-order mark is allowed.</summary>
    public static XElement Load(byte[] json, int maxBytes, Func<string, Exception, Exception> invalid)
    {
        CheckBalanced(json, p => invalid(p, null));
        // Windows PowerShell 5.1 writes a byte-order mark; the framework's JSON reader refuses it, so skip it.
        if (json.Length >= 3 && json[0] == 0xEF && json[1] == 0xBB && json[2] == 0xBF)
            json = json.AsSpanCopy(3);
        try
        {
            using var reader = JsonReaderWriterFactory.CreateJsonReader(json, new XmlDictionaryReaderQuotas { MaxDepth = 16, MaxStringContentLength = maxBytes });
            return XElement.Load(reader);
        }
        catch (XmlException e)
        {
            throw invalid("not valid JSON: " + e.Message, e);
        }
    }

    private static byte[] AsSpanCopy(this byte[] b, int from)
    {
        var r = new byte[b.Length - from];
        Buffer.BlockCopy(b, from, r, 0, r.Length);
        return r;
    }

    /// <summary>A member's JSON name: names that are not valid XML names come back as <c>&lt;item item="name"&gt;</c>.</summary>
    public static string MemberName(XElement e)
        => e.Name.LocalName == "item" && e.Attribute("item") != null ? e.Attribute("item").Value : e.Name.LocalName;

    /// <summary>The JSON type of an element: object, array, string, number, boolean or null.</summary>
    public static string TypeOf(XElement e) => e.Attribute("type")?.Value ?? "string";
}
