using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ESXiImageTools.Core.Authoring;
using ESXiImageTools.Core.Export;

namespace ESXiImageTools.Cli.Commands;

/// <summary><c>esximage bundle new</c>: VIBs into an offline bundle (what VIB2ZIP did).</summary>
public sealed class BundleCommand : CliCommand, ICliOptions
{
    public override string Name => "bundle";
    public override string Summary => "bundle new: put VIBs into an offline bundle zip";
    public override string Usage =>
        "usage: esximage bundle new --vib <file.vib>... --out <bundle.zip> [--vendor <name>] [--vendor-code <ABC>]\n" +
        "                           [--platform <8.*>] [--timestamp <unix-seconds>] [--force] [--json]\n" +
        "  --vib          a .vib file (repeatable; also accepted as plain arguments)\n" +
        "  --vendor       index.xml vendor name (default: the first VIB's vendor)\n" +
        "  --vendor-code  index.xml vendor code, 3 letters or digits (default: from the vendor name)\n" +
        "  --platform     vendor-index.xml platform version pattern (default: from the VIBs, * when they name none)\n" +
        "  --force        replace an existing output file\n" +
        "exit codes: 0 written, 2 usage, 3 invalid input (checksum mismatch...), 4 not found, 6 output failed";

    public IEnumerable<string> ValueOptions => new[] { "vib", "out", "vendor", "vendor-code", "platform", "timestamp" };
    public IEnumerable<string> Flags => new[] { "force", "json" };

    public override int Run(CliArguments args, CliContext context)
    {
        if (args.Positionals.Count == 0 || args.Positionals[0] != "new")
            throw new CliUsageException(args.Positionals.Count == 0 ? "say what to do: esximage bundle new ..." : $"unknown bundle subcommand '{args.Positionals[0]}' (expected: new)");
        var vibs = args.Values("vib").Concat(args.Positionals.Skip(1)).Select(context.ResolvePath).ToList();
        if (vibs.Count == 0) throw new CliUsageException("give at least one --vib <file.vib>");
        var output = context.ResolvePath(args.Required("out"));
        // Usage errors before the folder is made: the timestamp (or SOURCE_DATE_EPOCH) and the vendor code.
        var timestamp = VibCommand.OutputDate(args.Value("timestamp"), "--timestamp");
        if (args.Value("vendor-code") is { } code) BundleExporter.CheckVendorCode(code.Trim());
        VibCommand.CreateFolderOf(output, context);
        var result = BundleAuthor.Create(vibs, output, new BundleAuthoringOptions
        {
            VendorName = args.Value("vendor"),
            VendorCode = args.Value("vendor-code"),
            PlatformVersion = args.Value("platform"),
            Timestamp = timestamp,
            Overwrite = args.Flag("force"),
        }, context.Cancellation);
        foreach (var w in result.Warnings) context.Error.WriteLine("warning: " + w);
        if (args.Flag("json")) CliJson.Write(context.Out, new BundleReport(result.Path, result.Size, result.Files, result.Warnings));
        else context.Out.WriteLine($"wrote {result.Path} ({result.Size.ToString("N0", CultureInfo.InvariantCulture)} bytes): {vibs.Count} VIB(s)");
        return ExitCodes.Success;
    }

    /// <summary>The --json document of <c>bundle new</c>.</summary>
    internal sealed record BundleReport(string Path, long Size, IReadOnlyList<string> Files, IReadOnlyList<string> Warnings);
}
