using System.Collections.Generic;
using System.Linq;
using ESXiImageTools.Core.Diagnostics;

namespace ESXiImageTools.Core.Export;

/// <summary>
/// Builds the BOOT.CFG and ISOLINUX.CFG of an installer image from its payload files, which arrive in module
/// order: the kernel (<see cref="BootModuleOrder.Kernel"/>), then the other modules in the given order, then the image
/// database archives. The order itself is <see cref="BootModuleOrder"/>'s.
/// </summary>
public static class EsxBootConfig
{
    /// <summary>The kernel options of an installer boot (weasel, the ESXi installer, started from the CD).</summary>
    public const string InstallerKernelOptions = "cdromBoot runweasel";

    /// <summary>Picks the kernel (<see cref="BootModuleOrder.Kernel"/>); a typed error when the profile has none.</summary>
    public static IsoPayloadFile SelectKernel(IReadOnlyList<IsoPayloadFile> files)
    {
        var kernel = BootModuleOrder.Kernel(files);
        if (kernel == null)
            throw new EsxException(ErrorCodes.ExportBootFileMissing, EsxErrorCategory.ObjectNotFound,
                "the profile has no boot-type payload, so the image has no kernel; it is expected from the base package (esx-base, payload 'b')");
        return kernel;
    }

    /// <summary>The <c>modules=</c> list after the kernel, as file names with a leading '/'.</summary>
    public static IReadOnlyList<string> ModuleOrder(IReadOnlyList<IsoPayloadFile> files, IEnumerable<string> trailingFiles)
    {
        var kernel = SelectKernel(files);
        return files.Where(f => f.IsBootModule && !ReferenceEquals(f, kernel)).Select(f => "/" + f.FileName)
                    .Concat(trailingFiles.Select(t => "/" + t.ToLowerInvariant()))
                    .ToList();
    }

    /// <summary>Builds the installer BOOT.CFG (the same text goes to /BOOT.CFG and /EFI/BOOT/BOOT.CFG).</summary>
    public static BootCfg Build(IReadOnlyList<IsoPayloadFile> files, IEnumerable<string> trailingFiles, string title, string build,
                                string kernelOptions = InstallerKernelOptions)
    {
        var cfg = new BootCfg
        {
            ["bootstate"] = "0",
            ["title"] = title,
            ["timeout"] = "5",
            ["prefix"] = "",
            ["kernel"] = "/" + SelectKernel(files).FileName,
            ["kernelopt"] = kernelOptions ?? "",
            ["build"] = build ?? "",
            ["updated"] = "0",
        };
        cfg.Modules = ModuleOrder(files, trailingFiles);
        return cfg;
    }

    /// <summary>ISOLINUX.CFG for the BIOS path: a menu whose default entry runs mboot.c32 with BOOT.CFG.</summary>
    public static string IsolinuxCfg(string profileName, bool withMenu = true)
        => string.Join("\n", new[]
        {
            withMenu ? "DEFAULT menu.c32" : "DEFAULT install",
            "MENU TITLE " + Sanitize(profileName) + " Boot Menu",
            "NOHALT 1",
            "PROMPT 0",
            "TIMEOUT 80",
            "LABEL install",
            "  KERNEL mboot.c32",
            "  APPEND -c boot.cfg",
            "  MENU LABEL " + Sanitize(profileName) + " ^Installer",
            "LABEL hddboot",
            "  LOCALBOOT 0x80",
            "  MENU LABEL ^Boot from local disk",
            "",
        });

    private static string Sanitize(string s) => new string((s ?? "").Where(ch => ch >= ' ' && ch != 0x7f).ToArray());
}
