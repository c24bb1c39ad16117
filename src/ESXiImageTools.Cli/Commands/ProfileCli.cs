using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ESXiImageTools.Core.Components;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;

namespace ESXiImageTools.Cli.Commands;

/// <summary>Shared pieces of the profile commands: depot loading, turning options into a build request, the report.</summary>
internal static class ProfileCli
{
    /// <summary>--spec (if any) with --profile, --add, --remove, --acceptance and --allow-lower-acceptance applied on top.</summary>
    public static ProfileBuildRequest Request(CliArguments args, CliContext context)
    {
        var specPath = args.Value("spec");
        var specFile = specPath == null ? null : context.ResolvePath(specPath);
        // --spec takes this project's profile spec or VMware's software spec (base_image, components) as is.
        var request = specFile == null ? new ProfileBuildRequest()
            : SoftwareSpec.IsSoftwareSpec(specFile) ? new ProfileBuildRequest { SoftwareSpec = SoftwareSpec.Load(specFile) }
            : ProfileBuildRequest.FromSpec(ProfileSpec.Load(specFile));
        var profile = args.Value("profile");
        if (profile != null && request.SoftwareSpec != null) throw new CliUsageException("--profile and a software spec both name the base; give one");
        if (profile != null) request = request with { BaseProfile = profile };
        if (request.BaseProfile == null && specPath == null) throw new CliUsageException("--profile (or --spec) is required");

        // Files named on the command line are relative to the current directory; the spec's to the spec file.
        var adds = args.Values("add").Select(a => ProfileBuilder.IsFileItem(a) ? context.ResolvePath(a) : a);
        request = request with
        {
            Add = request.Add.Concat(adds).ToList(),
            Remove = request.Remove.Concat(args.Values("remove")).ToList(),
            AllowLowerAcceptance = request.AllowLowerAcceptance || args.Flag("allow-lower-acceptance"),
        };
        var level = args.Value("acceptance");
        if (level != null)
        {
            if (!AcceptanceLevels.TryParse(level, out var parsed))
                throw new CliUsageException($"--acceptance '{level}' is not one of certified, accepted, partner, community");
            request = request with { AcceptanceLevel = parsed };
        }
        return request;
    }

    /// <summary>The --json document of <c>validate</c>.</summary>
    public sealed record ValidationReport(
        string Profile, string Vendor, string AcceptanceLevel, int PackageCount, bool Valid,
        IReadOnlyList<string> Added, IReadOnlyList<ReplacementLine> Replaced, IReadOnlyList<RemovalLine> Removed,
        IReadOnlyList<string> Warnings, IReadOnlyList<ProblemLine> Problems, IReadOnlyList<string> Packages);

    public sealed record ReplacementLine(string Old, string New, string Reason);

    public sealed record RemovalLine(string Package, string Reason);

    public sealed record ProblemLine(string Kind, string Severity, string Package, string Constraint,
                                     IReadOnlyList<string> Candidates, IReadOnlyList<string> Related, string Message, string Component = null);

    public static ValidationReport Report(EditResult result)
    {
        var p = result.Profile;
        return new ValidationReport(p.Name, p.Vendor, p.AcceptanceLevel.ToString(), p.Packages.Count, result.IsValid,
            result.Added.Select(v => v.Id).ToList(),
            result.Replaced.Select(r => new ReplacementLine(r.Old.Id, r.New.Id, r.Reason)).ToList(),
            result.Removed.Select(r => new RemovalLine(r.Package.Id, r.Reason)).ToList(),
            // A forced edit repeats each problem as a "forced despite" warning; the problems list already says it.
            result.Warnings.Where(w => !(w.Kind == EsxWarningKind.ForcedProblem && result.Problems.Any(x => x.Message == w.Message)))
                           .Select(w => w.ToString()).ToList(),
            result.Problems.Select(x => new ProblemLine(x.Kind.ToString(), x.Severity.ToString(), x.Package?.Id, x.Constraint?.ToString(),
                x.Candidates.Select(c => c.Id).ToList(), x.Related.Select(r => r.Id).ToList(), ProblemMessage(x), x.Component)).ToList(),
            p.Packages.Select(v => v.Id).OrderBy(i => i, StringComparer.Ordinal).ToList());
    }

    /// <summary>A problem's message with the command line's way past it: an acceptance problem names the --acceptance value.</summary>
    private static string ProblemMessage(ValidationProblem x)
        => x.Kind == ValidationProblemKind.AcceptanceLevel && x.Package != null
            ? $"{x.Message} (--acceptance {AcceptanceLevels.ToCode(x.Package.AcceptanceLevel)})"
            : x.Message;

    public static void WriteReport(TextWriter w, ValidationReport r)
    {
        w.WriteLine($"profile {r.Profile} ({r.Vendor}), acceptance {r.AcceptanceLevel}, {r.PackageCount} packages");
        foreach (var a in r.Added) w.WriteLine($"added    {a}");
        foreach (var x in r.Replaced) w.WriteLine($"replaced {x.Old} -> {x.New} ({x.Reason})");
        foreach (var x in r.Removed) w.WriteLine($"removed  {x.Package}");
        foreach (var x in r.Warnings) w.WriteLine($"warning: {x}");
        foreach (var x in r.Problems) w.WriteLine($"{x.Severity.ToLowerInvariant()} {x.Kind}: {x.Message}");
        int errors = r.Problems.Count(x => x.Severity == nameof(ValidationSeverity.Error));
        w.WriteLine(r.Valid ? (r.Problems.Count == 0 ? "valid" : $"valid ({r.Problems.Count} warnings)") : $"invalid: {errors} error(s), {r.Problems.Count - errors} warning(s)");
    }
}
