#
# Module manifest for ESXiImageTools: customize VMware ESXi installation media (VIBs, offline
# bundles, image profiles, bootable ISOs) without Python or PowerCLI.
# CmdletsToExport and AliasesToExport are explicit lists; a test in tests/ESXiImageTools.Tests
# fails when they differ from what the module assembly defines.
#
@{
    RootModule           = 'ESXiImageTools.dll'
    # Imported before the root module: installs the private loading of the engine (Dependencies/)
    # before PowerShell reflects over the cmdlet assembly. See design.md "Module loading".
    NestedModules        = @('ESXiImageTools.Loader.dll')
    ModuleVersion        = '0.1.0'
    GUID                 = '93bacc41-6f6a-4ad3-9378-46133f89bab5'
    Author               = 'ESXiImageTools contributors'
    CompanyName          = 'ESXiImageTools contributors'
    Copyright            = '(c) 2026 ESXiImageTools contributors. MIT License.'
    Description          = 'Customize VMware ESXi installation media: read VIBs and depots, edit and validate image profiles, export bootable ISOs and offline bundles. Pure managed code; ImageBuilder-compatible aliases.'
    CompatiblePSEditions = @('Desktop', 'Core')
    PowerShellVersion    = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @('ESXiImageTools.Format.ps1xml')
    TypesToProcess       = @('ESXiImageTools.Types.ps1xml')
    CmdletsToExport      = @(
        'Add-EsxDepot',
        'Add-EsxPackage',
        'Compare-EsxProfile',
        'Export-EsxImageProfile',
        'Export-EsxProfileSpec',
        'Export-EsxProfileToBundle',
        'Export-EsxProfileToIso',
        'Export-EsxProfileToPxe',
        'Get-EsxAddon',
        'Get-EsxBaseImage',
        'Get-EsxComponent',
        'Get-EsxDepot',
        'Get-EsxDepotAddon',
        'Get-EsxDepotBaseImage',
        'Get-EsxDepotComponent',
        'Get-EsxDepotInfo',
        'Get-EsxDepotVib',
        'Get-EsxPackage',
        'Get-EsxProfile',
        'New-EsxBundle',
        'New-EsxCustomImage',
        'New-EsxIsoImage',
        'New-EsxOfflineBundle',
        'New-EsxProfile',
        'New-EsxPxeImage',
        'New-EsxVib',
        'Remove-EsxDepot',
        'Remove-EsxPackage',
        'Remove-EsxProfile',
        'Set-EsxProfile',
        'Test-EsxImage',
        'Test-EsxProfile'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @(
        'Add-EsxSoftwareDepot',
        'Add-EsxSoftwarePackage',
        'Compare-EsxImageProfile',
        'Get-DepotAddons',
        'Get-DepotBaseImages',
        'Get-DepotComponents',
        'Get-DepotInfo',
        'Get-DepotVibs',
        'Get-EsxImageProfile',
        'Get-EsxSoftwareDepot',
        'Get-EsxSoftwarePackage',
        'New-EsxImageProfile',
        'New-IsoImage',
        'New-OfflineBundle',
        'New-PxeImage',
        'Remove-EsxImageProfile',
        'Remove-EsxSoftwareDepot',
        'Remove-EsxSoftwarePackage',
        'Set-EsxImageProfile'
    )
    PrivateData          = @{
        PSData = @{
            Tags         = @('VMware', 'ESXi', 'ImageBuilder', 'VIB', 'ISO', 'ImageProfile', 'OfflineBundle',
                             'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            LicenseUri   = 'https://github.com/esxiimagetools/ESXiImageTools/blob/main/LICENSE'
            ProjectUri   = 'https://github.com/esxiimagetools/ESXiImageTools'
            ReleaseNotes = '0.1.0: first release. Depots (offline bundles, online depots, loose VIBs), image profile editing and validation, ISO and offline bundle export, ImageBuilder aliases.'
        }
    }
}
