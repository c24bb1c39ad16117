using System;
using System.Collections.Generic;
using System.Management.Automation;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Infrastructure;

namespace ESXiImageTools.Cmdlets;

/// <summary>
/// Add-EsxDepot: opens depots (offline bundles, wrapped and component zips, folders, loose VIBs, online
/// depot URLs) and registers them in the session. PowerShell paths resolve against the current location;
/// http(s) URLs go to the engine as they are. Each failing source is a non-terminating error.
/// </summary>
[Cmdlet(VerbsCommon.Add, "EsxDepot", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[Alias("Add-EsxSoftwareDepot")]
[OutputType(EsxTypeNames.Depot)]
public sealed class AddEsxDepotCommand : EsxCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("DepotUrl", "PSPath")]
    [SupportsWildcards]
    public string[] Path { get; set; }

    /// <summary>Credentials for the depot server.</summary>
    [Parameter]
    public PSCredential Credential { get; set; }

    /// <summary>An explicit proxy (default: HTTPS_PROXY/NO_PROXY, else the system proxy).</summary>
    [Parameter]
    public Uri Proxy { get; set; }

    [Parameter]
    public PSCredential ProxyCredential { get; set; }

    /// <summary>Longest wait for a response or for the next bytes of a download, in seconds.</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int TimeoutSec { get; set; }

    protected override void ProcessRecord()
    {
        var options = DepotOptions.Default with
        {
            Credential = Credential?.GetNetworkCredential(),
            Proxy = Proxy,
            ProxyCredential = ProxyCredential?.GetNetworkCredential(),
            Timeout = TimeoutSec > 0 ? TimeSpan.FromSeconds(TimeoutSec) : DepotOptions.Default.Timeout,
        };
        foreach (var source in Sources())
        {
            if (!ShouldProcess(source, "Add depot")) continue;
            TryRun(() =>
            {
                var depot = RunWithProgress<Depot, DepotProgress>("Adding depot " + source,
                    (progress, token) => DepotReader.Open(source, options, progress, token), DepotProgressText.Describe);
                var added = Session.Depots.Add(depot);
                PublishDepots();
                WriteObject(added);
            }, source);
        }
    }

    private IEnumerable<string> Sources()
    {
        foreach (var p in Path)
        {
            // URLs go to the engine as they are; ImageBuilder's normalised "zip:<path>?index.xml" form (a DepotUrl) too,
            // with a relative path made absolute against the current location.
            if (IsUrl(p)) yield return p;
            else if (DepotReader.ZipFormPath(p) != null) yield return DepotLookup.ToFullPath(SessionState, p) ?? p;
            else foreach (var resolved in ResolveExistingPaths(new[] { p }, literal: false)) yield return resolved;
        }
    }
}
