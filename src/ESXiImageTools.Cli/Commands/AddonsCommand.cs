using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ESXiImageTools.Core.Components;
using ESXiImageTools.Core.Diagnostics;

namespace ESXiImageTools.Cli.Commands;

/// <summary>
/// <c>esximage addons</c>: the vendor add-ons (<c>addons/</c> in depot metadata) as Get-DepotAddons shows them: Name,
/// Version, ID, Vendor, Release date. A document that is not a readable add-on is listed by file with its problem
/// (the document keys are inferred: no real add-on document is public).
/// </summary>
public sealed class AddonsCommand : CliCommand, ICliOptions
{
    public override string Name => "addons";
    public override string Summary => "list the vendor add-ons of depots (name, version, id, vendor, release date)";
    public override string Usage =>
        "usage: esximage addons --depot <src>... [--json]\n" +
        "  lists each addons/ document of the depot metadata as an add-on (name, version, id, vendor, release date;\n" +
        "  --json adds its components); add-ons are not applied by build --spec: name their components under \"components\"\n" +
        DepotArguments.Usage;

    public IEnumerable<string> ValueOptions => DepotArguments.ValueOptions;
    public IEnumerable<string> Flags => DepotArguments.Flags.Concat(new[] { "json" });

    /// <summary>The --json form of an add-on document: the add-on's fields, or <see cref="Problem"/> when it could not be read.</summary>
    public sealed record AddonListing(string Id, string EntryName, string Depot, int Length,
                                      string Name = null, string Version = null, string ReleaseId = null, string Vendor = null,
                                      DateTimeOffset? ReleaseDate = null, IReadOnlyDictionary<string, string> Components = null,
                                      IReadOnlyList<string> RemovedComponents = null, string Problem = null);

    public override int Run(CliArguments args, CliContext context)
    {
        if (args.Positionals.Count > 0) throw new CliUsageException($"unexpected argument '{args.Positionals[0]}' (sources go after --depot)");
        var session = DepotArguments.Session(args, context);
        var addons = session.Depots.SelectMany(d => d.Addons.Select(a =>
        {
            var listing = new AddonListing(a.Id, a.EntryName, d.Source, a.Text?.Length ?? 0);
            try
            {
                var addon = AddonDocuments.Read(a, d.Source);
                return listing with { Name = addon.Name, Version = addon.Version, ReleaseId = addon.Id, Vendor = addon.Vendor, ReleaseDate = addon.ReleaseDate,
                                      Components = addon.Components, RemovedComponents = addon.RemovedComponents };
            }
            catch (EsxFormatException e) when (e.Code == ErrorCodes.AddonInvalid) { return listing with { Problem = e.Problem }; }
        })).ToList();
        if (args.Flag("json")) { CliJson.Write(context.Out, addons); return ExitCodes.Success; }
        if (addons.Count == 0) { context.Out.WriteLine("no add-on documents (addons/) in the depots"); return ExitCodes.Success; }
        var read = addons.Where(a => a.Problem == null).ToList();
        if (read.Count > 0)
            CliTable.Write(context.Out, new[] { "Name", "Version", "ID", "Vendor", "Release date" },
                read.Select(a => new[] { a.Name, a.Version, a.ReleaseId, a.Vendor, a.ReleaseDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "" }).ToList());
        foreach (var a in addons.Where(a => a.Problem != null))
            context.Error.WriteLine(MessageText.Escape($"warning: {a.Depot} [{a.EntryName}]: not a readable add-on ({ErrorCodes.AddonInvalid}): {a.Problem}"));
        return ExitCodes.Success;
    }
}
