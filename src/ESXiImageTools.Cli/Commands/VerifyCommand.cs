using System.Collections.Generic;
using System.Linq;
using ESXiImageTools.Core.Verification;

namespace ESXiImageTools.Cli.Commands;

/// <summary><c>esximage verify</c>: structural checks of a finished ISO or bundle before anyone boots it.</summary>
public sealed class VerifyCommand : CliCommand, ICliOptions
{
    public override string Name => "verify";
    public override string Summary => "check a finished ESXi ISO or offline bundle: boot entries, BOOT.CFG, IMGDB.TGZ, checksums, acceptance";
    public override string Usage =>
        "usage: esximage verify <file.iso|bundle.zip> [--trust-cert <pem>...] [--json]\n" +
        "  ISO: both El Torito entries present and starting real files; every BOOT.CFG module in both BOOT.CFGs and in the\n" +
        "  image; IMGDB.TGZ consistent with the payload files; every payload checksum; acceptance levels coherent.\n" +
        "  Bundle: metadata, every .vib's size and sha-256, every payload checksum, acceptance levels, and every VIB's\n" +
        "  signature as an ESXi host checks it (an ISO carries no signatures to check).\n" +
        TrustArguments.Usage + "\n" +
        "exit codes: 0 no errors (warnings may be printed), 1 problems found, 2 usage, 3 unreadable file, 4 not found";

    public IEnumerable<string> ValueOptions => new[] { TrustArguments.Option };
    public IEnumerable<string> Flags => new[] { "json" };

    public override int Run(CliArguments args, CliContext context)
    {
        if (args.Positionals.Count != 1) throw new CliUsageException("give exactly one ISO or bundle");
        var v = ImageVerifier.Verify(context.ResolvePath(args.Positionals[0]), TrustArguments.Store(args, context), context.Cancellation);
        if (args.Flag("json"))
            CliJson.Write(context.Out, new VerifyReport(v.Path, v.Kind, v.IsValid, v.PayloadsVerified, v.Profiles.Select(p => p.Name).ToList(), v.Passed, v.Problems));
        else
        {
            foreach (var line in v.Passed) context.Out.WriteLine("ok      " + line);
            foreach (var p in v.Problems) context.Out.WriteLine($"{(p.Severity == ImageProblemSeverity.Error ? "error  " : "warning")} {p.Check}: {(p.File == null ? "" : p.File + ": ")}{p.Message}");
            int errors = v.Problems.Count(p => p.Severity == ImageProblemSeverity.Error);
            context.Out.WriteLine(v.IsValid
                ? $"{v.Path}: no problems found{(v.Problems.Count > 0 ? $" ({v.Problems.Count} warning(s))" : "")}"
                : $"{v.Path}: {errors} error(s), {v.Problems.Count - errors} warning(s)");
        }
        return v.IsValid ? ExitCodes.Success : ExitCodes.ProblemsFound;
    }

    /// <summary>The --json document of <c>verify</c>.</summary>
    internal sealed record VerifyReport(string Path, string Kind, bool Valid, int PayloadsVerified, IReadOnlyList<string> Profiles,
                                        IReadOnlyList<string> Passed, IReadOnlyList<ImageProblem> Problems);
}
