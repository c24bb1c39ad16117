using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ESXiImageTools.Core.Composition;

namespace ESXiImageTools.Cli.Commands;

/// <summary>
/// <c>esximage baseimages</c>: base images as this version knows them — each <c>ESXi</c> component version and the
/// profiles that carry it. VMware's baseimages/ documents are counted but not interpreted (README).
/// </summary>
public sealed class BaseImagesCommand : CliCommand, ICliOptions
{
    public override string Name => "baseimages";
    public override string Summary => "list base images (the ESXi component's versions and the profiles that carry them)";
    public override string Usage =>
        "usage: esximage baseimages --depot <src>... [--json]\n" +
        "  a base image is listed by its ESXi component; a software spec's base_image.version names one of these versions\n" +
        DepotArguments.Usage;

    public IEnumerable<string> ValueOptions => DepotArguments.ValueOptions;
    public IEnumerable<string> Flags => DepotArguments.Flags.Concat(new[] { "json" });

    /// <summary>The --json form of a base image.</summary>
    public sealed record BaseImageListing(string Version, string UiVersion, string Vendor, DateTimeOffset? ReleaseDate, string Component,
        IReadOnlyList<string> VibIds, IReadOnlyList<string> Profiles);

    public override int Run(CliArguments args, CliContext context)
    {
        if (args.Positionals.Count > 0) throw new CliUsageException($"unexpected argument '{args.Positionals[0]}' (sources go after --depot)");
        var session = DepotArguments.Session(args, context);
        var images = BaseImages.List(session.Components, session.Profiles);
        var documents = session.Depots.Sum(d => d.BaseImages.Count);
        if (args.Flag("json"))
        {
            CliJson.Write(context.Out, images.Select(b => new BaseImageListing(b.Version, b.UiVersion, b.Vendor, b.ReleaseDate, b.Component.Id,
                b.Component.VibIds, b.ProfileNames)).ToList());
            return ExitCodes.Success;
        }
        if (images.Count == 0) context.Out.WriteLine("no base images (no ESXi component in the depots)");
        else
            CliTable.Write(context.Out, new[] { "Version", "Display Version", "Vendor", "Release Date", "Profiles" },
                images.Select(b => new[]
                {
                    b.Version, b.UiVersion ?? "", b.Vendor ?? "", b.ReleaseDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
                    b.ProfileNames.Count == 0 ? "(none)" : string.Join(", ", b.ProfileNames),
                }).ToList());
        if (documents > 0)
            context.Error.WriteLine($"note: the depots hold {documents} base-image document(s) (baseimages/), which this version lists but does not interpret");
        return ExitCodes.Success;
    }
}
