# New-EsxVib, New-EsxBundle, New-EsxCustomImage and Test-EsxImage in a real PowerShell session, on the sample:
# a driver packaged from a folder and from an OEM.tgz, bundled, added to an ISO made from the sample, verified.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Reset-EsxSession
    $script:SampleDepot = Get-SampleDepotPath
    $script:SampleDriver = Get-SampleDriverPath

    # A driver laid out as an OEM.tgz is: module, map, PCI ids.
    $script:Tree = Join-Path $TestDrive 'oem'
    foreach ($file in 'usr/lib/vmware/vmkmod/r8999', 'etc/vmware/driver.map.d/r8999.map', 'usr/share/hwdata/driver.pciids.d/r8999.ids') {
        $full = Join-Path $script:Tree $file
        New-Item -ItemType Directory -Path (Split-Path $full) -Force | Out-Null
        Set-Content -LiteralPath $full -Value "content of $file"
    }

    # The sample's standard profile as an installer ISO: the "I only have the ISO" starting point.
    Add-EsxDepot $script:SampleDepot | Out-Null
    $script:BaseIso = Join-Path $TestDrive 'base.iso'
    Export-EsxProfileToIso -Profile (Get-EsxProfile '*-standard') -FilePath $script:BaseIso -WarningAction SilentlyContinue
}

AfterAll {
    Remove-Module ESXiImageTools -ErrorAction SilentlyContinue
}

Describe 'New-EsxVib' {
    It 'packages a folder tree into a community VIB that reads back' {
        $vib = New-EsxVib -Path $script:Tree -FilePath (Join-Path $TestDrive 'r8999.vib') -Name net-r8999 -Version 1.0.0-1 -Vendor Contoso -Depends vmkapi_2_10_0_0 -Tag driver
        $vib.Id | Should -Be 'Contoso_bootbank_net-r8999_1.0.0-1'
        $vib.AcceptanceLevel | Should -Be 'CommunitySupported'
        @($vib.FileList).Count | Should -Be 3
        (Get-EsxPackage -Path (Join-Path $TestDrive 'r8999.vib')).Id | Should -Be $vib.Id
    }

    It 'refuses an existing file without -Force, as a non-terminating error with the engine code' {
        $target = Join-Path $TestDrive 'exists.vib'
        Set-Content -LiteralPath $target -Value 'keep'
        $out = New-EsxVib -Path $script:Tree -FilePath $target -Name x -Version 1-1 -Vendor V -ErrorVariable err -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ExportDestinationExists*'
        Get-Content -LiteralPath $target | Should -Be 'keep'
    }

    It 'honours -WhatIf' {
        New-EsxVib -Path $script:Tree -FilePath (Join-Path $TestDrive 'whatif.vib') -Name x -Version 1-1 -Vendor V -WhatIf
        Test-Path (Join-Path $TestDrive 'whatif.vib') | Should -BeFalse
    }
}

Describe 'New-EsxBundle and Test-EsxImage on bundles' {
    It 'bundles VIBs from the pipeline into a depot that lists them and verifies' {
        $bundle = Get-EsxPackage -Path $script:SampleDriver | New-EsxBundle (Join-Path $TestDrive 'community.zip')
        $bundle | Should -BeOfType System.IO.FileInfo
        (Add-EsxDepot $bundle.FullName | Get-EsxPackage).Name | Should -Contain 'net-community'
        Test-EsxImage $bundle.FullName -Quiet | Should -BeTrue
    }
}

Describe 'New-EsxCustomImage' {
    It 'adds an OEM folder and a VIB to the ISO, lowers the level with a warning, and the result verifies' {
        $out = Join-Path $TestDrive 'custom.iso'
        $result = New-EsxCustomImage -Source $script:BaseIso -Add $script:Tree, $script:SampleDriver -FilePath $out -WarningVariable warnings -WarningAction SilentlyContinue
        $result.Path | Should -Be $out
        $result.Profile.AcceptanceLevel | Should -Be 'CommunitySupported'
        $result.Profile.VibList.Name | Should -Contain 'net-community'
        $result.Profile.VibList.Name | Should -Contain 'oem'
        ($warnings -join "`n") | Should -BeLike '*lowered from PartnerSupported to CommunitySupported*'
        $check = Test-EsxImage $out
        $check.IsValid | Should -BeTrue
        $check.Problems | Should -BeNullOrEmpty
        ($check | Out-String -Width 80) | Should -BeLike '*PayloadsVerified*'
    }

    It 'reports a missing source as an error and writes nothing' {
        $out = Join-Path $TestDrive 'none.iso'
        New-EsxCustomImage -Source (Join-Path $TestDrive 'absent.iso') -FilePath $out -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'FileNotFound*'
        Test-Path $out | Should -BeFalse
    }
}

Describe 'Test-EsxImage on a damaged ISO' {
    It 'finds a module missing from one BOOT.CFG, naming the file' {
        $bad = Join-Path $TestDrive 'bad.iso'
        $bytes = [IO.File]::ReadAllBytes($script:BaseIso)
        # The first of the two BOOT.CFG copies: rename its last module (same length, so the image stays well formed).
        $text = [Text.Encoding]::ASCII.GetString($bytes)
        $at = $text.IndexOf('/imgdb.tgz')
        $at | Should -BeGreaterThan 0
        [Text.Encoding]::ASCII.GetBytes('/imgdx.tgz').CopyTo($bytes, $at)
        [IO.File]::WriteAllBytes($bad, $bytes)
        $after = Test-EsxImage $bad
        $after.IsValid | Should -BeFalse
        $after.Problems.Check | Should -Contain 'BootCfg'
        ($after.Problems.Message -join "`n") | Should -BeLike '*/imgdx.tgz, which the image lacks*'
        Test-EsxImage $bad -Quiet | Should -BeFalse
    }
}
