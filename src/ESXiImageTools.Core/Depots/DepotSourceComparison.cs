using System;
using System.Runtime.InteropServices;

namespace ESXiImageTools.Core.Depots;

/// <summary>
/// Whether two depot sources name the same depot. A URL's scheme and host compare ignoring case and its path exactly
/// (web servers' paths are case-sensitive); a local path compares the way the OS's file system does by default:
/// ignoring case on Windows (NTFS) and macOS (APFS and HFS+ as installed), exactly elsewhere.
/// </summary>
internal static class DepotSourceComparison
{
    /// <summary>True where the default file system compares names ignoring case.</summary>
    internal static readonly bool FileSystemIgnoresCase =
        RuntimeInformation.IsOSPlatform(OSPlatform.Windows) || RuntimeInformation.IsOSPlatform(OSPlatform.OSX);

    public static bool Same(string a, string b) => Same(a, b, FileSystemIgnoresCase);

    /// <summary><see cref="Same(string, string)"/> for a file system that does or does not ignore case (tests pass both).</summary>
    internal static bool Same(string a, string b, bool fileSystemIgnoresCase)
    {
        if (string.Equals(a, b, StringComparison.Ordinal)) return true;
        if (a == null || b == null) return false;
        var ua = AsWebUrl(a);
        var ub = AsWebUrl(b);
        if (ua != null || ub != null)
            return ua != null && ub != null
                   && Uri.Compare(ua, ub, UriComponents.AbsoluteUri, UriFormat.UriEscaped, StringComparison.Ordinal) == 0;
        return string.Equals(a, b, fileSystemIgnoresCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
    }

    // Uri lower-cases the scheme and host and leaves the path as it is.
    private static Uri AsWebUrl(string s)
        => Uri.TryCreate(s, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps) ? u : null;
}
