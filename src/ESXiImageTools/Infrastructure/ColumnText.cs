using System.Text;

namespace ESXiImageTools.Infrastructure;

/// <summary>
/// Fits a table cell to its column for the module's default views: PowerShell wraps a cell at spaces or else in the
/// middle of a word, which cuts profile names, versions and paths mid-token ("…-no-too" / "ls"). This breaks the text
/// into lines only after a separator (- . _ / \ , or a space) so every token stays whole; only a single token longer
/// than the column is split.
/// </summary>
public static class ColumnText
{
    private const string BreakAfter = "-._/\\, ";

    /// <summary>The text as lines of at most <paramref name="width"/> characters, broken after separators.</summary>
    public static string Fit(object value, int width)
    {
        var text = value?.ToString();
        if (string.IsNullOrEmpty(text) || width < 1 || text.Length <= width) return text;
        var result = new StringBuilder(text.Length + 8);
        int start = 0;
        while (text.Length - start > width)
        {
            // The last separator that still fits ends the line; a space there is dropped.
            int cut = -1;
            for (int i = start + width - 1; i > start; i--)
                if (BreakAfter.IndexOf(text[i]) >= 0) { cut = i + 1; break; }
            // Else the line is cut at the width: whole when a separator follows, else a token longer than the column is split.
            if (cut < 0) cut = start + width;
            result.Append(text, start, cut - start).TrimEndSpace().Append('\n');
            start = cut;
            while (start < text.Length && text[start] == ' ') start++;
        }
        return result.Append(text, start, text.Length - start).ToString();
    }

    private static StringBuilder TrimEndSpace(this StringBuilder sb)
    {
        while (sb.Length > 0 && sb[sb.Length - 1] == ' ') sb.Length--;
        return sb;
    }
}
