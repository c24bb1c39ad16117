using System;
using System.Text;

namespace ESXiImageTools.Core.Diagnostics;

/// <summary>
/// Makes text from untrusted input (entry names, XML values, paths) safe to print on one line: control
/// characters, C1 controls and bidirectional overrides become visible escapes, so a NUL or an ESC in an
/// entry name cannot turn stderr binary or move the terminal's cursor.
/// </summary>
public static class MessageText
{
    /// <summary>Returns <paramref name="text"/> with every non-printable character written as <c>\xNN</c> or <c>\uNNNN</c>.</summary>
    public static string Escape(string text)
    {
        if (text == null) return null;
        int first = IndexOfUnsafe(text);
        if (first < 0) return text;
        var sb = new StringBuilder(text.Length + 16);
        sb.Append(text, 0, first);
        for (int i = first; i < text.Length; i++)
        {
            char c = text[i];
            if (!IsUnsafe(c)) sb.Append(c);
            else if (c <= 0xff) sb.Append("\\x").Append(((int)c).ToString("x2"));
            else sb.Append("\\u").Append(((int)c).ToString("x4"));
        }
        return sb.ToString();
    }

    /// <summary>An exception's message for one line of output: escaped, with the type when there is no message.</summary>
    public static string OneLine(Exception e)
        => e == null ? "" : Escape(string.IsNullOrEmpty(e.Message) ? e.GetType().Name : e.Message);

    private static int IndexOfUnsafe(string s)
    {
        for (int i = 0; i < s.Length; i++) if (IsUnsafe(s[i])) return i;
        return -1;
    }

    // Controls (C0, DEL, C1), bidi embeddings/overrides/isolates, and lone surrogates are what terminals misrender.
    private static bool IsUnsafe(char c)
        => char.IsControl(c)
           || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')
           || c == '\u2028' || c == '\u2029';
}
