using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using ESXiImageTools.Core.Authoring;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Infrastructure;
using ESXiImageTools.ObjectModel;

namespace ESXiImageTools.Cmdlets;

/// <summary>New-EsxBundle: VIBs (objects from the pipeline, or .vib files) into an offline bundle, through the engine's <see cref="BundleAuthor"/>.</summary>
[Cmdlet(VerbsCommon.New, "EsxBundle", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = PackageSet)]
[OutputType(EsxTypeNames.FileInfo)]
public sealed class NewEsxBundleCommand : EsxCmdlet
{
    private const string PackageSet = "Package";
    private const string PathSet = "Path";
    private readonly List<Vib> _packages = new List<Vib>();

    /// <summary>Packages from Get-EsxPackage or New-EsxVib.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = PackageSet)]
    [Alias("SoftwarePackage")]
    public SoftwarePackage[] Package { get; set; }

    /// <summary>.vib files (wildcards allowed).</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [SupportsWildcards]
    public string[] Path { get; set; }

    /// <summary>The bundle zip to write.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public string FilePath { get; set; }

    [Parameter]
    public string VendorName { get; set; }

    /// <summary>Three letters or digits; default from the vendor name.</summary>
    [Parameter]
    public string VendorCode { get; set; }

    /// <summary>The vendor-index platform pattern such as 8.*; default from the packages.</summary>
    [Parameter]
    public string PlatformVersion { get; set; }

    /// <summary>Replace an existing file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        if (Package != null) _packages.AddRange(Package.Where(p => p != null).Select(p => p.Vib));
        if (Path != null)
            foreach (var file in ResolveExistingPaths(Path, literal: false))
                TryRun(() => _packages.Add(VibFile.Open(file)), file);
    }

    protected override void EndProcessing()
    {
        if (_packages.Count == 0) return;
        var output = ResolveOutputPath(FilePath);
        if (!ShouldProcess(output, $"Create an offline bundle of {_packages.Count} VIB(s)")) return;
        TryRun(() =>
        {
            var result = BundleAuthor.Create(_packages, output, new BundleAuthoringOptions
            {
                VendorName = VendorName,
                VendorCode = VendorCode,
                PlatformVersion = PlatformVersion,
                Overwrite = Force,
            }, CancellationToken);
            foreach (var w in result.Warnings) WriteWarning(w);
            WriteObject(new FileInfo(result.Path));
        }, output);
    }
}
