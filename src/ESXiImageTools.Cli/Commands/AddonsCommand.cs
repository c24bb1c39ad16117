using System.Collections.Generic;
using System.Linq;
using ESXiImageTools.Core.Depots;

namespace ESXiImageTools.Cli.Commands;

/// <summary>
/// <c>esximage addons</c>: the vendor add-on documents (<c>addons/</c> in depot metadata) by file, uninterpreted —
/// no public source documents their encoding (README, formats.md §1.5).
/// </summary>
public sealed class AddonsCommand : CliCommand, ICliOptions
{
    public override string Name => "addons";
    public override string Summary => "list the vendor add-on documents of depots (names only; add-ons are not interpreted)";
    public override string Usage =>
        "usage: esximage addons --depot <src>... [--json]\n" +
        "  lists each addons/ document of the depot metadata by its entry name; their content is not interpreted,\n" +
        "  so a software spec's add_on cannot be applied: name the add-on's components under \"components\" instead\n" +
        DepotArguments.Usage;

    public IEnumerable<string> ValueOptions => DepotArguments.ValueOptions;
    public IEnumerable<string> Flags => DepotArguments.Flags.Concat(new[] { "json" });

    /// <summary>The --json form of an add-on document.</summary>
    public sealed record AddonListing(string Id, string EntryName, string Depot, int Length);

    public override int Run(CliArguments args, CliContext context)
    {
        if (args.Positionals.Count > 0) throw new CliUsageException($"unexpected argument '{args.Positionals[0]}' (sources go after --depot)");
        var session = DepotArguments.Session(args, context);
        var addons = session.Depots.SelectMany(d => d.Addons.Select(a => new AddonListing(a.Id, a.EntryName, d.Source, a.Text?.Length ?? 0))).ToList();
        if (args.Flag("json")) { CliJson.Write(context.Out, addons); return ExitCodes.Success; }
        if (addons.Count == 0) context.Out.WriteLine("no add-on documents (addons/) in the depots");
        else CliTable.Write(context.Out, new[] { "Id", "Entry", "Depot" }, addons.Select(a => new[] { a.Id, a.EntryName, a.Depot }).ToList());
        return ExitCodes.Success;
    }
}
