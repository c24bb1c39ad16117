# An admin's ESXi 7.0+ build script written against VMware PowerCLI's VMware.ImageBuilder, calling its software-spec
# cmdlets in the forms VMware's documentation gives (developer.broadcom.com/powercli/latest/vmware.imagebuilder/
# commands/new-pxeimage and /new-offlinebundle, the Pxe category page's example, vSphere 7 "ESXi Installation and
# Setup" page 60): depots and spec by position, VMware's switch names. It loads nothing: whoever runs it has loaded
# ImageBuilder (or ESXiImageTools) first, as with PowerCLI. Scripts.Tests.ps1 runs it unchanged.
param(
    [Parameter(Mandatory = $true)] [string[]] $Depot,
    [Parameter(Mandatory = $true)] [string] $Spec,
    [Parameter(Mandatory = $true)] [string] $OutDir
)
$ErrorActionPreference = 'Stop'

# The installer ISO (vSphere 7 docs: New-IsoImage -Depots … -SoftwareSpec … -Destination …).
New-IsoImage -Depots $Depot -SoftwareSpec $Spec -Destination "$OutDir/esxi-custom.iso"

# A PXE live image, acceptance levels checked (the Pxe category example: depots, then the spec, unnamed).
New-PxeImage $Depot $Spec -Destination "$OutDir/esxi-live-pxe" -LiveImage -CheckAcceptance

# The PXE installer with extra kernel options, replacing an earlier folder.
New-PxeImage -SoftwareSpec $Spec -Depots $Depot -Destination "$OutDir/esxi-install-pxe" -KernelOptions 'runweasel', 'ks=http://10.0.0.1/ks.cfg' -Overwrite

# A vLCM offline bundle: spec and destination by position (VMware's positions 1 and 2), vendor named.
New-OfflineBundle $Spec "$OutDir/esxi-custom-depot.zip" -Depots $Depot -VendorName 'Contoso IT' -VendorCode 'CIT'
# The same with every parameter named, as vendors' scripts write it (HPE's: -VendorName 'HPE' -VendorCode 'HEP').
New-OfflineBundle -Depots $Depot -VendorName 'HPE' -VendorCode 'HEP' -SoftwareSpec $Spec -Destination "$OutDir/esxi-hpe-depot.zip" -Overwrite

Write-Output 'done'
