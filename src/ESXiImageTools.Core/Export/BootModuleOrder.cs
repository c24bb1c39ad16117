using System;
using System.Collections.Generic;
using System.Linq;
using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.Core.Export;

/// <summary>
/// The order of BOOT.CFG modules, as the real BOOT.CFGs of ESXi 7.0.2 and 8.0.0 (../shared/corpus/bootcfg) show it
/// against the real descriptors (../shared/corpus/esximg-700): first every module payload with a <c>boot-order</c>,
/// by boot-order (jumpstrt 47, useropts 48, features 49, k 50, uc_intel 51, uc_amd/uc_hygon 52, procfs 99, then
/// esx-base's order-100 tardisks); then the other module payloads by VIB id (ordinal, so VMW_ before VMware_ and
/// VMware_bootbank_ before VMware_locker_), overlay VIBs last (xorg after tools.t00 in both real files), each VIB's
/// payloads in descriptor order. Only boot, vgz and tgz payloads are modules.
/// [inferred] Ties within one boot-order keep VIB id, then descriptor order: the real 7.0.2/8.0 files list esx-base's
/// order-100 tardisks as vmx, vim, tpm, sb, s, but the image database stores payloads sorted by name, so the original
/// descriptor order that probably decides this is not in any public file here.
/// </summary>
public static class BootModuleOrder
{
    /// <summary>The module payloads of <paramref name="packages"/> in BOOT.CFG order (the kernel first).</summary>
    public static IReadOnlyList<(Vib Vib, Payload Payload)> Order(IEnumerable<Vib> packages)
    {
        var byId = packages.OrderBy(v => v.Overlay ? 1 : 0).ThenBy(v => v.Id, StringComparer.Ordinal).ToList();
        var modules = byId.SelectMany((v, vi) => v.Payloads.Select((p, pi) => (Vib: v, Payload: p, Vi: vi, Pi: pi)))
                          .Where(x => x.Payload.IsBootModule)
                          .ToList();
        var ordered = modules.Where(x => x.Payload.BootOrder != null)
                             .OrderBy(x => x.Payload.BootOrder.Value).ThenBy(x => x.Vi).ThenBy(x => x.Pi)
                             .Concat(modules.Where(x => x.Payload.BootOrder == null).OrderBy(x => x.Vi).ThenBy(x => x.Pi));
        return ordered.Select(x => (x.Vib, x.Payload)).ToList();
    }
}
