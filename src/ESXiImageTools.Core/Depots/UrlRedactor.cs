using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace ESXiImageTools.Core.Depots;

/// <summary>
/// Removes secrets from URLs before they reach a message, a <see cref="Depot.Source"/>, a progress report or a log:
/// user info, query strings, fragments, and path segments that look like access tokens (Broadcom depots put a
/// download token in the path: <c>https://dl.broadcom.com/&lt;token&gt;/PROD/COMP/ESX_HOST/main/vmw-depot-index.xml</c>).
/// Over-masking a long, token-like directory name is accepted: display only, never used to fetch.
/// </summary>
public static class UrlRedactor
{
    /// <summary>What replaces a secret.</summary>
    public const string Mask = "***";

    private static readonly Regex UrlInText = new Regex(@"\b[a-zA-Z][a-zA-Z0-9+.\-]*://[^\s'""<>()\[\]]+", RegexOptions.CultureInvariant);

    /// <summary>The display form of a URL: scheme, host, port and path with token-like segments masked.</summary>
    public static string Redact(Uri uri)
    {
        if (uri == null) return null;
        if (!uri.IsAbsoluteUri) return RedactPath(uri.OriginalString);
        if (uri.IsFile) return uri.LocalPath;
        var sb = new StringBuilder();
        sb.Append(uri.Scheme).Append("://");
        if (!string.IsNullOrEmpty(uri.UserInfo)) sb.Append(Mask).Append('@');
        sb.Append(uri.IsDefaultPort ? uri.Host : uri.Host + ":" + uri.Port);
        sb.Append(RedactPath(uri.AbsolutePath));
        if (!string.IsNullOrEmpty(uri.Query)) sb.Append('?').Append(Mask);
        if (!string.IsNullOrEmpty(uri.Fragment)) sb.Append('#').Append(Mask);
        return sb.ToString();
    }

    /// <summary>Redacts a string that is a URL or a local path (paths pass through unchanged).</summary>
    public static string Redact(string urlOrPath)
    {
        if (string.IsNullOrEmpty(urlOrPath)) return urlOrPath;
        if (Uri.TryCreate(urlOrPath, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps))
            return Redact(u);
        return urlOrPath;
    }

    /// <summary>
    /// Redacts every URL found in free text (an inner exception message, a server's error body), and any
    /// secret part of the <paramref name="known"/> URLs wherever it appears, even outside a URL.
    /// </summary>
    public static string RedactText(string text, params Uri[] known)
    {
        if (string.IsNullOrEmpty(text)) return text;
        var result = UrlInText.Replace(text, m => Uri.TryCreate(m.Value, UriKind.Absolute, out var u) && !u.IsFile ? Redact(u) : m.Value);
        foreach (var secret in (known ?? Array.Empty<Uri>()).Where(k => k != null).SelectMany(SecretsOf).Distinct().OrderByDescending(s => s.Length))
            result = result.Replace(secret, Mask);
        return result;
    }

    /// <summary>The secret parts of a URL: user info, query, fragment and token-like path segments (raw and unescaped).</summary>
    public static IEnumerable<string> SecretsOf(Uri uri)
    {
        if (uri == null || !uri.IsAbsoluteUri) yield break;
        if (!string.IsNullOrEmpty(uri.UserInfo)) yield return uri.UserInfo;
        if (uri.Query.Length > 1) yield return uri.Query.Substring(1);
        if (uri.Fragment.Length > 1) yield return uri.Fragment.Substring(1);
        foreach (var seg in uri.AbsolutePath.Split('/'))
        {
            if (!LooksLikeToken(Uri.UnescapeDataString(seg))) continue;
            yield return seg;
            var unescaped = Uri.UnescapeDataString(seg);
            if (unescaped != seg) yield return unescaped;
        }
    }

    /// <summary>
    /// Heuristic for an access token in a path segment: at least 20 characters, no dot (file names and
    /// versions have dots), at most two '-' or '_' separators (names like vmkusb-nic-fling have more words),
    /// and both letters and digits; or 32 characters and more of URL-safe token alphabet.
    /// </summary>
    public static bool LooksLikeToken(string segment)
    {
        if (string.IsNullOrEmpty(segment) || segment.Length < 20 || segment.IndexOf('.') >= 0) return false;
        int letters = 0, digits = 0, seps = 0;
        foreach (var c in segment)
        {
            if (c >= '0' && c <= '9') digits++;
            else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) letters++;
            else if (c == '-' || c == '_') seps++;
            else if (c == '~' || c == '=' || c == '+' || c == '%' || c == ':' || c == '!') { }
            else return false;
        }
        if (segment.Length >= 32) return true;
        return letters > 0 && digits > 0 && seps <= 2;
    }

    private static string RedactPath(string path)
    {
        var parts = path.Split('/');
        for (int i = 0; i < parts.Length; i++)
            if (LooksLikeToken(Uri.UnescapeDataString(parts[i]))) parts[i] = Mask;
        return string.Join("/", parts);
    }
}
