using System.Collections.Generic;
using System.Linq;
using ESXiImageTools.Core.Profiles;

namespace ESXiImageTools.Cli.Commands;

/// <summary><c>esximage compare</c>: how two image profiles differ (Compare-EsxImageProfile).</summary>
public sealed class CompareCommand : CliCommand, ICliOptions
{
    public override string Name => "compare";
    public override string Summary => "compare two image profiles: added, removed, upgraded and downgraded packages";
    public override string Usage =>
        "usage: esximage compare --depot <src>... <referenceProfile> <comparisonProfile> [--json]\n" +
        "  lines: '- id' only in the reference, '+ id' only in the comparison, '^ name old -> new' upgraded, 'v name old -> new' downgraded\n" +
        DepotArguments.Usage + "\n" +
        "exit codes: 0 compared (whether or not they differ), 2 usage, 3 invalid input, 4 profile not found, 5 network";

    public IEnumerable<string> ValueOptions => DepotArguments.ValueOptions;
    public IEnumerable<string> Flags => DepotArguments.Flags.Concat(new[] { "json" });

    /// <summary>The --json document.</summary>
    public sealed record ComparisonReport(
        string Reference, string Comparison, bool Equal, bool PackagesEqual,
        string ReferenceAcceptanceLevel, string ComparisonAcceptanceLevel,
        IReadOnlyList<string> OnlyInReference, IReadOnlyList<string> OnlyInComparison,
        IReadOnlyList<VersionChange> Upgraded, IReadOnlyList<VersionChange> Downgraded, int Common);

    public sealed record VersionChange(string Name, string From, string To, string ReferenceId, string ComparisonId);

    public override int Run(CliArguments args, CliContext context)
    {
        if (args.Positionals.Count != 2) throw new CliUsageException("give a reference profile and a comparison profile");
        var session = DepotArguments.Session(args, context);
        var profiles = session.Profiles;
        var reference = ProfileBuilder.FindProfile(profiles, args.Positionals[0]);
        var comparison = ProfileBuilder.FindProfile(profiles, args.Positionals[1]);
        var diff = ProfileComparison.Compare(reference, comparison);

        static VersionChange Change(PackageVersionChange c)
            => new VersionChange(c.Reference.Name, c.Reference.Version.ToString(), c.Comparison.Version.ToString(), c.Reference.Id, c.Comparison.Id);
        var report = new ComparisonReport(reference.Name, comparison.Name, diff.Equal, diff.PackagesEqual,
            diff.ReferenceAcceptanceLevel.ToString(), diff.ComparisonAcceptanceLevel.ToString(),
            diff.OnlyInReference.Select(v => v.Id).OrderBy(i => i, System.StringComparer.Ordinal).ToList(),
            diff.OnlyInComparison.Select(v => v.Id).OrderBy(i => i, System.StringComparer.Ordinal).ToList(),
            diff.Upgraded.Select(Change).OrderBy(c => c.Name, System.StringComparer.Ordinal).ToList(),
            diff.Downgraded.Select(Change).OrderBy(c => c.Name, System.StringComparer.Ordinal).ToList(),
            diff.Common.Count);

        if (args.Flag("json")) { CliJson.Write(context.Out, report); return ExitCodes.Success; }
        var w = context.Out;
        w.WriteLine($"reference  {report.Reference} ({report.ReferenceAcceptanceLevel})");
        w.WriteLine($"comparison {report.Comparison} ({report.ComparisonAcceptanceLevel})");
        w.WriteLine(report.Equal ? "profiles are equal" : report.PackagesEqual ? "packages are equal; settings differ" : "packages differ");
        foreach (var id in report.OnlyInReference) w.WriteLine("- " + id);
        foreach (var id in report.OnlyInComparison) w.WriteLine("+ " + id);
        foreach (var c in report.Upgraded) w.WriteLine($"^ {c.Name} {c.From} -> {c.To}");
        foreach (var c in report.Downgraded) w.WriteLine($"v {c.Name} {c.From} -> {c.To}");
        w.WriteLine($"{report.Common} packages in both");
        return ExitCodes.Success;
    }
}
