using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using ESXiImageTools.Core.Authoring;
using ESXiImageTools.Core.Components;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Export;
using ESXiImageTools.Core.IO;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;

namespace ESXiImageTools.Core.Customization;

/// <summary>What <see cref="CustomImageBuilder.Build"/> does: the ESXi-Customizer job in one request.</summary>
public sealed record CustomImageRequest
{
    /// <summary>The base: ESXi ISOs, bundles, folders or online depot URLs (at least one).</summary>
    public IReadOnlyList<string> Sources { get; init; } = Array.Empty<string>();

    /// <summary>.vib files, bundle zips, OEM.tgz / tar files, folders (of VIBs, or a tree to package), or package names in the sources.</summary>
    public IReadOnlyList<string> Add { get; init; } = Array.Empty<string>();

    /// <summary>Package names, "name version" or ids to remove.</summary>
    public IReadOnlyList<string> Remove { get; init; } = Array.Empty<string>();

    /// <summary>The profile to start from; null → the newest standard profile of the sources.</summary>
    public string BaseProfile { get; init; }

    /// <summary>The new profile's name; null → the base's name plus <c>-customized</c>.</summary>
    public string Name { get; init; }
    public string Vendor { get; init; }

    /// <summary>
    /// The output and how to write it, as for any export: <see cref="ExportRequest.Destination"/> is a <c>.iso</c>
    /// (bootable installer) or a <c>.zip</c> (offline bundle), relative to <see cref="BaseDirectory"/>;
    /// <see cref="ExportRequest.AllowInvalidProfile"/> also lets the edit through. Its catalog is the sources' and
    /// the added packages.
    /// </summary>
    public ExportRequest Export { get; init; } = new ExportRequest();

    /// <summary>Descriptor fields for OEM.tgz / tar / folder items converted on the fly; the name defaults to the file's name.</summary>
    public VibAuthoringRequest ConvertDefaults { get; init; } = new VibAuthoringRequest { Version = "1.0.0-1", Vendor = "Community" };

    /// <summary>Relative paths in <see cref="Sources"/> and <see cref="Add"/> resolve against this folder; null: the current directory.</summary>
    public string BaseDirectory { get; init; }

    public DepotOptions DepotOptions { get; init; }
}

/// <summary>An OEM.tgz, tar or folder item and the VIB it was packaged into.</summary>
public sealed record ConvertedPackage(string Source, Vib Vib)
{
    public override string ToString() => $"{Source} -> {Vib.Id}";
}

/// <summary>The outcome of <see cref="CustomImageBuilder.Build"/>: what was started from, what changed, and what was written.</summary>
public sealed class CustomImageResult
{
    public ImageProfile BaseProfile { get; init; }
    public EditResult Edit { get; init; }
    public ExportResult Export { get; init; }

    /// <summary>The file written (<see cref="ExportResult.Path"/>).</summary>
    public string Path => Export?.Path;

    /// <summary>The customized profile as exported.</summary>
    public ImageProfile Profile => Export?.Profile;

    /// <summary>The VIBs made from OEM.tgz / tar / folder items (their .vib files were temporary and are gone).</summary>
    public IReadOnlyList<ConvertedPackage> Converted { get; init; } = Array.Empty<ConvertedPackage>();

    /// <summary>Everything worth a user's attention: the acceptance level lowered, conversion advice, export warnings.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = Array.Empty<string>();
}

/// <summary>
/// The one-command customization (New-EsxCustomImage, <c>esximage customize</c>): opens the sources, takes the newest
/// standard profile (or the one named), clones it, adds the packages (converting OEM.tgz, tar and folder trees with
/// <see cref="VibAuthor"/>), lowers the acceptance level when an added package needs it (with a warning), validates
/// through <see cref="ProfileBuilder"/> and exports with <see cref="IsoExporter"/> or <see cref="BundleExporter"/>.
/// Nothing is written unless all of it succeeds; converted VIBs live in a temporary folder removed at the end.
/// </summary>
public static class CustomImageBuilder
{
    public static CustomImageResult Build(CustomImageRequest request, IProgress<ExportProgress> progress = null, CancellationToken cancellationToken = default)
    {
        if (request == null) throw new ArgumentNullException(nameof(request));
        if (request.Sources == null || request.Sources.Count == 0)
            throw new EsxException(ErrorCodes.DepotInvalid, EsxErrorCategory.InvalidArgument, "give at least one source (an ESXi ISO, a bundle or a depot URL)");
        if (request.Export == null || string.IsNullOrWhiteSpace(request.Export.Destination))
            throw new EsxException(ErrorCodes.ExportFailed, EsxErrorCategory.InvalidArgument, "no output file was given");
        var destination = Resolve(request, request.Export.Destination);
        var ext = Path.GetExtension(destination).ToLowerInvariant();
        if (ext != ".iso" && ext != ".zip")
            throw new EsxException(ErrorCodes.ExportFailed, EsxErrorCategory.InvalidArgument, $"{destination}: the output must end in .iso (an installer image) or .zip (an offline bundle)", destination);
        // Checked before the sources are opened: an existing output costs no depot reading or conversion.
        AtomicFileWriter.CheckDestination(destination, request.Export.Overwrite);

        var session = new DepotSession(request.DepotOptions);
        foreach (var source in request.Sources)
        {
            cancellationToken.ThrowIfCancellationRequested();
            session.Add(source.Contains("://") ? source : Resolve(request, source), request.DepotOptions, null, cancellationToken);
        }
        var baseProfile = request.BaseProfile != null ? ProfileBuilder.FindProfile(session.Profiles, request.BaseProfile) : SelectBaseProfile(session.Profiles, request.Sources);

        var workDirectory = WorkDirectory.Create("customize");
        var work = workDirectory.Path;
        try
        {
            var warnings = new List<string>();
            var names = new List<string>();
            var packages = new List<Vib>();
            var bulletins = new List<Bulletin>(session.Bulletins);
            var converted = new List<ConvertedPackage>();
            foreach (var item in request.Add ?? Array.Empty<string>())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var path = Resolve(request, item);
                if (!File.Exists(path) && !Directory.Exists(path)) { names.Add(item); continue; }
                FileKind.RequireFileOrFolder(path, ErrorCodes.PackageSourceInvalid);
                if (IsDepotFile(path))
                {
                    var added = DepotReader.Open(path, request.DepotOptions ?? session.Options, null, cancellationToken);
                    packages.AddRange(added.Packages);
                    bulletins.AddRange(added.Bulletins);
                    continue;
                }
                var authored = Convert(path, request.ConvertDefaults, work, converted.Count, cancellationToken);
                warnings.AddRange(authored.Warnings.Select(w => $"{Path.GetFileName(path)}: {w}"));
                converted.Add(new ConvertedPackage(path, authored.Vib));
                packages.Add(authored.Vib);
            }

            var edit = ProfileBuilder.Build(new ProfileBuildRequest
            {
                BaseProfile = baseProfile.Name,
                Name = string.IsNullOrWhiteSpace(request.Name) ? ImageProfile.CustomizedName(baseProfile.Name) : request.Name.Trim(),
                Vendor = request.Vendor,
                Add = names,
                AddPackages = packages,
                Remove = request.Remove ?? Array.Empty<string>(),
                AllowLowerAcceptance = true,
                Force = request.Export.AllowInvalidProfile,
                // The base keeps the components it came with; added depots' components join it (the image database lists both).
                ComponentBulletins = bulletins,
            }, new[] { baseProfile }, session.Packages, null);
            if (edit.Errors.Count > 0) throw edit.Errors[0].Error;
            warnings.AddRange(edit.Warnings.Select(w => w.ToString()));

            var export = request.Export with { Destination = destination, Catalog = session.Packages.Concat(packages) };
            var result = ext == ".iso"
                ? IsoExporter.Export(edit.Profile, export.Fill(new IsoExportOptions()), progress, cancellationToken)
                : BundleExporter.Export(edit.Profile, export.Fill(new BundleExportOptions()), progress, cancellationToken);
            warnings.AddRange(result.Warnings);
            return new CustomImageResult { BaseProfile = baseProfile, Edit = edit, Export = result, Converted = converted, Warnings = warnings };
        }
        finally
        {
            workDirectory.Dispose();
        }
    }

    /// <summary>
    /// The newest standard profile: among profiles named <c>*-standard</c> (all profiles when none is), the one with the highest
    /// base package (esx-base) version, then the latest creation time, then the last name. An ESXi ISO holds one profile.
    /// </summary>
    public static ImageProfile SelectBaseProfile(IEnumerable<ImageProfile> profiles, IEnumerable<string> sources = null)
    {
        var all = (profiles ?? Enumerable.Empty<ImageProfile>()).Where(p => p != null).ToList();
        if (all.Count == 0)
            throw new EsxException(ErrorCodes.ProfileNotFound, EsxErrorCategory.ObjectNotFound,
                $"{string.Join(", ", sources ?? Array.Empty<string>())}: holds no image profile to customize (a driver bundle is not a base image; add an ESXi ISO or base depot)");
        var standard = all.Where(p => p.Name.EndsWith("-standard", StringComparison.OrdinalIgnoreCase)).ToList();
        var pool = standard.Count > 0 ? standard : all;
        return pool.OrderBy(p => ProfilePlatform.Derive(p.Packages).BasePackage?.Version, Comparer<VibVersion>.Create(VibVersion.Compare))
                   .ThenBy(p => p.CreationTime)
                   .ThenBy(p => p.Name, StringComparer.Ordinal)
                   .Last();
    }

    /// <summary>A .vib, a zip, or a folder holding VIBs, bundles or a depot index: opened as a depot rather than packaged.</summary>
    private static bool IsDepotFile(string path)
    {
        if (Directory.Exists(path))
            return File.Exists(Path.Combine(path, "index.xml")) || File.Exists(Path.Combine(path, "vmw-depot-index.xml")) ||
                   Directory.EnumerateFiles(path).Any(f => f.EndsWith(".vib", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".zip", StringComparison.OrdinalIgnoreCase));
        return !PackageSourceTree.IsPackageSource(path);
    }

    /// <summary>Packages an OEM.tgz, tar or folder into a VIB in <paramref name="work"/>; the name comes from the file name unless given.</summary>
    private static VibAuthoringResult Convert(string path, VibAuthoringRequest defaults, string work, int index, CancellationToken ct)
    {
        defaults ??= new CustomImageRequest().ConvertDefaults;
        var name = string.IsNullOrWhiteSpace(defaults.Name) ? NameFromFile(path) : defaults.Name;
        var request = defaults with
        {
            Name = name,
            Summary = defaults.Summary ?? $"{name}, packaged from {Path.GetFileName(path)} by ESXiImageTools",
        };
        return VibAuthor.Create(path, request, Path.Combine(work, index.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".vib"), false, ct);
    }

    /// <summary>A VIB name from a file or folder name: extensions (.tgz, .tar.gz, .tar) dropped, anything but letters, digits, '-' and '.' made '-'.</summary>
    public static string NameFromFile(string path)
    {
        var n = Path.GetFileName(path.TrimEnd('/', '\\'));
        foreach (var ext in new[] { ".tar.gz", ".tgz", ".tar" })
            if (n.EndsWith(ext, StringComparison.OrdinalIgnoreCase)) { n = n.Substring(0, n.Length - ext.Length); break; }
        var chars = n.Select(ch => ch < 128 && (char.IsLetterOrDigit(ch) || ch == '-' || ch == '.') ? ch : '-').ToArray();
        var s = new string(chars).Trim('-', '.');
        return s.Length == 0 ? "driver" : s;
    }

    private static string Resolve(CustomImageRequest r, string path)
        => Path.GetFullPath(r.BaseDirectory != null && !Path.IsPathRooted(path) ? Path.Combine(r.BaseDirectory, path) : path);
}
