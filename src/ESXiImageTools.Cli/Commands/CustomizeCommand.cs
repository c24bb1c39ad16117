using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ESXiImageTools.Core.Authoring;
using ESXiImageTools.Core.Customization;

namespace ESXiImageTools.Cli.Commands;

/// <summary><c>esximage customize</c>: ESXi-Customizer in one command: an ISO or depot plus drivers in, a customized ISO or bundle out.</summary>
public sealed class CustomizeCommand : CliCommand, ICliOptions
{
    public override string Name => "customize";
    public override string Summary => "add drivers (VIBs, bundles, OEM.tgz) to an ESXi ISO or depot and write a new ISO or bundle";
    public override string Usage =>
        "usage: esximage customize --source <ESXi.iso|bundle.zip|depot URL>... --add <vib|bundle|oem.tgz|folder|name>...\n" +
        "                          [--remove <name>...] [--profile <name>] [--name <new>] [--vendor <v>] --out <file.iso|file.zip>\n" +
        "                          [--oem-vendor <v>] [--oem-version <v>] [--force] [--no-signature-check] [--trust-cert <pem>...] [--timestamp <unix-seconds>] [--no-sync] [--json]\n" +
        "  --source      the base image: an ESXi ISO, an offline bundle, a folder or an online depot (repeatable)\n" +
        "  --add         a .vib, a bundle .zip (all its VIBs), an OEM.tgz / tar / folder tree (packaged into a VIB on the fly),\n" +
        "                a folder of VIBs, or a package name from the sources (repeatable)\n" +
        "  --profile     the profile to start from (default: the newest *-standard profile of the sources)\n" +
        "  --name        the new profile's name (default: <profile>-customized)\n" +
        "  --out         .iso: a bootable installer (BIOS and UEFI); .zip: an offline bundle\n" +
        "  --oem-vendor, --oem-version  vendor and version of VIBs made from OEM.tgz / tar / folder items (default Community, 1.0.0-1)\n" +
        "  --force       export despite validation errors, and replace an existing output file\n" +
        "  --no-signature-check  export VIBs whose signature an ESXi host would refuse, with a warning per kind\n" +
        TrustArguments.Usage + "\n" +
        "  --no-sync     do not wait for the output to reach the disk before renaming it into place (as genisoimage)\n" +
        "  The acceptance level is lowered (with a warning) when an added package needs it.\n" +
        "  --proxy <url>, --no-proxy, --timeout <sec>, --cache-dir <dir>: as for --depot in the other commands\n" +
        "exit codes: 0 written, 2 usage, 3 invalid input or profile, 4 not found, 5 network, 6 output failed, 130 cancelled";

    public IEnumerable<string> ValueOptions => DepotArguments.ValueOptions.Where(o => o != "depot").Concat(new[]
        { "source", "add", "remove", "profile", "name", "vendor", "out", "oem-vendor", "oem-version", "timestamp", TrustArguments.Option });

    public IEnumerable<string> Flags => DepotArguments.Flags.Concat(new[] { "force", "no-signature-check", "no-sync", "json" });

    public override int Run(CliArguments args, CliContext context)
    {
        if (args.Positionals.Count > 0) throw new CliUsageException($"unexpected argument '{args.Positionals[0]}'");
        var sources = args.Values("source");
        if (sources.Count == 0) throw new CliUsageException("give at least one --source (an ESXi ISO, a bundle or a depot URL)");
        var output = context.ResolvePath(args.Required("out"));
        var export = ExportArguments.Request(args, context, output);   // a bad --timestamp or --trust-cert before anything is made
        VibCommand.CreateFolderOf(output, context);
        var progress = new CliProgress(context.Error, interactive: ReferenceEquals(context.Error, Console.Error) && !Console.IsErrorRedirected);
        var result = CustomImageBuilder.Build(new CustomImageRequest
        {
            Sources = sources.Select(context.ResolveDepotSource).ToList(),
            Add = args.Values("add"),
            Remove = args.Values("remove"),
            BaseProfile = args.Value("profile"),
            Name = args.Value("name"),
            Vendor = args.Value("vendor"),
            Export = export,
            ConvertDefaults = new VibAuthoringRequest { Vendor = args.Value("oem-vendor") ?? "Community", Version = args.Value("oem-version") ?? "1.0.0-1" },
            BaseDirectory = context.CurrentDirectory,
            DepotOptions = DepotArguments.Options(args, context),
        }, progress, context.Cancellation);
        progress.Finish();

        var report = Report(result);
        if (args.Flag("json")) { CliJson.Write(context.Out, report); return ExitCodes.Success; }
        var w = context.Out;
        w.WriteLine($"base      {report.BaseProfile}");
        foreach (var c in report.Converted) w.WriteLine($"converted {c}");
        foreach (var a in report.Added) w.WriteLine($"added     {a}");
        foreach (var r in report.Replaced) w.WriteLine($"replaced  {r}");
        foreach (var r in report.Removed) w.WriteLine($"removed   {r}");
        foreach (var i in report.Ignored) w.WriteLine($"ignored   {i}");
        foreach (var x in report.Warnings) w.WriteLine($"warning:  {x}");
        w.WriteLine($"profile   {report.Profile}, acceptance {report.AcceptanceLevel}, {report.PackageCount} packages");
        w.WriteLine($"wrote     {report.Path} ({report.Size.ToString("N0", CultureInfo.InvariantCulture)} bytes)");
        return ExitCodes.Success;
    }

    /// <summary>The report (also the --json document) of <c>customize</c>.</summary>
    internal sealed record CustomizeReport(string BaseProfile, string Profile, string AcceptanceLevel, int PackageCount, string Kind, string Path, long Size,
        IReadOnlyList<string> Converted, IReadOnlyList<string> Added, IReadOnlyList<string> Replaced, IReadOnlyList<string> Removed,
        IReadOnlyList<string> Ignored, IReadOnlyList<string> Warnings, IReadOnlyList<string> Packages);

    internal static CustomizeReport Report(CustomImageResult r)
    {
        var p = r.Export.Profile;
        return new CustomizeReport(r.BaseProfile.Name, p.Name, p.AcceptanceLevel.ToString(), p.Packages.Count, r.Export.Kind, r.Export.Path, r.Export.Size,
            r.Converted.Select(c => c.ToString()).ToList(),
            r.Edit.Added.Select(v => v.Id).ToList(),
            r.Edit.Replaced.Select(x => x.ToString()).ToList(),
            r.Edit.Removed.Select(x => x.ToString()).ToList(),
            r.Edit.Ignored.Select(x => x.ToString()).ToList(),
            r.Warnings,
            p.Packages.Select(v => v.Id).OrderBy(i => i, StringComparer.Ordinal).ToList());
    }
}
