using System;
using System.Collections.Generic;
using System.Linq;

namespace ESXiImageTools.Core.Authoring;

/// <summary>
/// Where community packages normally put files. ESXi checks VIBs against per-acceptance-level "extensibility rules"
/// that are not public; this list [K] is what real community VIBs and the OEM.tgz convention use
/// (docs/formats-notes.md, "Community file locations"). A path outside it is not refused, only warned about: ESXi may reject such a package at
/// install time ("violates extensibility rule checks").
/// </summary>
public static class CommunityPaths
{
    /// <summary>Folder prefixes (with a trailing '/') a community driver or tool normally writes to.</summary>
    public static readonly IReadOnlyList<string> Usual = new[]
    {
        "usr/lib/vmware/vmkmod/",            // vmkernel modules (OEM.tgz)
        "etc/vmware/driver.map.d/",          // driver maps (OEM.tgz, net-forcedeth-1, sata-xahci)
        "usr/share/hwdata/driver.pciids.d/", // PCI ids (OEM.tgz, sata-xahci)
        "etc/vmware/default.map.d/",
        "etc/vmware/firewall/",              // firewall rule sets (fw-vnc)
        "opt/",                              // tools (ghettoVCB)
        "etc/",                              // tool configuration under its own folder (ghettoVCB: etc/ghettovcb/)
    };

    /// <summary>Host folders no community package should touch: the system's own binaries, libraries and boot files.</summary>
    public static readonly IReadOnlyList<string> System = new[]
    {
        "bin/", "sbin/", "lib/", "lib64/", "usr/bin/", "usr/sbin/", "usr/lib64/", "usr/libexec/", "bootbank/", "altbootbank/",
        "etc/init.d/", "etc/rc.local.d/", "etc/vmware/secpolicy/", "etc/vmware/esx.conf", "etc/passwd", "etc/shadow",
    };

    /// <summary>A warning for <paramref name="path"/>, or null when a community package normally writes there.</summary>
    public static string Check(string path)
    {
        var p = (path ?? "").TrimStart('/');
        var system = System.FirstOrDefault(s => p.StartsWith(s, StringComparison.Ordinal) || p == s.TrimEnd('/'));
        if (system != null)
            return $"'{p}' lies in the host's own system files ({system}); ESXi's extensibility rules are likely to refuse a community package that writes there";
        if (Usual.Any(u => p.StartsWith(u, StringComparison.Ordinal))) return null;
        return $"'{p}' is outside the folders community packages normally use ({string.Join(", ", Usual.Take(5))}, …); ESXi may refuse the package at install time";
    }
}
