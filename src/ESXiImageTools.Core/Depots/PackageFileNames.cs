using System.Text;
using ESXiImageTools.Core.IO;

namespace ESXiImageTools.Core.Depots;

/// <summary>
/// File and path names derived from package, payload, bulletin and profile names (IMGDB.TGZ, the payload archives
/// and offline bundles): the one way such a name is cleaned. Each output keeps its own fallback for a name that
/// cleans to nothing, so existing images and bundles keep their names.
/// </summary>
internal static class PackageFileNames
{
    /// <summary>The name with path separators, ':' and control characters replaced by '_'.</summary>
    public static string ReplaceUnsafe(string name)
    {
        var sb = new StringBuilder();
        foreach (var ch in name ?? "")
            sb.Append(ch == '/' || ch == '\\' || ch == ':' || ch < ' ' ? '_' : ch);
        return sb.ToString();
    }

    /// <summary>
    /// <paramref name="name"/> as one path segment: <see cref="ReplaceUnsafe"/>, trimmed; <paramref name="fallback"/>
    /// when that leaves nothing, "." or "..".
    /// </summary>
    public static string Segment(string name, string fallback)
    {
        var r = ReplaceUnsafe(name).Trim();
        return r.Length == 0 || r == "." || r == ".." ? fallback : r;
    }

    /// <summary><c>&lt;cleaned name&gt;-&lt;10 hex digits of the id's sha-1&gt;.xml</c>: stable and unique per VIB id.</summary>
    public static string VibDescriptor(string cleanedName, string vibId) => cleanedName + "-" + Digests.ShortSha1Hex(vibId) + ".xml";
}
