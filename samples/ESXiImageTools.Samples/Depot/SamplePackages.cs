using System;
using System.Collections.Generic;
using System.Linq;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Samples.BootFiles;

namespace ESXiImageTools.Samples.Depot;

/// <summary>A package of the sample before it is written: descriptor fields and each payload's stored bytes.</summary>
public sealed record SamplePackage(Vib Metadata, IReadOnlyList<(Payload Payload, byte[] Bytes)> Payloads)
{
    /// <summary>The payload sources <see cref="VibWriter"/> reads.</summary>
    public IEnumerable<PayloadSource> Sources => Payloads.Select(p => PayloadSource.FromBytes(p.Payload.Name, p.Bytes));
}

/// <summary>
/// The packages of the sample depot, shaped like ESXi 8.0.0 GA (build 20513097) but synthetic: a base package
/// <c>esx-base</c> carrying a kernel-like placeholder, a tardisk and the boot-loader files (the sample's own
/// boot programs), a locker package <c>tools-light</c>, two inbox-like drivers, and one community driver
/// that is not part of the depot.
/// </summary>
public static class SamplePackages
{
    public const string VmkApi = "vmkapi_2_10_0_0";

    /// <summary>
    /// The kernel interfaces esx-base provides: those of ESXi 8.0 U3 (vmkapi 2.0 to 2.13 and the current
    /// vmkapi_incompat), so real 8.0 drivers (the USB NIC fling needs 2.13 and incompat 2.13) validate against the
    /// sample. Inferred, not read from an 8.0 esx-base: real 7.0 GA esx-base (docs/formats-notes.md) has this
    /// shape — several vmkapi_2_x_0_0 and one vmkapi_incompat for its newest level, all without a version.
    /// </summary>
    public static readonly IReadOnlyList<string> KernelInterfaces =
        Enumerable.Range(0, 14).Select(minor => $"vmkapi_2_{minor}_0_0").Append("vmkapi_incompat_2_13_0_0").ToList();
    public const string BaseVersion = "8.0.0-1.0.20513097";

    /// <summary>The boot-loader files inside the base package's <c>btldr</c> payload, where ESXi keeps them.</summary>
    public const string IsolinuxBinPath = "usr/lib/vmware/isolinux/isolinux.bin";
    public const string MbootC32Path = "usr/lib/vmware/isolinux/mboot.c32";
    public const string EfiBootImgPath = "usr/lib/vmware/efiboot/efiboot.img";
    public const string BootX64EfiPath = "usr/lib/vmware/efiboot/efi/boot/bootx64.efi";

    private const string NotExecuted =
        "the sample's boot programs (ISOLINUX.BIN for BIOS, BOOTX64.EFI for UEFI) print their marker to COM1 and power off before any kernel or module would be loaded";

    /// <summary>
    /// esx-base in the real ESXi 7+ shape (docs/formats-notes.md, "Descriptors"): gzip'd boot modules with <c>boot-order</c>
    /// (b 10 with a <c>txt-mle</c> checksum beside the checkable ones, jumpstrt/useropts/features 47-49 named by
    /// <c>vfat-name</c>, k 50), the tardisk s (boot-order 100) and btldr, and the boot loaders as typed payloads of
    /// their own (boot_iso_bios, boot_com32_bios, eltorito_image_efi, boot_loader_efi), plus upgrade and text payloads.
    /// </summary>
    public static SamplePackage Base(DateTimeOffset released)
    {
        var kernel = SampleContent.Placeholder("b.b00", "ESXi's vmkernel boot module ('b' payload of esx-base, the kernel mboot loads)", NotExecuted);
        var jumpstart = SampleContent.Placeholder("jumpstrt", "ESXi's jumpstart plugin archive (jumpstrt.gz)", NotExecuted);
        var vmkBoot = SampleContent.Placeholder("k.b00", "ESXi's vmkBoot module ('k' payload of esx-base)", NotExecuted);
        var tardisk = new[]
        {
            SampleContent.Placeholder("bin/sample-shell", "ESXi's busybox shell in the 's' tardisk", NotExecuted),
            SampleFile.Text("etc/vmware/esx.conf", "/adv/Misc/HostName = \"esxi-sample\"\n/system/uuid = \"00000000-0000-0000-0000-000000000000\"\n"),
            SampleFile.Text("etc/vmware/sample-release", "ESXiImageTools sample image 8.0.0 build-20513097 (synthetic; not VMware ESXi)\n"),
        };
        var isolinux = SampleBootFiles.IsolinuxBin();
        var mboot = SampleContent.Placeholder("mboot.c32", "SYSLINUX's mboot.c32, the multiboot loader ISOLINUX starts to load ESXi",
            "the sample's ISOLINUX.BIN is its own marker program, which never reads ISOLINUX.CFG nor loads mboot.c32");
        var efiBoot = SampleBootFiles.EfiBootImg();
        var bootX64 = SampleBootFiles.BootX64Efi();
        var bootLoaders = new[]
        {
            new SampleFile(IsolinuxBinPath, isolinux), new SampleFile(MbootC32Path, mboot.Content),
            new SampleFile(EfiBootImgPath, efiBoot), new SampleFile(BootX64EfiPath, bootX64),
        };
        var metadataXml = SampleContent.Placeholder("metadata.xml", "the upgrade metadata of ESXi media (UPGRADE/METADATA.XML)", "the sample image is never used to upgrade a host");
        var readme = SampleContent.Placeholder("README", "ESXi's README text payload", "text payloads are carried, never run");
        var kernelGz = SampleContent.Gzip(kernel.Content);
        var payloads = new List<(Payload, byte[])>
        {
            // txt-mle: a measured-launch hash that cannot be checked offline; the sample's value is the sha-256 of the
            // uncompressed kernel placeholder (a stand-in: nothing here measures a launch). It is carried through.
            (new Payload { Name = "b", Type = PayloadTypes.Boot, BootOrder = 10,
                           Checksums = new[] { new PayloadChecksum("sha-256", "txt-mle", Sha256Hex(kernel.Content)) } }, kernelGz),
            (new Payload { Name = "jumpstrt", Type = PayloadTypes.Boot, BootOrder = 47, VfatName = "jumpstrt.gz" }, SampleContent.Gzip(jumpstart.Content)),
            (new Payload { Name = "useropts", Type = PayloadTypes.Boot, BootOrder = 48, VfatName = "useropts.gz" }, SampleContent.Gzip(new byte[] { (byte)'\n' })),
            (new Payload { Name = "features", Type = PayloadTypes.Boot, BootOrder = 49, VfatName = "features.gz" }, SampleContent.Gzip(Array.Empty<byte>())),
            (new Payload { Name = "k", Type = PayloadTypes.Boot, BootOrder = 50 }, SampleContent.Gzip(vmkBoot.Content)),
            (new Payload { Name = "s", Type = PayloadTypes.Vgz, BootOrder = 100 }, SampleContent.Vgz(tardisk)),
            (new Payload { Name = "btldr", Type = PayloadTypes.Vgz }, SampleContent.Vgz(bootLoaders)),
            (new Payload { Name = "isolinux.bin", Type = PayloadTypes.BootIsoBios }, isolinux),
            (new Payload { Name = "mboot.c32", Type = PayloadTypes.BootCom32Bios }, mboot.Content),
            (new Payload { Name = "efiboot.img", Type = PayloadTypes.EltoritoImageEfi }, efiBoot),
            (new Payload { Name = "BOOTx64.EFI", Type = PayloadTypes.BootLoaderEfi }, bootX64),
            (new Payload { Name = "metadata.xml", Type = PayloadTypes.Upgrade }, metadataXml.Content),
            (new Payload { Name = "README", Type = PayloadTypes.Text }, readme.Content),
        };
        var meta = Common("esx-base", BaseVersion, "VMware", AcceptanceLevel.PartnerSupported, released,
            "ESXi base system (sample)",
            "Synthetic stand-in for ESXi's base package, generated by ESXiImageTools: kernel-like placeholders, a small " +
            "tardisk and the boot-loader files, which are ESXiImageTools' own tiny BIOS and EFI programs.") with
        {
            // As real esx-base: esx-version = the full version (7.0.0: 7.0.0-1.0.15843807).
            Provides = KernelInterfaces.Select(name => new Provide(name)).Append(new Provide("esx-version", VibVersion.Parse(BaseVersion))).ToList(),
            MaintenanceMode = new MaintenanceMode(true, true),
            LiveInstallAllowed = false,
            LiveRemoveAllowed = false,
            FileList = FilesOf(tardisk, bootLoaders),
        };
        return Package(meta, payloads);
    }

    /// <summary>The esx-version constraints real partner packages carry (HPE bootcfg 7.0: &gt;= 7.0.0, &lt;&lt; 7.1.0), for 8.0.</summary>
    public static readonly IReadOnlyList<Constraint> EsxVersionRange = new[]
    {
        new Constraint("esx-version", VersionRelation.GreaterOrEqual, VibVersion.Parse("8.0.0")),
        new Constraint("esx-version", VersionRelation.LessThan, VibVersion.Parse("8.1.0")),
    };

    private static string Sha256Hex(byte[] data)
    {
        using var sha = System.Security.Cryptography.SHA256.Create();
        return string.Concat(sha.ComputeHash(data).Select(b => b.ToString("x2")));
    }

    /// <summary>tools-light: a locker package with one tgz payload 'tools' (VMware Tools images in real ESXi).</summary>
    public static SamplePackage ToolsLight(DateTimeOffset released)
    {
        var files = new[]
        {
            SampleContent.Placeholder("vmtools/linux.iso", "the VMware Tools ISO image for Linux guests", "the sample image never boots a host that would serve it to guests"),
            SampleContent.Placeholder("vmtools/windows.iso", "the VMware Tools ISO image for Windows guests", "the sample image never boots a host that would serve it to guests"),
            SampleFile.Text("vmtools/manifest.txt", "linux.iso\nwindows.iso\n"),
        };
        var meta = Common("tools-light", "12.1.0.20219665-20513097", "VMware", AcceptanceLevel.PartnerSupported, released,
            "VMware Tools images (sample)", "Synthetic stand-in for the locker package holding VMware Tools images.") with
        {
            Type = "locker",
            FileList = FilesOf(files),
        };
        return Package(meta, new List<(Payload, byte[])> { (new Payload { Name = "tools", Type = "tgz" }, SampleContent.Tgz(files, released)) });
    }

    /// <summary>The inbox-like drivers of the depot, each depending on the base package's vmkapi provide.</summary>
    public static IReadOnlyList<SamplePackage> InboxDrivers(DateTimeOffset released) => new[]
    {
        Driver("net-sample", "1.0.0-1vmw.800.1.0.20513097", "VMware", AcceptanceLevel.PartnerSupported, released,
            "Sample network driver", "15ad", "07b0"),
        Driver("nvme-sample", "1.2.0-1vmw.800.1.0.20513097", "VMware", AcceptanceLevel.PartnerSupported, released,
            "Sample NVMe driver", "15ad", "07f0"),
    };

    public const string CommunityDriverName = "net-community";

    /// <summary>The sample's community driver: CommunitySupported, unsigned, shipped as a loose .vib beside the depot.</summary>
    public static SamplePackage CommunityDriver(DateTimeOffset released)
        => Driver(CommunityDriverName, "1.0.0-1sample.800", "ESXiImageTools", AcceptanceLevel.CommunitySupported, released,
            "Sample community network driver", "1af4", "1000");

    private static SamplePackage Driver(string name, string version, string vendor, AcceptanceLevel level, DateTimeOffset released,
                                        string summary, string pciVendor, string pciDevice)
    {
        var module = name.Replace('-', '_');
        var files = new[]
        {
            SampleContent.Placeholder($"usr/lib/vmware/vmkmod/{module}", $"a vmkernel driver module ({summary})", NotExecuted),
            SampleFile.Text($"etc/vmware/default.map.d/{module}.map", $"regtype=native,bus=pci,id={pciVendor}{pciDevice}..............,driver={module}\n"),
        };
        var meta = Common(name, version, vendor, level, released, summary,
            $"Synthetic driver package generated by ESXiImageTools for the sample depot ({summary}); its module is a text placeholder.") with
        {
            Depends = new[] { new Constraint(VmkApi) }.Concat(EsxVersionRange).ToList(),
            FileList = FilesOf(files),
        };
        var payloadName = module.Length <= 8 ? module : module.Substring(0, 8);
        return Package(meta, new List<(Payload, byte[])> { (new Payload { Name = payloadName, Type = "vgz" }, SampleContent.Vgz(files)) });
    }

    private static Vib Common(string name, string version, string vendor, AcceptanceLevel level, DateTimeOffset released, string summary, string description)
        => new Vib
        {
            Type = "bootbank",
            Name = name,
            Version = VibVersion.Parse(version),
            Vendor = vendor,
            Summary = summary,
            Description = description,
            ReleaseDate = released,
            AcceptanceLevel = level,
            SoftwarePlatforms = new[] { new SoftwarePlatform("8.0.0", "", "embeddedEsx") },
            MaintenanceMode = new MaintenanceMode(true, true),
            StatelessReady = true,
        };

    private static SamplePackage Package(Vib meta, IReadOnlyList<(Payload Payload, byte[] Bytes)> payloads)
        => new SamplePackage(meta with { Payloads = payloads.Select(p => p.Payload).ToList() }, payloads);

    private static IReadOnlyList<string> FilesOf(params IEnumerable<SampleFile>[] groups)
        => groups.SelectMany(g => g).Select(f => f.Path).OrderBy(p => p, StringComparer.Ordinal).ToList();
}
