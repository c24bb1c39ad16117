using System;
using System.Linq;
using System.Management.Automation;
using ESXiImageTools.Core.Authoring;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Infrastructure;
using ESXiImageTools.ObjectModel;

namespace ESXiImageTools.Cmdlets;

/// <summary>New-EsxVib: a VIB from an OEM.tgz, a tar or a folder tree, through the engine's <see cref="VibAuthor"/>.</summary>
[Cmdlet(VerbsCommon.New, "EsxVib", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(EsxTypeNames.SoftwarePackage)]
public sealed class NewEsxVibCommand : EsxCmdlet
{
    /// <summary>The OEM.tgz, tar or folder the files come from.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "Source")]
    public string Path { get; set; }

    /// <summary>The .vib to write.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    public string FilePath { get; set; }

    [Parameter(Mandatory = true)]
    public string Name { get; set; }

    [Parameter(Mandatory = true)]
    public string Version { get; set; }

    [Parameter(Mandatory = true)]
    public string Vendor { get; set; }

    [Parameter]
    public string Summary { get; set; }

    [Parameter]
    public string Description { get; set; }

    [Parameter]
    public AcceptanceLevel AcceptanceLevel { get; set; } = AcceptanceLevel.CommunitySupported;

    /// <summary>Constraints such as "vmkapi_2_2_0_0" or "esx-version >= 7.0.0".</summary>
    [Parameter]
    public string[] Depends { get; set; }

    [Parameter]
    public string[] Conflicts { get; set; }

    [Parameter]
    public string[] Replaces { get; set; }

    /// <summary>Capabilities the package provides: "name" or "name = version".</summary>
    [Parameter]
    public string[] Provides { get; set; }

    [Parameter]
    public string[] Tag { get; set; }

    [Parameter]
    public string KbUrl { get; set; }

    [Parameter]
    public SwitchParameter LiveInstallAllowed { get; set; }

    [Parameter]
    public SwitchParameter LiveRemoveAllowed { get; set; }

    /// <summary>Whether installing or removing needs maintenance mode ($true unless set to $false).</summary>
    [Parameter]
    public bool MaintenanceMode { get; set; } = true;

    [Parameter]
    public bool StatelessReady { get; set; } = true;

    [Parameter]
    [ValidateSet("tgz", "vgz")]
    public string PayloadType { get; set; } = "tgz";

    [Parameter]
    public string PayloadName { get; set; }

    [Parameter]
    public DateTime? ReleaseDate { get; set; }

    /// <summary>Replace an existing file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        var source = ResolveExistingPaths(new[] { Path }, literal: true).FirstOrDefault();
        if (source == null) return;
        var output = ResolveOutputPath(FilePath);
        if (!ShouldProcess(output, $"Create VIB {Vendor}_bootbank_{Name}_{Version} from {source}")) return;
        TryRun(() =>
        {
            var request = new VibAuthoringRequest
            {
                Name = Name,
                Version = Version,
                Vendor = Vendor,
                Summary = Summary,
                Description = Description,
                AcceptanceLevel = AcceptanceLevel,
                Depends = (Depends ?? new string[0]).Select(c => Constraint.Parse(c, "-Depends")).ToList(),
                Conflicts = (Conflicts ?? new string[0]).Select(c => Constraint.Parse(c, "-Conflicts")).ToList(),
                Replaces = (Replaces ?? new string[0]).Select(c => Constraint.Parse(c, "-Replaces")).ToList(),
                Provides = (Provides ?? new string[0]).Select(ParseProvide).ToList(),
                Tags = Tag ?? new string[0],
                KbUrl = KbUrl,
                LiveInstallAllowed = LiveInstallAllowed,
                LiveRemoveAllowed = LiveRemoveAllowed,
                MaintenanceMode = MaintenanceMode,
                StatelessReady = StatelessReady,
                PayloadType = PayloadType,
                PayloadName = PayloadName,
                ReleaseDate = ReleaseDate.HasValue ? new DateTimeOffset(ReleaseDate.Value.ToUniversalTime(), TimeSpan.Zero) : (DateTimeOffset?)null,
            };
            var result = VibAuthor.Create(source, request, output, Force, CancellationToken);
            foreach (var w in result.Warnings) WriteWarning(w);
            WriteObject(SoftwarePackage.For(result.Vib));
        }, source);
    }

    private static Provide ParseProvide(string text)
    {
        int eq = text.IndexOf('=');
        return eq < 0 ? new Provide(text.Trim()) : new Provide(text.Substring(0, eq).Trim(), VibVersion.Parse(text.Substring(eq + 1).Trim(), "-Provides"));
    }
}
