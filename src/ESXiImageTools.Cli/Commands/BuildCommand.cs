using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ESXiImageTools.Core.Composition;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Export;
using ESXiImageTools.Core.IO;
using ESXiImageTools.Core.Profiles;

namespace ESXiImageTools.Cli.Commands;

/// <summary>
/// <c>esximage build</c>: the main job. Clones a depot profile, applies adds, removes and an acceptance level
/// (from options and/or a spec), and exports a bootable ISO, an offline bundle or a PXE image folder.
/// </summary>
public sealed class BuildCommand : CliCommand, ICliOptions
{

    public override string Name => "build";
    public override string Summary => "build a customized ESXi ISO, offline bundle or PXE image from a depot profile";
    public override string Usage =>
        "usage: esximage build --depot <src>... --profile <name> [--name <new>] [--vendor <v>] [--description <text>]\n" +
        "                      [--add <pkg|file>...] [--remove <name>...] [--acceptance <level>] [--allow-lower-acceptance]\n" +
        "                      [--spec <file>] (--iso <file> | --bundle <file> [--vendor-code <ABC>]\n" +
        "                      | --pxe <folder> [--prefix <p>] [--live]) [--force]\n" +
        "                      [--no-signature-check] [--trust-cert <pem>...]\n" +
        "                      [--timestamp <unix-seconds>] [--volume-id <id>] [--no-sync] [--json]\n" +
        "  --profile     the profile to start from (a clone is edited; the depot stays untouched)\n" +
        "  --name        the new profile's name (default: <profile>-customized)\n" +
        "  --add         a package name (highest version), \"name version\", VIB id, or a file:\n" +
        "                a .vib adds that package, a bundle .zip adds all of its packages (repeatable)\n" +
        "  --remove      a package name, \"name version\" or id (repeatable)\n" +
        "  --acceptance  the profile's acceptance level: certified, accepted, partner or community\n" +
        "  --allow-lower-acceptance  lower the level to the least trusted added package\n" +
        "  --spec        a profile spec JSON file (base profile, adds, removes, level), or VMware's software spec\n" +
        "                (base_image.version, components, removed_components) as New-IsoImage takes it; options add to it\n" +
        "  --iso         write a bootable installer ISO (BIOS and UEFI)\n" +
        "  --bundle      write an offline bundle zip\n" +
        "  --vendor-code index.xml's vendor code of a bundle: exactly 3 letters or digits (default EIT); the vendor name\n" +
        "                is the profile's vendor (--vendor)\n" +
        "  --pxe         write a PXE image folder: boot modules, boot.cfg, mboot.c32 (BIOS), mboot.efi and\n" +
        "                efi/boot/bootx64.efi (UEFI) and a README on serving it over TFTP or HTTP\n" +
        "  --prefix      boot.cfg prefix= of a PXE image: its path under the TFTP root or an http:// URL\n" +
        "                (default: the folder's name; \"\" for none)\n" +
        "  --live        a live PXE image: machines boot ESXi itself, stateless, instead of the installer\n" +
        "                (boot.cfg without runweasel), as New-PxeImage -LiveImage\n" +
        "  --force       build despite validation problems, and replace an existing output file (or PXE folder)\n" +
        "  --no-signature-check  export VIBs whose signature an ESXi host would refuse (missing, not verifying, untrusted,\n" +
        "                or not allowed their acceptance level), with a warning per kind; CommunitySupported needs none\n" +
        TrustArguments.Usage + "\n" +
        "  --timestamp   the time written into the output (default: SOURCE_DATE_EPOCH, else now): same inputs + same time = same bytes\n" +
        "  --no-sync     do not wait for the output to reach the disk before renaming it into place (as genisoimage);\n" +
        "                still all-or-nothing on errors and interruption, but a power loss soon after may leave it incomplete\n" +
        DepotArguments.Usage + "\n" +
        "exit codes: 0 written, 2 usage, 3 invalid input or profile, 4 not found, 5 network, 6 output failed, 130 cancelled";

    public IEnumerable<string> ValueOptions => DepotArguments.ValueOptions.Concat(new[]
        { "profile", "name", "vendor", "description", "add", "remove", "acceptance", "spec", "iso", "bundle", "pxe", "prefix", "vendor-code", "timestamp", "volume-id", TrustArguments.Option });

    public IEnumerable<string> Flags => DepotArguments.Flags.Concat(new[] { "force", "no-signature-check", "allow-lower-acceptance", "no-sync", "json", "live" });

    public override int Run(CliArguments args, CliContext context)
    {
        if (args.Positionals.Count > 0) throw new CliUsageException($"unexpected argument '{args.Positionals[0]}'");
        var iso = args.Value("iso");
        var bundle = args.Value("bundle");
        var pxe = args.Value("pxe");
        if (new[] { iso, bundle, pxe }.Count(o => o != null) != 1) throw new CliUsageException("give exactly one of --iso <file>, --bundle <file> or --pxe <folder>");
        if (args.Value("prefix") != null && pxe == null) throw new CliUsageException("--prefix is for --pxe");
        if (args.Flag("live") && pxe == null) throw new CliUsageException("--live is for --pxe");
        var vendorCode = args.Value("vendor-code");
        if (vendorCode != null && bundle == null) throw new CliUsageException("--vendor-code is for --bundle");
        if (vendorCode != null) BundleExporter.CheckVendorCode(vendorCode);   // before any depot is read
        var output = context.ResolvePath(iso ?? bundle ?? pxe).TrimEnd('/', System.IO.Path.DirectorySeparatorChar);
        // Parsed (--timestamp) and loaded (--trust-cert) before any depot is read, so a bad option costs nothing; an
        // existing output is refused then too (a missing parent folder is made later, so it is not one).
        var export = ExportArguments.Request(args, context, output);
        if (pxe != null) AtomicFolderWriter.CheckDestination(output, export.Overwrite, parentMayBeMissing: true);
        else AtomicFileWriter.CheckDestination(output, export.Overwrite, parentMayBeMissing: true);

        var request = ProfileCli.Request(args, context);
        request = request with
        {
            Name = args.Value("name") ?? request.Name ?? ImageProfile.CustomizedName(request.BaseProfile),
            Vendor = args.Value("vendor") ?? request.Vendor,
            Description = args.Value("description") ?? request.Description,
            Force = request.Force || args.Flag("force"),
        };
        var session = DepotArguments.Session(args, context);
        var edit = SessionProfileBuilder.Build(request, session, new ProfileEditor(context.Clock), options: DepotArguments.Options(args, context), cancellationToken: context.Cancellation);
        if (edit.Errors.Count > 0)
        {
            foreach (var e in edit.Errors) context.Error.WriteLine($"esximage: {e.Error.Code}: {CliHints.Message(e.Error)}");
            return Program.ExitCodeFor(edit.Errors[0].Error);
        }
        var json = args.Flag("json");
        if (!json) ProfileCli.WriteReport(context.Error, ProfileCli.Report(edit));

        VibCommand.CreateFolderOf(output, context);
        var progress = new CliProgress(context.Error, interactive: ReferenceEquals(context.Error, Console.Error) && !Console.IsErrorRedirected);
        export = export with { AllowInvalidProfile = request.Force, Catalog = session.Packages };
        var result = iso != null ? IsoExporter.Export(edit.Profile, export.Fill(new IsoExportOptions { VolumeId = args.Value("volume-id") }), progress, context.Cancellation)
            : pxe != null ? PxeExporter.Export(edit.Profile, export.Fill(new PxeExportOptions { Prefix = args.Value("prefix"), Live = args.Flag("live") }), progress, context.Cancellation)
            : BundleExporter.Export(edit.Profile, export.Fill(new BundleExportOptions { VendorCode = vendorCode ?? "EIT" }), progress, context.Cancellation);
        progress.Finish();
        foreach (var w in result.Warnings) context.Error.WriteLine("warning: " + MessageText.Escape(w));
        if (json)
            CliJson.Write(context.Out, new BuildReport(result.Kind, result.Path, result.Size, result.Profile.Name, result.Profile.AcceptanceLevel.ToString(),
                result.Profile.Packages.Select(p => p.Id).ToList(), result.Warnings, ProfileCli.Report(edit)));
        else
            context.Out.WriteLine($"wrote {result.Path}{(pxe != null ? $"/ ({result.Files.Count} files, " : " (")}{result.Size.ToString("N0", CultureInfo.InvariantCulture)} bytes): profile {result.Profile.Name}, {result.Profile.Packages.Count} packages");
        return ExitCodes.Success;
    }

    /// <summary>The --json document of <c>build</c>.</summary>
    internal sealed record BuildReport(string Kind, string Path, long Size, string Profile, string AcceptanceLevel,
                                     IReadOnlyList<string> Packages, IReadOnlyList<string> Warnings, ProfileCli.ValidationReport Edit);
}
