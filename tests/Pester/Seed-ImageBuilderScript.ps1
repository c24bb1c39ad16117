# The classic ImageBuilder customization script, as admins have written it for years:
# clone the newest standard profile, add the driver packages, export an installable ISO.
# Changed for ESXiImageTools: only the snap-in line (was: Add-PSSnapin VMware.ImageBuilder) and the
# paths, which are parameters here so the Pester test can point them at the sample depot.
param(
    [string] $BaseDepot,                   # was: "C:\ESXi\VMware-ESXi-7.0U3-depot.zip"
    [string[]] $DriverVibs = @(),          # was: "C:\ESXi\drivers\net-community-1.2.0.vib", ...
    [string] $IsoPath,                     # was: "C:\ESXi\ESXi-7.0U3-custom.iso"
    [string] $ProfileName = "ESXi-custom",
    [string] $Vendor = "MyCompany"
)

Import-Module ESXiImageTools               # was: Add-PSSnapin VMware.ImageBuilder

$depot = Add-EsxSoftwareDepot -DepotUrl $BaseDepot
if (-not $depot) { throw "Could not add the base depot $BaseDepot" }

$base = Get-EsxImageProfile -Name "*-standard" |
    Sort-Object -Property @{ Expression = { $_.CreationTime }; Descending = $true } |
    Select-Object -First 1
Write-Host "Base profile: $($base.Name)"

$custom = New-EsxImageProfile -CloneProfile $base -Name $ProfileName -Vendor $Vendor -Description "$($base.Description) (customized)"

foreach ($vibPath in $DriverVibs) {
    $vib = Get-EsxSoftwarePackage -PackageUrl $vibPath
    if ($vib.AcceptanceLevel -lt $custom.AcceptanceLevel) {
        # ESXi-Customizer-PS lowers the profile's level to the driver's, as admins expect.
        Set-EsxImageProfile -ImageProfile $custom -AcceptanceLevel $vib.AcceptanceLevel | Out-Null
    }
    Add-EsxSoftwarePackage -ImageProfile $custom -SoftwarePackage $vib | Out-Null
    Write-Host "[OK, added] $($vib.Name) $($vib.Version)"
}

Export-EsxImageProfile -ImageProfile $custom -ExportToIso -FilePath $IsoPath -Force
Write-Host "Wrote $IsoPath"

Get-EsxSoftwareDepot | Remove-EsxSoftwareDepot
