using System.Collections.Generic;
using System.Linq;
using ESXiImageTools.Core.Composition;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;

namespace ESXiImageTools.Cli.Commands;

/// <summary>
/// <c>esximage validate</c>: builds the profile a base profile plus edits describe (from options and/or a
/// JSON spec) and reports its validation problems. Exit 0 valid, 1 problems found.
/// </summary>
public sealed class ValidateCommand : CliCommand, ICliOptions
{
    public override string Name => "validate";
    public override string Summary => "validate an image profile, optionally with packages added or removed";
    public override string Usage =>
        "usage: esximage validate --depot <src>... --profile <name> [--add <pkg|file>...] [--remove <name>...]\n" +
        "                         [--acceptance <level>] [--allow-lower-acceptance] [--spec <file>] [--json]\n" +
        "  --profile     the profile to start from (a clone is edited; the depot stays untouched)\n" +
        "  --add         a package name (highest version), \"name version\", VIB id, or a file:\n" +
        "                a .vib adds that package, a bundle .zip adds all of its packages (repeatable)\n" +
        "  --remove      a package name, \"name version\" or id (repeatable)\n" +
        "  --acceptance  set the profile level first: certified, accepted, partner or community\n" +
        "  --allow-lower-acceptance  lower the level to the least trusted added package\n" +
        "  --spec        a profile spec JSON file (base profile, adds, removes, level); options add to it\n" +
        DepotArguments.Usage + "\n" +
        "exit codes: 0 valid, 1 validation problems found, 2 usage, 3 invalid input, 4 not found, 5 network";

    public IEnumerable<string> ValueOptions => DepotArguments.ValueOptions.Concat(new[] { "profile", "add", "remove", "acceptance", "spec" });
    public IEnumerable<string> Flags => DepotArguments.Flags.Concat(new[] { "json", "allow-lower-acceptance" });

    public override int Run(CliArguments args, CliContext context)
    {
        if (args.Positionals.Count > 0) throw new CliUsageException($"unexpected argument '{args.Positionals[0]}'");
        var request = ProfileCli.Request(args, context);
        // validate reports problems rather than refusing: the build is forced, and judged below.
        request = request with { Force = true };
        var session = DepotArguments.Session(args, context);
        var result = SessionProfileBuilder.Build(request, session, options: DepotArguments.Options(args, context), cancellationToken: context.Cancellation);

        if (result.Errors.Count > 0)
        {
            foreach (var e in result.Errors) context.Error.WriteLine($"esximage: {e.Error.Code}: {CliHints.Message(e.Error)}");
            return Program.ExitCodeFor(result.Errors[0].Error);
        }
        var report = ProfileCli.Report(result);
        if (args.Flag("json")) CliJson.Write(context.Out, report);
        else ProfileCli.WriteReport(context.Out, report);
        return report.Valid ? ExitCodes.Success : ExitCodes.ProblemsFound;
    }
}
