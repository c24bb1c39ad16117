using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.Cli.Commands;

/// <summary><c>esximage packages</c>: lists the packages of one or more depots, filtered like Get-EsxPackage.</summary>
public sealed class PackagesCommand : CliCommand, ICliOptions
{
    public override string Name => "packages";
    public override string Summary => "list the packages (VIBs) of depots, with filters";
    public override string Usage =>
        "usage: esximage packages --depot <src>... [--name X] [--vendor V] [--version V] [--acceptance L] [--newest] [--since DATE] [--json]\n" +
        "  --name, --vendor, --version take wildcards (*, ?, [a-z]) and are repeatable\n" +
        "  --acceptance      VMwareCertified | VMwareAccepted | PartnerSupported | CommunitySupported (or certified, accepted, partner, community)\n" +
        "  --newest          only the highest version of each package name\n" +
        "  --since DATE      only packages released on or after DATE (yyyy-mm-dd)\n" +
        DepotArguments.Usage;

    public IEnumerable<string> ValueOptions => DepotArguments.ValueOptions.Concat(new[] { "name", "vendor", "version", "acceptance", "since" });
    public IEnumerable<string> Flags => DepotArguments.Flags.Concat(new[] { "newest", "json" });

    public override int Run(CliArguments args, CliContext context)
    {
        if (args.Positionals.Count > 0) throw new CliUsageException($"unexpected argument '{args.Positionals[0]}' (sources go after --depot)");
        var query = Query(args);
        var session = DepotArguments.Session(args, context);
        var packages = session.FindPackages(query);
        if (args.Flag("json")) { CliJson.Write(context.Out, packages); return ExitCodes.Success; }
        WriteTable(context.Out, packages);
        return ExitCodes.Success;
    }

    /// <summary>Turns the filter options into a <see cref="PackageQuery"/>.</summary>
    internal static PackageQuery Query(CliArguments args)
    {
        AcceptanceLevel? level = null;
        var acc = args.Value("acceptance");
        if (acc != null)
        {
            if (!AcceptanceLevels.TryParse(acc, out var l)) throw new CliUsageException($"--acceptance '{acc}' is not an acceptance level");
            level = l;
        }
        DateTimeOffset? since = null;
        var s = args.Value("since");
        if (s != null)
        {
            if (!DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d))
                throw new CliUsageException($"--since '{s}' is not a date (use yyyy-mm-dd)");
            since = d;
        }
        return new PackageQuery
        {
            Names = args.Values("name"),
            Vendors = args.Values("vendor"),
            Versions = args.Values("version"),
            AcceptanceLevel = level,
            Newest = args.Flag("newest"),
            SinceDate = since,
        };
    }

    /// <summary>ImageBuilder's default columns (Name, Version, Vendor, Creation Date) plus acceptance level.</summary>
    internal static void WriteTable(TextWriter w, IReadOnlyList<Vib> packages)
    {
        var rows = packages.Select(p => new[]
        {
            p.Name, p.Version?.Text ?? "", p.Vendor ?? "", p.AcceptanceLevel.ToString(),
            p.ReleaseDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
        }).ToList();
        CliTable.Write(w, new[] { "Name", "Version", "Vendor", "Acceptance Level", "Creation Date" }, rows);
    }
}

/// <summary>Plain left-aligned text tables for command output.</summary>
internal static class CliTable
{
    public static void Write(TextWriter w, IReadOnlyList<string> headers, IReadOnlyList<string[]> rows)
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => (r[i] ?? "").Length))).ToArray();
        string Line(IReadOnlyList<string> cells) => string.Join("  ", cells.Select((c, i) => i == cells.Count - 1 ? c ?? "" : (c ?? "").PadRight(widths[i]))).TrimEnd();
        w.WriteLine(Line(headers));
        w.WriteLine(Line(widths.Select(n => new string('-', n)).ToArray()));
        foreach (var r in rows) w.WriteLine(Line(r));
    }
}
