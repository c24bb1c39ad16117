using System;
using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace ESXiImageTools.Core.IO;

/// <summary>PowerShell-style wildcard matching (<c>*</c>, <c>?</c>, <c>[a-z]</c>, backtick escapes), case-insensitive.</summary>
public static class Wildcard
{
    private static readonly ConcurrentDictionary<string, Regex> Cache = new ConcurrentDictionary<string, Regex>(StringComparer.Ordinal);

    /// <summary>True when the pattern has wildcard characters.</summary>
    public static bool HasWildcards(string pattern) => pattern != null && pattern.IndexOfAny(new[] { '*', '?', '[' }) >= 0;

    public static bool IsMatch(string pattern, string text)
    {
        if (pattern == null) return true;
        if (text == null) return false;
        if (!HasWildcards(pattern) && pattern.IndexOf('`') < 0) return string.Equals(pattern, text, StringComparison.OrdinalIgnoreCase);
        return Cache.GetOrAdd(pattern, Compile).IsMatch(text);
    }

    private static Regex Compile(string pattern)
    {
        var sb = new StringBuilder("^");
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            switch (c)
            {
                case '`' when i + 1 < pattern.Length:
                    sb.Append(Regex.Escape(pattern[++i].ToString()));
                    break;
                case '*': sb.Append(".*"); break;
                case '?': sb.Append('.'); break;
                case '[':
                    int end = pattern.IndexOf(']', i + 1);
                    if (end < 0) { sb.Append(@"\["); break; }
                    var set = pattern.Substring(i + 1, end - i - 1).Replace(@"\", @"\\").Replace("^", @"\^");
                    sb.Append('[').Append(set).Append(']');
                    i = end;
                    break;
                default: sb.Append(Regex.Escape(c.ToString())); break;
            }
        }
        sb.Append('$');
        return new Regex(sb.ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }
}
