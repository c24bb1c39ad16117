using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;

namespace ESXiImageTools.Cli.Commands;

/// <summary><c>esximage profiles</c>: lists the image profiles of one or more depots, like Get-EsxProfile.</summary>
public sealed class ProfilesCommand : CliCommand, ICliOptions
{
    public override string Name => "profiles";
    public override string Summary => "list the image profiles of depots";
    public override string Usage =>
        "usage: esximage profiles --depot <src>... [--name X] [--vendor V] [--json]\n" +
        "  --name, --vendor take wildcards (*, ?, [a-z]) and are repeatable\n" +
        DepotArguments.Usage;

    public IEnumerable<string> ValueOptions => DepotArguments.ValueOptions.Concat(new[] { "name", "vendor" });
    public IEnumerable<string> Flags => DepotArguments.Flags.Concat(new[] { "json" });

    /// <summary>The --json form of a profile: its fields and VIB ids (not whole package objects).</summary>
    public sealed record ProfileListing(string Name, string Vendor, string Creator, string Description, AcceptanceLevel AcceptanceLevel,
        DateTimeOffset CreationTime, DateTimeOffset ModifiedTime, bool ReadOnly, string ProfileId, string Source,
        IReadOnlyList<string> VibIds, IReadOnlyList<string> MissingVibIds);

    public static ProfileListing ToListing(ImageProfile p) => new ProfileListing(p.Name, p.Vendor, p.Creator, p.Description, p.AcceptanceLevel,
        p.CreationTime, p.ModifiedTime, p.ReadOnly, p.ProfileId, p.Source, p.Packages.Select(v => v.Id).ToList(), p.MissingVibIds);

    public override int Run(CliArguments args, CliContext context)
    {
        if (args.Positionals.Count > 0) throw new CliUsageException($"unexpected argument '{args.Positionals[0]}' (sources go after --depot)");
        var session = DepotArguments.Session(args, context);
        var profiles = session.FindProfiles(args.Values("name"), args.Values("vendor"));
        if (args.Flag("json")) { CliJson.Write(context.Out, profiles.Select(ToListing).ToList()); return ExitCodes.Success; }
        WriteTable(context.Out, profiles);
        return ExitCodes.Success;
    }

    /// <summary>ImageBuilder's default columns: Name, Vendor, Last Modified, Acceptance Level (plus the package count).</summary>
    internal static void WriteTable(TextWriter w, IReadOnlyList<ImageProfile> profiles)
    {
        if (profiles.Count == 0) { w.WriteLine("no image profiles"); return; }
        CliTable.Write(w, new[] { "Name", "Vendor", "Last Modified", "Acceptance Level", "Packages" },
            profiles.Select(p => new[]
            {
                p.Name, p.Vendor ?? "", p.ModifiedTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), p.AcceptanceLevel.ToString(),
                p.MissingVibIds.Count == 0 ? p.Packages.Count.ToString(CultureInfo.InvariantCulture) : $"{p.Packages.Count} (+{p.MissingVibIds.Count} missing)",
            }).ToList());
    }
}
