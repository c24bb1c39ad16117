using System.Text;
using ESXiImageTools.Core.IO;

namespace ESXiImageTools.Core.Export;

/// <summary>
/// File names the writers derive from package, bulletin and profile names (IMGDB.TGZ and offline bundles).
/// Each output format keeps its own fallback for a name that cleans to nothing, so existing images and
/// bundles keep their names byte for byte.
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

    /// <summary><c>&lt;cleaned name&gt;-&lt;10 hex digits of the id's sha-1&gt;.xml</c>: stable and unique per VIB id.</summary>
    public static string VibDescriptor(string cleanedName, string vibId) => cleanedName + "-" + Digests.ShortSha1Hex(vibId) + ".xml";
}
