using System.Linq;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Samples.Tests.BootFiles;

/// <summary>A fact that boots an ISO in qemu (<see cref="Qemu"/>): needs qemu-system-x86_64, OVMF when
/// <paramref name="firmware"/> is UEFI, and any other <paramref name="tools"/>. Skips on machines without them,
/// never under CI (same rule as ToolFact).</summary>
public sealed class BootFactAttribute : FactAttribute
{
    public BootFactAttribute(Firmware firmware = Firmware.Bios, params string[] tools)
    {
        var missing = tools.Where(t => ExternalTools.Find(t) == null).ToList();
        if (ExternalTools.Find(Qemu.Binary) == null) missing.Add(Qemu.Binary);
        else if (!Qemu.Available(firmware)) missing.Add($"OVMF firmware ({Qemu.OvmfCode})");
        if (missing.Count > 0 && !Ci.IsCi) Skip = "needs " + string.Join(", ", missing) + " (Debian packages that .ci/run installs)";
    }
}
