using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ESXiImageTools.Core.Authoring;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.Cli.Commands;

/// <summary><c>esximage vib new</c>: a VIB from an OEM.tgz, a tar or a folder tree (what VIB Author and TGZ2VIB did).</summary>
public sealed class VibCommand : CliCommand, ICliOptions
{
    public override string Name => "vib";
    public override string Summary => "vib new: make a VIB from an OEM.tgz, a tar or a folder";
    public override string Usage =>
        "usage: esximage vib new --from <oem.tgz|tar|folder> --name <n> --version <v> --vendor <x> --out <file.vib>\n" +
        "                        [--summary <text>] [--description <text>] [--acceptance <level>] [--kb-url <url>]\n" +
        "                        [--depends <constraint>...] [--conflicts <constraint>...] [--replaces <constraint>...]\n" +
        "                        [--provides <name[=version]>...] [--tag <tag>...] [--payload-type tgz|vgz] [--payload-name <n>]\n" +
        "                        [--live-install] [--live-remove] [--no-maintenance-mode] [--not-stateless]\n" +
        "                        [--release-date <unix-seconds>] [--force] [--json]\n" +
        "  --from        an OEM.tgz (usr/lib/vmware/vmkmod/, etc/vmware/driver.map.d/, usr/share/hwdata/driver.pciids.d/),\n" +
        "                a tar, or a folder laid out like the host's root; paths leaving the root and links are refused\n" +
        "  --acceptance  certified, accepted, partner or community (default community)\n" +
        "  --depends     a constraint such as \"vmkapi_2_2_0_0\" or \"esx-version >= 7.0.0\" (repeatable)\n" +
        "  --payload-type  tgz (a tar.gz, as TGZ2VIB writes; default) or vgz (a vmtar, as VIB Author writes)\n" +
        "  --release-date  the descriptor's release date (default: SOURCE_DATE_EPOCH, else now): same inputs + same date = same bytes\n" +
        "  --force       replace an existing output file\n" +
        "exit codes: 0 written, 2 usage, 3 invalid input, 4 not found, 6 output failed";

    public IEnumerable<string> ValueOptions => new[]
    {
        "from", "name", "version", "vendor", "out", "summary", "description", "acceptance", "kb-url", "depends", "conflicts",
        "replaces", "provides", "tag", "payload-type", "payload-name", "release-date",
    };

    public IEnumerable<string> Flags => new[] { "live-install", "live-remove", "no-maintenance-mode", "not-stateless", "force", "json" };

    public override int Run(CliArguments args, CliContext context)
    {
        if (args.Positionals.Count != 1 || args.Positionals[0] != "new")
            throw new CliUsageException(args.Positionals.Count == 0 ? "say what to do: esximage vib new ..." : $"unknown vib subcommand '{args.Positionals[0]}' (expected: new)");
        var request = new VibAuthoringRequest
        {
            Name = args.Required("name"),
            Version = args.Required("version"),
            Vendor = args.Required("vendor"),
            Summary = args.Value("summary"),
            Description = args.Value("description"),
            AcceptanceLevel = Level(args.Value("acceptance")),
            KbUrl = args.Value("kb-url"),
            Depends = Constraints(args, "depends"),
            Conflicts = Constraints(args, "conflicts"),
            Replaces = Constraints(args, "replaces"),
            Provides = args.Values("provides").Select(ParseProvide).ToList(),
            Tags = args.Values("tag"),
            PayloadType = args.Value("payload-type") ?? "tgz",
            PayloadName = args.Value("payload-name"),
            LiveInstallAllowed = args.Flag("live-install"),
            LiveRemoveAllowed = args.Flag("live-remove"),
            MaintenanceMode = !args.Flag("no-maintenance-mode"),
            StatelessReady = !args.Flag("not-stateless"),
            ReleaseDate = OutputDate(args.Value("release-date"), "--release-date"),
        };
        var from = context.ResolvePath(args.Required("from"));
        var output = context.ResolvePath(args.Required("out"));
        CreateFolderOf(output, context);
        var result = VibAuthor.Create(from, request, output, args.Flag("force"), context.Cancellation);
        foreach (var w in result.Warnings) context.Error.WriteLine("warning: " + w);
        var vib = result.Vib;
        if (args.Flag("json"))
            CliJson.Write(context.Out, new VibReport(result.Path, vib.Id, vib.AcceptanceLevel.ToString(), vib.FileList, vib.Payloads, result.Warnings));
        else
            context.Out.WriteLine($"wrote {result.Path}: {vib.Id}, {vib.AcceptanceLevel}, {vib.FileList.Count} files in payload '{vib.Payloads[0].Name}' ({vib.Payloads[0].Type}, {vib.Payloads[0].Size.ToString("N0", CultureInfo.InvariantCulture)} bytes)");
        return ExitCodes.Success;
    }

    /// <summary>The --json document of <c>vib new</c>.</summary>
    internal sealed record VibReport(string Path, string Id, string AcceptanceLevel, IReadOnlyList<string> Files, IReadOnlyList<Payload> Payloads, IReadOnlyList<string> Warnings);

    /// <summary>
    /// A scheduled run names an output folder that may not exist yet: it is made, and the run says so on stderr, so
    /// a mistyped folder does not go unnoticed (the engine itself only writes files into folders that exist).
    /// </summary>
    internal static void CreateFolderOf(string output, CliContext context)
    {
        var folder = System.IO.Path.GetDirectoryName(output);
        if (string.IsNullOrEmpty(folder) || System.IO.Directory.Exists(folder)) return;
        System.IO.Directory.CreateDirectory(folder);
        context.Error.WriteLine($"esximage: created the folder '{MessageText.Escape(folder)}' for the output");
    }

    internal static AcceptanceLevel Level(string text)
    {
        if (text == null) return AcceptanceLevel.CommunitySupported;
        if (!AcceptanceLevels.TryParse(text, out var level)) throw new CliUsageException($"--acceptance '{text}' is not one of certified, accepted, partner, community");
        return level;
    }

    /// <summary>
    /// A Unix-time option (--timestamp, --release-date) read by <see cref="Core.IO.UnixTime.Parse"/>, bounded by
    /// <paramref name="latest"/> (default <see cref="Core.Export.ExportOptions.LatestTimestamp"/>, where zip dates end), so
    /// an output that cannot record the date is a usage error before any work; null when the option is absent.
    /// </summary>
    internal static DateTimeOffset? UnixTime(string text, string option, DateTimeOffset? latest = null, string latestWhy = null)
        => text == null ? null
         : Core.IO.UnixTime.Parse(text, option, latest ?? Core.Export.ExportOptions.LatestTimestamp, latestWhy ?? Core.Export.ExportOptions.LatestTimestampWhy);

    /// <summary>
    /// The date an output records: the Unix-time <paramref name="option"/> when given, else SOURCE_DATE_EPOCH (this
    /// process's, or <paramref name="sourceDateEpoch"/> when a test passes one), else null (now); bounded by
    /// <paramref name="latest"/> as <see cref="UnixTime(string, string, DateTimeOffset?, string)"/>. Read before any folder
    /// is made or input is read, so a bad value is a usage error that leaves nothing.
    /// </summary>
    internal static DateTimeOffset? OutputDate(string text, string option, DateTimeOffset? latest = null, string latestWhy = null,
                                               string sourceDateEpoch = null)
        => UnixTime(text, option, latest, latestWhy)
           ?? Core.IO.UnixTime.FromSourceDateEpoch(sourceDateEpoch ?? Core.IO.UnixTime.SourceDateEpochValue,
                                                   latest ?? Core.Export.ExportOptions.LatestTimestamp,
                                                   latestWhy ?? Core.Export.ExportOptions.LatestTimestampWhy);

    private static IReadOnlyList<Constraint> Constraints(CliArguments args, string option)
        => args.Values(option).Select(c => Constraint.Parse(c, "--" + option)).ToList();

    private static Provide ParseProvide(string text)
    {
        int eq = text.IndexOf('=');
        return eq < 0 ? new Provide(text.Trim()) : new Provide(text.Substring(0, eq).Trim(), VibVersion.Parse(text.Substring(eq + 1).Trim(), "--provides"));
    }
}
