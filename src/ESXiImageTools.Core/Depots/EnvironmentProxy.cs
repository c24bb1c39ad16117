using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;

namespace ESXiImageTools.Core.Depots;

/// <summary>
/// The proxy named by HTTPS_PROXY / HTTP_PROXY (either case) with NO_PROXY exclusions, as curl and
/// .NET on Linux read them. Built explicitly so the same rules hold on Windows PowerShell (.NET Framework).
/// </summary>
public sealed class EnvironmentProxy : IWebProxy
{
    private readonly Uri _http;
    private readonly Uri _https;
    private readonly string[] _noProxy;

    public EnvironmentProxy(Uri httpProxy, Uri httpsProxy, IEnumerable<string> noProxy, ICredentials credentials = null)
    {
        _http = httpProxy;
        _https = httpsProxy;
        _noProxy = (noProxy ?? Enumerable.Empty<string>()).Select(n => n.Trim().ToLowerInvariant()).Where(n => n.Length > 0).ToArray();
        Credentials = credentials ?? CredentialsFrom(httpsProxy ?? httpProxy);
    }

    /// <summary>Reads the environment through <paramref name="getVariable"/>; null when no proxy variable is set.</summary>
    public static EnvironmentProxy FromEnvironment(Func<string, string> getVariable = null, ICredentials credentials = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        string Get(string n) => NullIfEmpty(getVariable(n)) ?? NullIfEmpty(getVariable(n.ToLowerInvariant()));
        var http = ParseProxy(Get("HTTP_PROXY"));
        var https = ParseProxy(Get("HTTPS_PROXY")) ?? ParseProxy(Get("ALL_PROXY"));
        if (http == null && https == null) return null;
        var noProxy = (Get("NO_PROXY") ?? "").Split(',');
        return new EnvironmentProxy(http ?? ParseProxy(Get("ALL_PROXY")), https, noProxy, credentials);
    }

    public ICredentials Credentials { get; set; }

    public Uri GetProxy(Uri destination)
    {
        if (IsBypassed(destination)) return destination;
        return destination.Scheme == Uri.UriSchemeHttps ? _https ?? destination : _http ?? destination;
    }

    /// <summary>NO_PROXY rules: <c>*</c> bypasses all; an entry matches the host or any subdomain (a leading dot is optional); an optional <c>:port</c> must match.</summary>
    public bool IsBypassed(Uri host)
    {
        var proxy = host.Scheme == Uri.UriSchemeHttps ? _https : _http;
        if (proxy == null) return true;
        var h = host.IdnHost.Trim('[', ']').ToLowerInvariant();
        foreach (var entry in _noProxy)
        {
            if (entry == "*") return true;
            var e = entry;
            int port = -1;
            int colon = e.LastIndexOf(':');
            if (colon > 0 && e.IndexOf(']') < colon && int.TryParse(e.Substring(colon + 1), out var p) && e.Count(c => c == ':') == 1)
            {
                port = p;
                e = e.Substring(0, colon);
            }
            e = e.Trim('[', ']').TrimStart('*').TrimStart('.');
            if (e.Length == 0) continue;
            if (port >= 0 && port != host.Port) continue;
            if (h == e || h.EndsWith("." + e, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    private static Uri ParseProxy(string value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var v = value.Trim();
        if (!v.Contains("://")) v = "http://" + v;
        return Uri.TryCreate(v, UriKind.Absolute, out var u) ? u : null;
    }

    private static ICredentials CredentialsFrom(Uri proxy)
    {
        if (proxy == null || string.IsNullOrEmpty(proxy.UserInfo)) return null;
        var parts = proxy.UserInfo.Split(new[] { ':' }, 2);
        return new NetworkCredential(Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "");
    }

    private static string NullIfEmpty(string s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
