using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace ESXiImageTools.Core.IO;

/// <summary>
/// Reads small untrusted JSON documents (spec files) strictly, as the XML infoset the framework's JSON reader would
/// present (<c>&lt;root type="object"&gt;</c>, members as elements, <c>type</c> attributes): bounded in size and depth,
/// truncation, trailing content and duplicate members refused, no dependency beyond netstandard2.0.
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

    /// <summary>Deepest nesting of objects and arrays a spec may have (VMware's specs nest three levels).</summary>
    public const int MaxDepth = 16;

    /// <summary>
    /// The whole document as an XML infoset tree (<c>&lt;root type="object"&gt;</c>, each member an
    /// <c>&lt;item item="name" type="..."&gt;</c>, array values <c>&lt;item type="..."&gt;</c>). Strict where the
    /// framework's reader is lenient: exactly one value (trailing content refused), no duplicate member, nesting at
    /// most <see cref="MaxDepth"/>, valid UTF-8; a UTF-8 byte-order mark (Windows PowerShell 5.1 writes one) is allowed.
    /// No limit on the number of members: a VMware spec may list thousands of components.
    /// </summary>
    public static XElement Load(byte[] json, int maxBytes, Func<string, Exception, Exception> invalid)
    {
        if (json.Length > maxBytes) throw invalid($"larger than {maxBytes} bytes; a spec is a small JSON file", null);
        string text;
        try { text = new UTF8Encoding(false, true).GetString(json, HasBom(json) ? 3 : 0, json.Length - (HasBom(json) ? 3 : 0)); }
        catch (DecoderFallbackException e) { throw invalid("not valid JSON: the text is not UTF-8", e); }
        var parser = new Parser(text, invalid);
        var root = new XElement("root");
        parser.Value(root, 0);
        parser.End();
        return root;
    }

    /// <summary>The bytes without a leading UTF-8 byte-order mark.</summary>
    public static byte[] WithoutBom(byte[] json) => HasBom(json) ? json.AsSpanCopy(3) : json;

    private static byte[] AsSpanCopy(this byte[] b, int from)
    {
        var r = new byte[b.Length - from];
        Buffer.BlockCopy(b, from, r, 0, r.Length);
        return r;
    }

    private static bool HasBom(byte[] json) => json.Length >= 3 && json[0] == 0xEF && json[1] == 0xBB && json[2] == 0xBF;

    private sealed class Parser
    {
        private readonly string _t;
        private readonly Func<string, Exception, Exception> _invalid;
        private int _i;

        public Parser(string text, Func<string, Exception, Exception> invalid)
        {
            _t = text;
            _invalid = invalid;
        }

        private Exception Fail(string problem)
        {
            int line = 1, col = 1;
            for (int k = 0; k < _i && k < _t.Length; k++) { if (_t[k] == '\n') { line++; col = 1; } else col++; }
            var end = _i >= _t.Length ? "; the text ends early (truncated?)" : "";
            return _invalid($"not valid JSON: {problem}{end} (line {line}, column {col})", null);
        }

        private void Space()
        {
            while (_i < _t.Length && (_t[_i] == ' ' || _t[_i] == '\t' || _t[_i] == '\n' || _t[_i] == '\r')) _i++;
        }

        public void End()
        {
            Space();
            if (_i < _t.Length) throw Fail("content after the end of the top-level value");
        }

        public void Value(XElement into, int depth)
        {
            Space();
            if (_i >= _t.Length) throw Fail("the text ends where a value should be");
            char c = _t[_i];
            if (c == '{' || c == '[')
            {
                if (depth >= MaxDepth) throw Fail($"objects and arrays nested deeper than {MaxDepth} levels");
                if (c == '{') Object(into, depth + 1); else Array(into, depth + 1);
            }
            else if (c == '"') { into.SetAttributeValue("type", "string"); into.Value = String(); }
            else if (c == 't' || c == 'f' || c == 'n') Literal(into);
            else if (c == '-' || (c >= '0' && c <= '9')) Number(into);
            else throw Fail($"unexpected character '{(char.IsControl(c) ? "U+" + ((int)c).ToString("X4") : c.ToString())}'");
        }

        private void Object(XElement into, int depth)
        {
            into.SetAttributeValue("type", "object");
            _i++;
            var names = new HashSet<string>(StringComparer.Ordinal);
            Space();
            if (_i < _t.Length && _t[_i] == '}') { _i++; return; }
            while (true)
            {
                Space();
                if (_i >= _t.Length || _t[_i] != '"') throw Fail("expected a member name in quotes");
                var name = String();
                if (!names.Add(name)) throw Fail($"member '{name}' appears twice");
                Space();
                if (_i >= _t.Length || _t[_i] != ':') throw Fail($"expected ':' after member name '{name}'");
                _i++;
                var member = new XElement("item", new XAttribute("item", name));
                Value(member, depth);
                into.Add(member);
                Space();
                if (_i < _t.Length && _t[_i] == ',') { _i++; continue; }
                if (_i < _t.Length && _t[_i] == '}') { _i++; return; }
                throw Fail("expected ',' or '}' in an object");
            }
        }

        private void Array(XElement into, int depth)
        {
            into.SetAttributeValue("type", "array");
            _i++;
            Space();
            if (_i < _t.Length && _t[_i] == ']') { _i++; return; }
            while (true)
            {
                var item = new XElement("item");
                Value(item, depth);
                into.Add(item);
                Space();
                if (_i < _t.Length && _t[_i] == ',') { _i++; continue; }
                if (_i < _t.Length && _t[_i] == ']') { _i++; return; }
                throw Fail("expected ',' or ']' in an array");
            }
        }

        private string String()
        {
            _i++; // opening quote
            var sb = new StringBuilder();
            while (true)
            {
                if (_i >= _t.Length) throw Fail("the text ends inside a string");
                char c = _t[_i++];
                if (c == '"') return sb.ToString();
                if (c < ' ') throw Fail("a control character inside a string (escape it)");
                if (c != '\\') { sb.Append(c); continue; }
                if (_i >= _t.Length) throw Fail("the text ends inside a string");
                char e = _t[_i++];
                switch (e)
                {
                    case '"': sb.Append('"'); break;
                    case '\\': sb.Append('\\'); break;
                    case '/': sb.Append('/'); break;
                    case 'b': sb.Append('\b'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'n': sb.Append('\n'); break;
                    case 'r': sb.Append('\r'); break;
                    case 't': sb.Append('\t'); break;
                    case 'u':
                        if (_i + 4 > _t.Length || !int.TryParse(_t.Substring(_i, 4), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out int code))
                            throw Fail("a \\u escape needs four hex digits");
                        sb.Append((char)code);
                        _i += 4;
                        break;
                    default: throw Fail($"unknown escape '\\{e}'");
                }
            }
        }

        private void Literal(XElement into)
        {
            foreach (var (word, type) in new[] { ("true", "boolean"), ("false", "boolean"), ("null", "null") })
                if (string.CompareOrdinal(_t, _i, word, 0, word.Length) == 0)
                {
                    _i += word.Length;
                    into.SetAttributeValue("type", type);
                    if (type == "boolean") into.Value = word;
                    return;
                }
            throw Fail("unexpected word (expected true, false or null)");
        }

        private void Number(XElement into)
        {
            int start = _i;
            if (_t[_i] == '-') _i++;
            int digits = _i;
            while (_i < _t.Length && _t[_i] >= '0' && _t[_i] <= '9') _i++;
            if (_i == digits || (_t[digits] == '0' && _i - digits > 1)) throw Fail("malformed number");
            if (_i < _t.Length && _t[_i] == '.')
            {
                _i++;
                int f = _i;
                while (_i < _t.Length && _t[_i] >= '0' && _t[_i] <= '9') _i++;
                if (_i == f) throw Fail("malformed number");
            }
            if (_i < _t.Length && (_t[_i] == 'e' || _t[_i] == 'E'))
            {
                _i++;
                if (_i < _t.Length && (_t[_i] == '+' || _t[_i] == '-')) _i++;
                int x = _i;
                while (_i < _t.Length && _t[_i] >= '0' && _t[_i] <= '9') _i++;
                if (_i == x) throw Fail("malformed number");
            }
            into.SetAttributeValue("type", "number");
            into.Value = _t.Substring(start, _i - start);
        }
    }

    /// <summary>A member's JSON name: names that are not valid XML names come back as <c>&lt;item item="name"&gt;</c>.</summary>
    public static string MemberName(XElement e)
        => e.Name.LocalName == "item" && e.Attribute("item") != null ? e.Attribute("item").Value : e.Name.LocalName;

    /// <summary>The JSON type of an element: object, array, string, number, boolean or null.</summary>
    public static string TypeOf(XElement e) => e.Attribute("type")?.Value ?? "string";
}
