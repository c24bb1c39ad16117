using System.IO;
using System.Management.Automation;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Export;
using ESXiImageTools.Infrastructure;

namespace ESXiImageTools.Infrastructure;

/// <summary>What an export writes.</summary>
public enum ExportKind
{
    Iso,
    Bundle,
}

/// <summary>
/// Shared by Export-EsxProfileToIso, Export-EsxProfileToBundle and the ImageBuilder-compatible
/// Export-EsxImageProfile: resolves the profile and the output path, asks ShouldProcess, runs the
/// engine's exporter with progress and cancellation, and reports its warnings.
/// </summary>
public abstract class ProfileExportCmdlet : EsxCmdlet
{
    internal void Export(ProfileArgument argument, string filePath, ExportKind kind, bool force, bool noSignatureCheck, bool passThru)
    {
        var path = ResolveOutputPath(filePath);
        TryRun(() =>
        {
            var profile = ResolveProfile(argument);
            var what = kind == ExportKind.Iso ? "ISO" : "offline bundle";
            if (!ShouldProcess(path, $"Export image profile '{profile.Name}' to {what}")) return;
            if (File.Exists(path) && !force)
                throw new EsxException(ErrorCodes.ExportDestinationExists, EsxErrorCategory.ResourceExists, $"{path} exists; use -Force to replace it", path);
            ExportResult result;
            if (kind == ExportKind.Iso)
            {
                var options = new IsoExportOptions { Destination = path, Overwrite = force, Force = force, NoSignatureCheck = noSignatureCheck, Catalog = Session.Catalog };
                result = RunWithProgress<ExportResult, ExportProgress>($"Exporting {profile.Name} to {what}",
                    (progress, token) => IsoExporter.Export(profile, options, progress, token), Describe);
            }
            else
            {
                var options = new BundleExportOptions { Destination = path, Overwrite = force, Force = force, NoSignatureCheck = noSignatureCheck, Catalog = Session.Catalog };
                result = RunWithProgress<ExportResult, ExportProgress>($"Exporting {profile.Name} to {what}",
                    (progress, token) => BundleExporter.Export(profile, options, progress, token), Describe);
            }
            foreach (var w in result.Warnings) WriteWarning(w);
            if (passThru) WriteObject(new FileInfo(result.Path));
        }, argument.ToString());
    }

    private static ProgressDetail Describe(ExportProgress p)
        => new ProgressDetail(p.Phase,
            p.BytesTotal > 0 ? $"{p.CurrentItem} ({p.BytesDone / 1048576.0:0.0} of {p.BytesTotal / 1048576.0:0.0} MB)" : p.CurrentItem,
            p.BytesTotal > 0 ? p.Percent : -1);
}
