# ESXi 7+ components in the module: Get-EsxComponent on the corpus component zip, components piped into
# Add-/Remove-EsxPackage, Get-EsxBaseImage / Get-EsxAddon, and New-EsxProfile -SoftwareSpec errors.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:SampleDepot = Get-SampleDepotPath
    $script:Fling = Join-Path $PSScriptRoot '../../../shared/corpus/usbnic-fling-703/ESXi703-VMKUSB-NIC-FLING-55634242-component-19849370.zip'
    $script:NoInputs = -not $script:SampleDepot -or -not (Test-Path $script:Fling)
}

AfterAll {
    Get-EsxDepot | Remove-EsxDepot
    Remove-Module ESXiImageTools -ErrorAction SilentlyContinue
}

Describe 'Components' -Skip:$script:NoInputs {
    BeforeEach {
        Get-EsxDepot | Remove-EsxDepot
        Get-EsxProfile | Where-Object { -not $_.ReadOnly } | Remove-EsxProfile -ErrorAction SilentlyContinue
        Add-EsxDepot $script:SampleDepot, $script:Fling | Out-Null
    }

    It 'lists the component of the 7.0.3 USB NIC fling zip as its bulletin says' {
        $c = Get-EsxComponent -Name VMware-vmkusb-nic-fling
        $c.Version | Should -Be '1.10-1vmw.703.0.50.55634242'
        $c.VibIds | Should -Be @('VMW_bootbank_vmkusb-nic-fling_1.10-1vmw.703.0.50.55634242')
        "$($c.AcceptanceLevel)" | Should -Be 'VMwareCertified'
    }

    It 'takes depots from the pipeline and filters with wildcards' {
        @(Get-EsxDepot | Where-Object DepotUrl -like '*FLING*' | Get-EsxComponent -Name 'VMware-*' -Newest).Count | Should -Be 1
        @(Get-EsxComponent -Name 'no-such-*').Count | Should -Be 0
    }

    It 'adds and removes a component''s VIBs through the pipeline' {
        $p = Get-EsxProfile '*-standard' | Select-Object -First 1 | New-EsxProfile -Name components-test
        Get-EsxComponent VMware-vmkusb-nic-fling | Add-EsxPackage -Profile $p -Force -WarningAction SilentlyContinue | Out-Null
        (Get-EsxComponent -Profile components-test -Name VMware-vmkusb-nic-fling).Presence | Should -Be 'Complete'
        Get-EsxComponent VMware-vmkusb-nic-fling | Remove-EsxPackage -Profile components-test | Out-Null
        @(Get-EsxComponent -Profile components-test -Name VMware-vmkusb-nic-fling).Count | Should -Be 0
    }

    It 'lists no base image or add-on where the depots define none' {
        @(Get-EsxBaseImage).Count | Should -Be 0
        @(Get-EsxAddon).Count | Should -Be 0
    }

    It 'refuses a software spec whose base image no depot offers, with a stable ErrorId' {
        $spec = Join-Path $TestDrive 'spec.json'
        Set-Content -Path $spec -Value '{ "base_image": { "version": "8.0.2-0.0.22380479" }, "components": { "VMware-vmkusb-nic-fling": null } }'
        New-EsxProfile -SoftwareSpec $spec -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Match '^BaseImageNotFound'
    }
}
