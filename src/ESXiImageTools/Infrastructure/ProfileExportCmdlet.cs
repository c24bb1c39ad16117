using System.IO;
using System.Management.Automation;
using ESXiImageTools.Core.Export;
using ESXiImageTools.Core.Profiles;

namespace ESXiImageTools.Infrastructure;

/// <summary>What an export writes.</summary>
public enum ExportKind
{
    Iso,
    Bundle,
    Pxe,
}

/// <summary>
/// Shared by Export-EsxProfileToIso, Export-EsxProfileToBundle and the ImageBuilder-compatible
/// Export-EsxImageProfile: resolves the profile and the output path, asks ShouldProcess, runs the
/// engine's exporter with progress and cancellation, and reports its warnings.
/// </summary>
public abstract class ProfileExportCmdlet : EsxCmdlet
{
    /// <summary>Replace an existing file (and nothing else).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Export even when the profile fails validation (its errors become a warning).</summary>
    [Parameter]
    public SwitchParameter AllowInvalidProfile { get; set; }

    /// <summary>
    /// Export VIBs an ESXi host would refuse for their signature (missing, not verifying over the descriptor, untrusted,
    /// or not allowed their acceptance level), with one warning per kind of failure. CommunitySupported needs none.
    /// </summary>
    [Parameter]
    public SwitchParameter NoSignatureCheck { get; set; }

    /// <summary>
    /// Certificate files (PEM or DER) trusted to sign VIBs up to PartnerSupported, besides VMware's built-in ones
    /// (partner CAs, in-house signing); ESXIIMAGETOOLS_TRUSTED_CERTS adds a path list.
    /// </summary>
    [Parameter]
    public string[] TrustedCertificate { get; set; }

    /// <summary>
    /// Do not wait for the file to reach the disk before renaming it into place (as genisoimage): faster; errors and
    /// Ctrl+C still leave nothing behind, but a power loss soon after may leave the file incomplete.
    /// </summary>
    [Parameter]
    public SwitchParameter NoSync { get; set; }

    /// <summary>Write the exported file (FileInfo) to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>The switch that lets a profile failing validation be exported, or null when none was given.</summary>
    internal virtual string InvalidProfileSwitch => AllowInvalidProfile ? "-AllowInvalidProfile" : null;

    internal void Export(ProfileArgument argument, string filePath, ExportKind kind)
    {
        var path = ResolveOutputPath(filePath);
        var certificates = TrustedCertificate == null ? null : ResolveExistingPaths(TrustedCertificate, literal: true);
        if (certificates != null && certificates.Count != TrustedCertificate.Length) return;   // the missing ones were reported
        TryRun(() =>
        {
            var trust = TrustedCertificates.Store(certificates);
            var profile = ResolveProfile(argument);
            var what = kind == ExportKind.Iso ? "ISO" : kind == ExportKind.Pxe ? "PXE image" : "offline bundle";
            if (!ShouldProcess(path, $"Export image profile '{profile.Name}' to {what}")) return;
            // The engine refuses an existing destination without -Force (ExportDestinationExists) before any work.
            var request = Request(path, trust);
            var result = RunWithProgress<ExportResult, ExportProgress>($"Exporting {profile.Name} to {what}",
                (progress, token) => kind == ExportKind.Iso ? IsoExporter.Export(profile, request.Fill(new IsoExportOptions()), progress, token)
                    : kind == ExportKind.Pxe ? PxeExporter.Export(profile, request.Fill(NewPxeOptions()), progress, token)
                    : BundleExporter.Export(profile, request.Fill(new BundleExportOptions()), progress, token),
                Describe);
            foreach (var w in result.Warnings) WriteWarning(w);
            // Each problem the switch let through, named, so a forced export never hides what is wrong.
            foreach (var p in result.Problems)
                if (p.Severity == ValidationSeverity.Error) WriteWarning($"exported despite ({InvalidProfileSwitch}): {p.Message}");
            if (PassThru) WriteObject(kind == ExportKind.Pxe ? new DirectoryInfo(result.Path) : (object)new FileInfo(result.Path));
        }, argument.ToString());
    }

    /// <summary>What the switches ask of the export, as the engine's one mapping of an export request to a format's options takes it.</summary>
    internal ExportRequest Request(string destination, Core.Packages.VibTrustStore trust) => new ExportRequest
    {
        Destination = destination,
        Overwrite = Force,
        AllowInvalidProfile = InvalidProfileSwitch != null,
        NoSignatureCheck = NoSignatureCheck,
        TrustStore = trust,
        FlushToDisk = !NoSync,
        Catalog = Session.Catalog,
    };

    /// <summary>The options of a PXE export before the common ones are filled in.</summary>
    internal virtual PxeExportOptions NewPxeOptions() => new PxeExportOptions();

    internal static ProgressDetail Describe(ExportProgress p)
        => new ProgressDetail(p.Phase,
            p.BytesTotal > 0 ? $"{p.CurrentItem} ({p.BytesDone / 1048576.0:0.0} of {p.BytesTotal / 1048576.0:0.0} MB)" : p.CurrentItem,
            p.BytesTotal > 0 ? p.Percent : -1);
}

/// <summary>
/// Export-EsxProfileToIso and Export-EsxProfileToBundle: the same parameters, a different output kind.
/// </summary>
public abstract class ProfileFileExportCmdlet : ProfileExportCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ImageProfile")]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    public ProfileArgument Profile { get; set; }

    /// <summary>The file to write; binds by property name too (e.g. Import-Csv rows with Profile and FilePath).</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    public string FilePath { get; set; }

    /// <summary>What this cmdlet writes.</summary>
    internal abstract ExportKind Kind { get; }

    protected override void ProcessRecord() => Export(Profile, FilePath, Kind);
}
