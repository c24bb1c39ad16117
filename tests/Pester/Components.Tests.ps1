# ESXi 7+ components in real PowerShell: Get-EsxComponent on the sample and on the corpus component zip,
# components piped into Add-/Remove-EsxPackage, the ESXi component guard, Get-EsxBaseImage / Get-EsxAddon,
# and New-EsxProfile -SoftwareSpec (VMware's spec) built and exported.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Reset-EsxSession
    $script:SampleDepot = Get-SampleDepotPath
    $script:Fling = Get-CorpusPath 'usbnic-fling-703/ESXi703-VMKUSB-NIC-FLING-55634242-component-19849370.zip'
}

AfterAll {
    Remove-Module ESXiImageTools -ErrorAction SilentlyContinue
}

Describe 'Components' {
    BeforeEach {
        Reset-EsxSession
        $script:Depot = Add-EsxDepot $script:SampleDepot
    }

    It 'lists the sample''s components, the base image''s ESXi component among them' {
        $esxi = Get-EsxComponent -Name ESXi
        $esxi.Version | Should -Be '8.0.0-1.0.20513097'
        $esxi.IsBaseImageComponent | Should -BeTrue
        @(Get-EsxComponent -Name '*-sample' -Newest).Count | Should -Be 2
        @($script:Depot | Get-EsxComponent).Count | Should -Be @(Get-EsxComponent).Count
    }

    It 'lists the component of the 7.0.3 USB NIC fling zip as its bulletin says' {
        if (Skip-OrFailWithout (Test-Path $script:Fling) 'the corpus (../shared/corpus)') { return }
        Add-EsxDepot $script:Fling | Out-Null
        $c = Get-EsxComponent -Name VMware-vmkusb-nic-fling
        $c.Version | Should -Be '1.10-1vmw.703.0.50.55634242'
        $c.VibIds | Should -Be @('VMW_bootbank_vmkusb-nic-fling_1.10-1vmw.703.0.50.55634242')
        "$($c.AcceptanceLevel)" | Should -Be 'VMwareCertified'
    }

    It 'removes and adds a component''s VIBs through the pipeline, and the live profile follows' {
        $p = New-EsxProfile -CloneProfile '*-standard' -Name components-test
        Get-EsxComponent -Profile $p -Name tools-light | Remove-EsxPackage -Profile $p | Out-Null
        $p.VibList.Name | Should -Not -Contain 'tools-light'
        Get-EsxComponent tools-light | Add-EsxPackage -Profile $p | Out-Null
        (Get-EsxComponent -Profile $p -Name tools-light).Presence | Should -Be 'Complete'
        $p.Components.Name | Should -Contain 'ESXi'
    }

    It 'refuses to remove the ESXi component''s VIB with a stable ErrorId naming the component' {
        $p = New-EsxProfile -CloneProfile '*-standard' -Name guard-test
        { Remove-EsxPackage -Profile $p -Package esx-base } | Should -Throw -ErrorId 'ComponentRemovalProhibited*'
        $p.VibList.Name | Should -Contain 'esx-base'
    }

    It 'lists the sample''s base image and no add-on' {
        (Get-EsxBaseImage).Version | Should -Be '8.0.0-1.0.20513097'
        (Get-EsxBaseImage).ProfileNames[0] | Should -BeLike '*-standard'
        @(Get-EsxAddon).Count | Should -Be 0
    }

    It 'builds a profile from VMware''s software spec and exports it' {
        $spec = Join-Path $TestDrive 'spec.json'
        Set-Content -Path $spec -Value '{ "base_image": { "version": "8.0.0-1.0.20513097" }, "removed_components": [ "tools-light" ] }'
        $p = New-EsxProfile -SoftwareSpec $spec -Name from-spec
        $p.VibList.Name | Should -Not -Contain 'tools-light'
        $p.VibList.Name | Should -Contain 'esx-base'
        $iso = Join-Path $TestDrive 'from-spec.iso'
        $p | Export-EsxProfileToIso -FilePath $iso -WarningAction SilentlyContinue | Out-Null
        Test-Path $iso | Should -BeTrue
    }

    It 'refuses a software spec whose base image no depot offers, or an add-on, with stable ErrorIds' {
        $spec = Join-Path $TestDrive 'absent.json'
        Set-Content -Path $spec -Value '{ "base_image": { "version": "8.0.2-0.0.22380479" } }'
        New-EsxProfile -SoftwareSpec $spec -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'BaseImageNotFound*'
        Set-Content -Path $spec -Value '{ "base_image": { "version": "8.0.0-1.0.20513097" }, "add_on": { "name": "HPE-Custom-AddOn", "version": "800.0.0" } }'
        New-EsxProfile -Spec $spec -ErrorVariable err2 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err2[0].FullyQualifiedErrorId | Should -BeLike 'AddonNotSupported*'
    }
}
