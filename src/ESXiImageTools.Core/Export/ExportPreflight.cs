using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;

namespace ESXiImageTools.Core.Export;

/// <summary>Checks every export makes before it writes a byte: destination, validation, availability, signatures.</summary>
public static class ExportPreflight
{
    /// <summary>Runs the checks; returns the problems that -Force let through and warnings.</summary>
    public static (IReadOnlyList<ValidationProblem> Problems, IReadOnlyList<string> Warnings) Run(ImageProfile profile, ExportOptions options)
    {
        if (profile == null) throw new ArgumentNullException(nameof(profile));
        if (string.IsNullOrWhiteSpace(options.Destination))
            throw new EsxException(ErrorCodes.ExportFailed, EsxErrorCategory.InvalidArgument, "no destination file was given");
        var dest = Path.GetFullPath(options.Destination);
        if (Directory.Exists(dest))
            throw new EsxException(ErrorCodes.ExportDestinationExists, EsxErrorCategory.ResourceExists, $"{dest} is a directory; give a file name", dest);
        if (IO.AtomicFileWriter.CheckReplaceable(dest) && !options.Overwrite)
            throw new EsxException(ErrorCodes.ExportDestinationExists, EsxErrorCategory.ResourceExists,
                $"{dest} exists; use -Force (CLI: --force) to replace it", dest);
        var dir = Path.GetDirectoryName(dest);
        if (!Directory.Exists(dir))
            throw new EsxException(ErrorCodes.FileNotFound, EsxErrorCategory.ObjectNotFound, $"the folder {dir} does not exist", dir);
        if (profile.Packages.Count == 0)
            throw new EsxException(ErrorCodes.ProfileInvalid, EsxErrorCategory.InvalidData, $"profile '{profile.Name}' has no packages", profile.Name);
        if (profile.MissingVibIds.Count > 0)
            throw new EsxException(ErrorCodes.PackageUnavailable, EsxErrorCategory.ObjectNotFound,
                $"profile '{profile.Name}' names packages no added depot holds: {string.Join(", ", profile.MissingVibIds.Take(10))}", profile.Name);

        var warnings = new List<string>();
        var problems = ProfileValidator.Validate(profile, options.Catalog ?? profile.Packages);
        var errors = problems.Where(p => p.Severity == ValidationSeverity.Error).ToList();
        if (errors.Count > 0 && !options.Force)
            throw new EsxProfileValidationException(ErrorCodes.ProfileInvalid,
                $"profile '{profile.Name}' fails validation, so it is not exported (use -Force / --force to export anyway): " +
                string.Join("; ", errors.Take(5).Select(e => e.Message)) + (errors.Count > 5 ? $"; and {errors.Count - 5} more" : ""),
                profile.Name, problems);
        if (errors.Count > 0)
            warnings.Add($"profile '{profile.Name}' fails validation ({errors.Count} error(s)); exported anyway because of -Force: the image may not install or boot");

        foreach (var vib in profile.Packages)
        {
            if (vib.Content == null || !vib.Content.IsAvailable)
                throw new EsxException(ErrorCodes.PackageUnavailable, EsxErrorCategory.ObjectNotFound,
                    $"VIB {vib.Id} has no readable content (its depot lists it but does not hold the file)", vib.Id);
            // A VMware or partner level claims a signature. This engine cannot check signatures against VMware's
            // certificates, so it does not pretend to: it warns about packages that cannot pass an ESXi host's check.
            // -NoSignatureCheck silences that, as ImageBuilder's switch skips its check.
            // A package known from depot metadata only has its .vib's member list read here (headers, not payloads).
            if (!options.NoSignatureCheck && vib.AcceptanceLevel > AcceptanceLevel.CommunitySupported && VibSignature.Read(vib) == false)
                warnings.Add($"VIB {vib.Id} claims {vib.AcceptanceLevel} but carries no signature; an ESXi host refuses it unless its acceptance level is CommunitySupported or the install skips signature checks");
        }
        return (problems, warnings);
    }
}
