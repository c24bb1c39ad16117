using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ESXiImageTools.Core.Authoring;
using ESXiImageTools.Core.Customization;
using ESXiImageTools.Core.Export;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Infrastructure;

namespace ESXiImageTools.Cmdlets;

/// <summary>
/// New-EsxCustomImage: the one-command customization (ESXi-Customizer's job) through the engine's
/// <see cref="CustomImageBuilder"/>: sources in, the newest standard profile cloned, packages added, a new ISO or bundle out.
/// </summary>
[Cmdlet(VerbsCommon.New, "EsxCustomImage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(EsxTypeNames.CustomImageResult)]
public sealed class NewEsxCustomImageCommand : EsxCmdlet
{
    /// <summary>ESXi ISOs, bundles, folders or online depot URLs.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [Alias("DepotUrl")]
    public string[] Source { get; set; }

    /// <summary>.vib files, bundles, OEM.tgz / tar files, folders (wildcards expand), or package names from the sources.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [SupportsWildcards]
    public string[] Add { get; set; }

    [Parameter]
    public string[] Remove { get; set; }

    /// <summary>The profile to start from; default the newest *-standard profile.</summary>
    [Parameter]
    [Alias("ImageProfile")]
    public string BaseProfile { get; set; }

    [Parameter]
    public string Name { get; set; }

    [Parameter]
    public string Vendor { get; set; }

    /// <summary>The output: .iso or .zip.</summary>
    [Parameter(Mandatory = true)]
    public string FilePath { get; set; }

    /// <summary>Vendor of VIBs packaged from OEM.tgz, tar or folder items.</summary>
    [Parameter]
    public string OemVendor { get; set; } = "Community";

    /// <summary>Version of VIBs packaged from OEM.tgz, tar or folder items.</summary>
    [Parameter]
    public string OemVersion { get; set; } = "1.0.0-1";

    /// <summary>Replace an existing file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Export even when the customized profile fails validation.</summary>
    [Parameter]
    public SwitchParameter AllowInvalidProfile { get; set; }

    /// <summary>Export VIBs an ESXi host would refuse for their signature, with one warning per kind of failure.</summary>
    [Parameter]
    public SwitchParameter NoSignatureCheck { get; set; }

    /// <summary>
    /// Certificate files (PEM or DER) trusted to sign VIBs up to PartnerSupported, besides VMware's built-in ones
    /// (partner CAs, in-house signing); ESXIIMAGETOOLS_TRUSTED_CERTS adds a path list.
    /// </summary>
    [Parameter]
    public string[] TrustedCertificate { get; set; }

    /// <summary>Do not wait for the file to reach the disk before renaming it into place (as genisoimage).</summary>
    [Parameter]
    public SwitchParameter NoSync { get; set; }

    private readonly List<string> _add = new List<string>();

    protected override void ProcessRecord()
    {
        if (Add != null) _add.AddRange(Add);
    }

    protected override void EndProcessing()
    {
        var output = ResolveOutputPath(FilePath);
        var certificates = TrustedCertificate == null ? null : ResolveExistingPaths(TrustedCertificate, literal: true);
        if (certificates != null && certificates.Count != TrustedCertificate.Length) return;   // the missing ones were reported
        VibTrustStore trust = null;
        if (!TryRun(() => trust = TrustedCertificates.Store(certificates), TrustedCertificate)) return;
        var request = new CustomImageRequest
        {
            Sources = Source.Select(s => IsUrl(s) ? s : ResolveExistingPaths(new[] { s }, literal: true).FirstOrDefault()).Where(s => s != null).ToList(),
            Add = _add.SelectMany(Local).ToList(),
            Remove = Remove ?? new string[0],
            BaseProfile = BaseProfile,
            Name = Name,
            Vendor = Vendor,
            Export = new ExportRequest
            {
                Destination = output,
                Overwrite = Force,
                AllowInvalidProfile = AllowInvalidProfile,
                NoSignatureCheck = NoSignatureCheck,
                TrustStore = trust,
                FlushToDisk = !NoSync,
            },
            ConvertDefaults = new VibAuthoringRequest { Vendor = OemVendor, Version = OemVersion },
        };
        if (request.Sources.Count != Source.Length) return;   // the missing ones were reported
        if (!ShouldProcess(output, $"Customize {string.Join(", ", Source)} with {_add.Count} item(s)")) return;
        TryRun(() =>
        {
            var result = RunWithProgress<CustomImageResult, ExportProgress>("Customizing " + string.Join(", ", Source),
                (progress, token) => CustomImageBuilder.Build(request, progress, token),
                p => new ProgressDetail(p.Phase, p.CurrentItem, p.BytesTotal > 0 ? p.Percent : -1));
            foreach (var w in result.Warnings) WriteWarning(w);
            foreach (var c in result.Converted) WriteVerbose($"converted {c}");
            foreach (var a in result.Edit.Added) WriteVerbose($"added {a.Id}");
            foreach (var r in result.Edit.Replaced) WriteVerbose($"replaced {r}");
            foreach (var r in result.Edit.Removed) WriteVerbose($"removed {r}");
            foreach (var i in result.Edit.Ignored) WriteVerbose($"ignored {i}");
            WriteObject(result);
        }, output);
    }

    /// <summary>Existing files or folders (wildcards expand) as file-system paths; anything else (a package name) as it is.</summary>
    private IEnumerable<string> Local(string item)
    {
        try
        {
            var resolved = GetResolvedProviderPathFromPSPath(item, out var provider);
            if (provider.ImplementingType == typeof(Microsoft.PowerShell.Commands.FileSystemProvider) && resolved.Count > 0) return resolved;
        }
        catch (Exception e) when (e is ItemNotFoundException || e is DriveNotFoundException || e is ProviderNotFoundException ||
                                  e is NotSupportedException || e is ArgumentException || e is PSInvalidOperationException)
        {
        }
        return new[] { item };
    }
}
