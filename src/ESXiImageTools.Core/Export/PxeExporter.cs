using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.IO;
using ESXiImageTools.Core.Profiles;

namespace ESXiImageTools.Core.Export;

/// <summary>Options of a PXE image export; <see cref="ExportOptions.Destination"/> is the folder to write.</summary>
public sealed class PxeExportOptions : ExportOptions
{
    /// <summary>
    /// BOOT.CFG <c>prefix=</c>: where the boot loader finds the modules, relative to the TFTP root or as an
    /// <c>http://</c> URL. Null: the destination folder's name (the folder served as a folder of the TFTP root).
    /// Empty: no prefix (modules beside boot.cfg, mboot's default).
    /// </summary>
    public string Prefix { get; set; }

    /// <summary>
    /// BOOT.CFG <c>kernelopt</c>; default <see cref="PxeExporter.InstallerKernelOptions"/>, or
    /// <see cref="PxeExporter.LiveKernelOptions"/> for a <see cref="Live"/> image.
    /// </summary>
    public string KernelOptions { get; set; }

    /// <summary>
    /// A live image (VMware's New-PxeImage -LiveImage): the machine boots and runs ESXi from the served modules,
    /// stateless, instead of starting the installer. The modules are the same; BOOT.CFG's default kernel options drop
    /// the installer's <c>runweasel</c> and its title says ESXi, not the installer.
    /// </summary>
    public bool Live { get; set; }
}

/// <summary>
/// Exports an image profile as a PXE image: a folder a TFTP or HTTP server serves, holding the installer's boot
/// modules, a BOOT.CFG whose <c>prefix=</c> names the folder, the BIOS loader <c>mboot.c32</c> (for pxelinux) and the
/// UEFI loader as <c>mboot.efi</c> and <c>efi/boot/bootx64.efi</c>, and a README on serving it (VMware's "PXE boot the
/// ESXi installer" layout). The files and BOOT.CFG come from the ISO export's
/// plan, so the modules are the ISO's, byte for byte. Written to a temporary folder beside the destination and renamed
/// at the end; the same inputs and timestamp give the same bytes.
/// </summary>
public static class PxeExporter
{
    /// <summary>The installer's kernel options without <c>cdromBoot</c>: there is no CD over the network (inferred).</summary>
    public const string InstallerKernelOptions = "runweasel";

    /// <summary>
    /// A live image's kernel options: none. Without <c>runweasel</c> the boot does not start weasel, the installer, and
    /// ESXi runs from the loaded modules (inferred from VMware's installer options and the stateless Auto Deploy boot).
    /// </summary>
    public const string LiveKernelOptions = "";

    /// <summary>BOOT.CFG's <c>title</c> of a live image (the installer's is "Loading ESXi installer").</summary>
    public const string LiveTitle = "Loading ESXi";

    /// <summary>The README's file name.</summary>
    public const string ReadmeName = "README.txt";

    public static ExportResult Export(ImageProfile profile, PxeExportOptions options, IProgress<ExportProgress> progress = null,
                                      CancellationToken cancellationToken = default)
    {
        // A date the output cannot record (or a malformed SOURCE_DATE_EPOCH) is refused before any checking work.
        var timestamp = options.ResolveTimestamp();
        var (problems, warnings) = ExportPreflight.Run(profile, options, destinationIsFolder: true, cancellationToken: cancellationToken);
        var destination = Path.GetFullPath(options.Destination).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        var prefix = CheckPrefix(options.Prefix ?? Path.GetFileName(destination));
        var workDirectory = WorkDirectory.Create("export");
        var work = workDirectory.Path;
        try
        {
            var isoOptions = new IsoExportOptions { KernelOptions = options.KernelOptions ?? (options.Live ? LiveKernelOptions : InstallerKernelOptions), Catalog = options.Catalog };
            var (plan, _) = IsoExporter.PlanImage(profile, isoOptions, timestamp, work, progress, cancellationToken);
            var layout = Layout(plan, prefix, options.Live);
            var extraWarnings = plan.Warnings.ToList();
            if (!layout.Any(f => f.Path == "mboot.efi"))
                extraWarnings.Add("the profile has no UEFI boot loader (efi/boot/bootx64.efi); the PXE image boots BIOS machines only");

            long total = layout.Sum(f => f.Media.Size), done = 0;
            var buffer = new byte[AtomicFileWriter.StreamBufferSize];
            var entries = layout.Select(f => new AtomicFolderWriter.Entry(f.Path, (stream, ct) =>
            {
                progress?.Report(new ExportProgress("Writing PXE image", done, total, f.Path));
                using (var source = f.Media.Open()) StreamUtil.Copy(source, stream, buffer, ct);
                done += f.Media.Size;
            }));
            AtomicFolderWriter.Write(destination, options.Overwrite, options.FlushToDisk, timestamp, entries, cancellationToken);
            progress?.Report(new ExportProgress("Writing PXE image", total, total, null));
            return new ExportResult
            {
                Path = destination,
                Kind = "Pxe",
                Size = total,
                Profile = profile,
                Files = layout.Select(f => f.Path).OrderBy(p => p, StringComparer.Ordinal).ToList(),
                Problems = problems,
                Warnings = warnings.Concat(extraWarnings).ToList(),
            };
        }
        finally
        {
            workDirectory.Dispose();
        }
    }

    /// <summary>One file of the PXE folder: its relative path (lower case, '/'-separated) and its bytes.</summary>
    internal sealed class PxeFile
    {
        public PxeFile(string path, MediaFile media)
        {
            Path = path;
            Media = media;
        }

        public string Path { get; }
        public MediaFile Media { get; }
    }

    /// <summary>
    /// The folder's files from the ISO plan: BOOT.CFG rewritten for the network (prefix, names relative to it), every
    /// module it names, mboot.c32, the UEFI loader twice, and the README.
    /// </summary>
    internal static IReadOnlyList<PxeFile> Layout(IsoExporter.IsoPlan plan, string prefix, bool live = false)
    {
        var byIsoPath = plan.Media.ToDictionary(m => m.IsoPath, StringComparer.Ordinal);
        var cfg = NetworkBootCfg(plan.BootCfg, prefix);
        if (live) cfg["title"] = LiveTitle;
        var files = new List<PxeFile>();
        foreach (var module in new[] { cfg["kernel"] }.Concat(cfg.Modules.Select(BootCfg.ModuleFileName)))
        {
            if (!byIsoPath.TryGetValue(module.ToUpperInvariant(), out var media))
                throw new EsxException(ErrorCodes.ExportFailed, EsxErrorCategory.InvalidData, $"BOOT.CFG names module '{module}', which the image does not hold", module);
            files.Add(new PxeFile(module, media));
        }
        var cfgBytes = Encoding.ASCII.GetBytes(cfg.ToString());
        files.Add(new PxeFile("boot.cfg", MediaFile.FromBytes("boot.cfg", cfgBytes, "the network boot configuration")));
        files.Add(new PxeFile("efi/boot/boot.cfg", MediaFile.FromBytes("efi/boot/boot.cfg", cfgBytes, "the network boot configuration")));
        files.Add(new PxeFile("mboot.c32", byIsoPath["MBOOT.C32"]));
        bool uefi = byIsoPath.TryGetValue("EFI/BOOT/BOOTX64.EFI", out var efi);
        if (uefi)
        {
            files.Add(new PxeFile("mboot.efi", efi));
            files.Add(new PxeFile("efi/boot/bootx64.efi", efi));
        }
        var readme = Encoding.ASCII.GetBytes(Readme(prefix, uefi, live));
        files.Add(new PxeFile(ReadmeName, MediaFile.FromBytes(ReadmeName, readme, "how to serve the PXE image")));
        return files.OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The ISO's BOOT.CFG for a network boot: <c>prefix=</c> set and the kernel and module names made relative to it
    /// (VMware's PXE instructions: remove the '/' from the paths and add <c>prefix=</c>).
    /// </summary>
    public static BootCfg NetworkBootCfg(BootCfg isoBootCfg, string prefix)
    {
        var cfg = BootCfg.Parse(isoBootCfg.ToString());
        cfg["prefix"] = prefix ?? "";
        cfg["kernel"] = (cfg["kernel"] ?? "").TrimStart('/');
        cfg.Modules = cfg.Modules.Select(m => m.TrimStart('/')).ToList();
        return cfg;
    }

    /// <summary>A prefix goes into one BOOT.CFG line and into loader command lines: printable ASCII without spaces.</summary>
    private static string CheckPrefix(string prefix)
    {
        var p = (prefix ?? "").Trim().TrimEnd('/');
        if (p.Any(ch => ch <= ' ' || ch > '~'))
            throw new EsxException(ErrorCodes.ExportFailed, EsxErrorCategory.InvalidArgument,
                $"the PXE prefix '{MessageText.Escape(p)}' must be printable ASCII without spaces (it goes into BOOT.CFG's prefix= line)", p);
        return p;
    }

    private static string Readme(string prefix, bool uefi, bool live)
    {
        var at = prefix.Length == 0 ? "" : prefix + "/";
        var where = prefix.Length == 0 ? "the TFTP root" : $"'{prefix}' under the TFTP root (BOOT.CFG says prefix={prefix})";
        var sb = new StringBuilder();
        if (live)
        {
            sb.Append("ESXi live PXE image\n");
            sb.Append("===================\n\n");
            sb.Append("A machine booted from this folder runs ESXi from the loaded modules (stateless); nothing is installed.\n");
        }
        else
        {
            sb.Append("ESXi installer PXE image\n");
            sb.Append("========================\n\n");
        }
        sb.Append($"Serve this folder as {where}.\n");
        sb.Append("If you move it, change prefix= in boot.cfg and efi/boot/boot.cfg (or export again with another prefix).\n");
        sb.Append("The DHCP server points machines at the loader below (DHCP option 67 / next-server).\n\n");
        sb.Append("BIOS, pxelinux (syslinux): bootfile pxelinux.0, and in pxelinux.cfg/default:\n");
        sb.Append("    DEFAULT install\n");
        sb.Append("    LABEL install\n");
        sb.Append($"      KERNEL {at}mboot.c32\n");
        sb.Append($"      APPEND -c {at}boot.cfg\n\n");
        sb.Append("iPXE: on BIOS, chain pxelinux.0 and configure it as above; on UEFI, an iPXE script:\n");
        sb.Append("    #!ipxe\n");
        sb.Append(uefi ? $"    chain {at}mboot.efi -c {at}boot.cfg\n\n" : "    (no UEFI loader in this image)\n\n");
        if (uefi)
        {
            sb.Append($"UEFI PXE: bootfile {at}mboot.efi; it reads boot.cfg from its own folder.\n");
            sb.Append("UEFI HTTP boot: serve the folder over HTTP, set the boot URI to http://<server>/<path>/mboot.efi,\n");
            sb.Append("and set prefix= in boot.cfg to http://<server>/<path> so the modules load over HTTP too.\n");
        }
        else
        {
            sb.Append("UEFI: the image profile has no UEFI boot loader; only BIOS machines can boot this folder.\n");
        }
        return sb.ToString();
    }

}
