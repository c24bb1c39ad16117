using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;

namespace ESXiImageTools.Core.Export;

/// <summary>Checks every export makes before it writes a byte: destination, validation, availability, signatures.</summary>
public static class ExportPreflight
{
    /// <summary>Runs the checks; returns the validation problems (errors among them only when the options allow an invalid profile) and warnings.</summary>
    /// <param name="profile">The profile to export.</param>
    /// <param name="options">The export's options; <see cref="ExportOptions.Destination"/> is a file, or a folder when <paramref name="destinationIsFolder"/>.</param>
    /// <param name="destinationIsFolder">The export writes a folder (a PXE image): an existing folder is replaced only with
    /// <see cref="ExportOptions.Overwrite"/>, a file of that name never.</param>
    /// <param name="cancellationToken">Ends the signature checks early.</param>
    public static (IReadOnlyList<ValidationProblem> Problems, IReadOnlyList<string> Warnings) Run(ImageProfile profile, ExportOptions options,
                                                                                                  bool destinationIsFolder = false, CancellationToken cancellationToken = default)
    {
        if (profile == null) throw new ArgumentNullException(nameof(profile));
        if (options == null) throw new ArgumentNullException(nameof(options));
        // The writer's own check, made first so an existing destination costs no validation or signature work.
        if (destinationIsFolder) IO.AtomicFolderWriter.CheckDestination(options.Destination, options.Overwrite);
        else IO.AtomicFileWriter.CheckDestination(options.Destination, options.Overwrite);
        if (profile.Packages.Count == 0)
            throw new EsxException(ErrorCodes.ProfileInvalid, EsxErrorCategory.InvalidData, $"profile '{profile.Name}' has no packages", profile.Name);
        if (profile.MissingVibIds.Count > 0)
            throw new EsxException(ErrorCodes.PackageUnavailable, EsxErrorCategory.ObjectNotFound,
                $"profile '{profile.Name}' names packages no added depot holds: {string.Join(", ", profile.MissingVibIds.Take(10))}", profile.Name);

        var warnings = new List<string>();
        var problems = ProfileValidator.Validate(profile, options.Catalog ?? profile.Packages);
        var errors = problems.Where(p => p.Severity == ValidationSeverity.Error).ToList();
        if (errors.Count > 0 && !options.AllowInvalidProfile)
            throw new EsxProfileValidationException(ErrorCodes.ProfileInvalid,
                $"profile '{profile.Name}' fails validation, so it is not exported: " +
                string.Join("; ", errors.Take(5).Select(e => e.Message)) + (errors.Count > 5 ? $"; and {errors.Count - 5} more" : ""),
                profile.Name, problems) { Hint = EsxHints.AllowInvalidProfile };
        if (errors.Count > 0)
            warnings.Add($"profile '{profile.Name}' fails validation ({errors.Count} error(s)) and is exported anyway, as asked: the image may not install or boot");

        foreach (var vib in profile.Packages)
            if (vib.Content == null || !vib.Content.IsAvailable)
                throw new EsxException(ErrorCodes.PackageUnavailable, EsxErrorCategory.ObjectNotFound,
                    $"VIB {vib.Id} has no readable content (its depot lists it but does not hold the file)", vib.Id);
        CheckSignatures(profile, options, warnings, cancellationToken);
        return (problems, warnings);
    }

    /// <summary>Most VIBs one message names before it says how many more there are.</summary>
    private const int MaxNamed = 10;

    /// <summary>
    /// The check an ESXi host makes at install (<see cref="VibSignatureCheck"/>), made before the image is written, as
    /// ImageBuilder's export does: a failing VIB stops the export unless the check is skipped, and then each kind of
    /// failure is one warning naming its VIBs. VIBs whose .vib is not available (taken from an ISO) are named in a
    /// warning: an ISO carries no signatures to check.
    /// </summary>
    private static void CheckSignatures(ImageProfile profile, ExportOptions options, List<string> warnings, CancellationToken ct)
    {
        var trust = options.TrustStore ?? VibTrustStore.Create(null);
        var failed = profile.Packages
            .Where(v => v.AcceptanceLevel > AcceptanceLevel.CommunitySupported)
            .GroupBy(v => v.Id, StringComparer.Ordinal).Select(g => g.First())
            // With the check skipped, a VIB is still examined when that costs little, so the warning says what was
            // skipped; one behind a URL would be downloaded for nothing.
            .Select(v => options.NoSignatureCheck && !VibSignatureCheck.IsLocal(v) ? null : Check(v, trust, ct))
            .Where(v => v != null && !v.Passed)
            .ToList();
        var refused = failed.Where(v => v.Failure != SignatureFailure.NotAvailable).ToList();
        if (refused.Count > 0 && !options.NoSignatureCheck)
            throw new EsxException(ErrorCodes.VibSignatureInvalid, EsxErrorCategory.SecurityError,
                $"{refused.Count} VIB(s) fail the signature check an ESXi host makes, so the image is not written: " +
                string.Join("; ", refused.GroupBy(v => v.Problem, StringComparer.Ordinal).Select(g => $"{Named(g.Select(v => v.Vib.Id).ToList())}: {g.Key}")) +
                "; skip the signature check to export anyway", refused[0].Vib.Id) { Hint = EsxHints.SkipSignatureCheck };
        foreach (var group in failed.GroupBy(v => v.Failure))
        {
            var ids = group.Select(v => v.Vib.Id).ToList();
            var named = Named(ids);
            warnings.Add(group.Key == SignatureFailure.NotAvailable
                ? $"signatures not checked, the source holds no .vib files: {named}"
                : $"signature check skipped ({VibSignatureCheck.Describe(group.Key)}): {named}; an ESXi host refuses them unless its install skips signature checks too");
        }
    }

    // A .vib whose descriptor or signature member cannot be read at all fails the check as unreadable (the payload
    // checks report the rest), so skipping the check also skips that failure.
    private static SignatureVerdict Check(Vib vib, VibTrustStore trust, CancellationToken ct)
    {
        try { return VibSignatureCheck.Check(vib, trust, ct); }
        catch (EsxFormatException e) { return new SignatureVerdict(vib, null, SignatureFailure.Unreadable, e.Message); }
    }

    // "VIB a" or "VIBs a, b and 3 more": one message names a few, then counts.
    private static string Named(IReadOnlyList<string> ids)
        => (ids.Count == 1 ? "VIB " : "VIBs ") + string.Join(", ", ids.Take(MaxNamed)) + (ids.Count > MaxNamed ? $" and {ids.Count - MaxNamed} more" : "");

}
