using System.Management.Automation;

namespace ESXiImageTools.Infrastructure;

/// <summary>
/// Base of New-IsoImage and New-PxeImage, the software-spec cmdlets that write bootable media: BOOT.CFG's kernel
/// options and VMware's -CheckAcceptance.
/// </summary>
public abstract class BootImageSpecCmdlet : SoftwareSpecImageCmdlet
{
    /// <summary>Kernel options for BOOT.CFG's <c>kernelopt</c>, joined with spaces (default: the installer's).</summary>
    [Parameter]
    public string[] KernelOptions { get; set; }

    /// <summary>
    /// VMware's switch to check the acceptance level of every VIB used. This module always makes that check: each
    /// VIB's signature is verified against its acceptance level and the image's acceptance level against its VIBs, and
    /// a VIB that fails is refused. The switch is accepted so VMware's scripts run unchanged; only -NoSignatureCheck
    /// skips the check, so the two together are refused.
    /// </summary>
    [Parameter]
    public SwitchParameter CheckAcceptance { get; set; }

    /// <summary>The kernel options as one string, or null for the default.</summary>
    internal string KernelOptionText => KernelOptions == null || KernelOptions.Length == 0 ? null : string.Join(" ", KernelOptions);

    internal override void CheckArguments()
    {
        if (CheckAcceptance && NoSignatureCheck)
            ThrowTerminatingError(EsxErrors.Create("CheckAcceptanceConflict", ErrorCategory.InvalidArgument,
                "-CheckAcceptance asks for the acceptance-level check that -NoSignatureCheck skips; give one of them", null));
    }
}
