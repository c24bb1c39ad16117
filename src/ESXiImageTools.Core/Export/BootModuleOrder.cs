using System;
using System.Collections.Generic;
using System.Linq;
using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.Core.Export;

/// <summary>
/// The one home of the BOOT.CFG module order, as real ESXi 7.0.2 and 8.0.0 BOOT.CFGs show it against real
/// descriptors (docs/formats-notes.md, "BOOT.CFG module order"): first every module payload with a <c>boot-order</c>,
/// by boot-order; then the other module payloads by VIB id (ordinal), overlay VIBs last, each VIB's payloads in
/// descriptor order. Only boot, vgz and tgz payloads are modules. [inferred] Ties within one boot-order keep VIB id,
/// then descriptor order. The ISO and PXE exports take this order; <see cref="PayloadFileNamer"/> names the modules
/// in it.
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

    /// <summary>
    /// The kernel among <paramref name="files"/>: the boot-type module with the lowest boot-order (real esx-base:
    /// <c>b</c>, order 10); ties keep the given order. Null when there is no boot-type module.
    /// </summary>
    public static IsoPayloadFile Kernel(IReadOnlyList<IsoPayloadFile> files)
        => files.Select((f, i) => (f, i))
                .Where(x => x.f.IsBootModule && string.Equals(x.f.Payload.Type, PayloadTypes.Boot, StringComparison.OrdinalIgnoreCase))
                .OrderBy(x => x.f.Payload.BootOrder ?? int.MaxValue).ThenBy(x => x.i)
                .Select(x => x.f).FirstOrDefault();
}
