using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using ESXiImageTools.Core.Components;

namespace ESXiImageTools.Cli.Commands;

/// <summary><c>esximage components</c>: the ESXi 7.0+ components of depots, like Get-EsxComponent / Get-DepotComponents.</summary>
public sealed class ComponentsCommand : CliCommand, ICliOptions
{
    public override string Name => "components";
    public override string Summary => "list the components (ESXi 7.0+) of depots, with their VIBs";
    public override string Usage =>
        "usage: esximage components --depot <src>... [--name X] [--version V] [--vendor V] [--newest] [--json]\n" +
        "  --name, --version, --vendor take wildcards (*, ?, [a-z]) and are repeatable; --name also matches the display name and name:version\n" +
        "  --newest          only the highest version of each component name\n" +
        DepotArguments.Usage;

    public IEnumerable<string> ValueOptions => DepotArguments.ValueOptions.Concat(new[] { "name", "version", "vendor" });
    public IEnumerable<string> Flags => DepotArguments.Flags.Concat(new[] { "newest", "json" });

    /// <summary>The --json form of a component: its fields and VIB ids (not whole package objects).</summary>
    public sealed record ComponentListing(string Name, string Version, string Id, string UiName, string UiVersion, string Vendor, string Summary,
        string ReleaseType, DateTimeOffset? ReleaseDate, string AcceptanceLevel, string BulletinId, IReadOnlyList<string> VibIds, IReadOnlyList<string> MissingVibIds);

    public static ComponentListing ToListing(Component c) => new ComponentListing(c.Name, c.Version, c.Id, c.UiName, c.UiVersion, c.Vendor, c.Summary,
        c.ReleaseType, c.ReleaseDate, c.AcceptanceLevel?.ToString(), c.BulletinId, c.VibIds, c.MissingVibIds);

    public override int Run(CliArguments args, CliContext context)
    {
        if (args.Positionals.Count > 0) throw new CliUsageException($"unexpected argument '{args.Positionals[0]}' (sources go after --depot)");
        var session = DepotArguments.Session(args, context);
        var components = session.FindComponents(new ComponentQuery
        {
            Names = args.Values("name"),
            Versions = args.Values("version"),
            Vendors = args.Values("vendor"),
            Newest = args.Flag("newest"),
        });
        if (args.Flag("json")) { CliJson.Write(context.Out, components.Select(ToListing).ToList()); return ExitCodes.Success; }
        WriteTable(context.Out, components);
        return ExitCodes.Success;
    }

    /// <summary>Get-DepotComponents' columns (Name, Version, Vendor) plus acceptance level and the VIB count.</summary>
    internal static void WriteTable(TextWriter w, IReadOnlyList<Component> components)
    {
        if (components.Count == 0) { w.WriteLine("no components (depots made before ESXi 7.0 have none)"); return; }
        CliTable.Write(w, new[] { "Name", "Version", "Vendor", "Acceptance Level", "VIBs" },
            components.Select(c => new[]
            {
                c.Name, c.Version, c.Vendor ?? "", c.AcceptanceLevel?.ToString() ?? "",
                c.MissingVibIds.Count == 0 ? c.VibIds.Count.ToString(CultureInfo.InvariantCulture) : $"{c.Packages.Count} of {c.VibIds.Count}",
            }).ToList());
    }
}
