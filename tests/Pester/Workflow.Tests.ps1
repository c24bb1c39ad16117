# The seed workflow end to end on the sample depot, the pipelines of each cmdlet, -WhatIf and errors.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-TestModulePath) -Force
    $script:SampleDepot = Get-SampleDepotPath
    $script:SampleDriver = Get-SampleDriverPath
    $script:NoSample = -not $script:SampleDepot
}

AfterAll {
    Get-EsxDepot | Remove-EsxDepot
    Remove-Module ESXiImageTools -ErrorAction SilentlyContinue
}

Describe 'Depots' -Skip:$script:NoSample {
    BeforeEach { Get-EsxDepot | Remove-EsxDepot }

    It 'adds a depot by positional path and lists it' {
        $d = Add-EsxDepot $script:SampleDepot
        $d | Should -Not -BeNullOrEmpty
        @(Get-EsxDepot).Count | Should -Be 1
    }

    It 'adds depots from the pipeline (strings and FileInfo)' {
        Get-Item $script:SampleDepot | Add-EsxDepot | Should -Not -BeNullOrEmpty
        @(Get-EsxDepot).Count | Should -Be 1
    }

    It 'resolves paths relative to the current location' {
        Push-Location (Split-Path $script:SampleDepot)
        try { Add-EsxDepot -DepotUrl (Join-Path '.' (Split-Path $script:SampleDepot -Leaf)) | Should -Not -BeNullOrEmpty }
        finally { Pop-Location }
    }

    It 'does nothing under -WhatIf' {
        Add-EsxDepot $script:SampleDepot -WhatIf
        @(Get-EsxDepot).Count | Should -Be 0
    }

    It 'reports a missing file as a non-terminating error with a stable ErrorId' {
        $result = Add-EsxDepot (Join-Path $TestDrive 'absent.zip') -ErrorVariable err -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Match '^(FileNotFound|DepotNotFound)'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'goes on with the next path after a failing one' {
        $result = Add-EsxDepot (Join-Path $TestDrive 'absent.zip'), $script:SampleDepot -ErrorAction SilentlyContinue
        @($result).Count | Should -Be 1
    }

    It 'removes depots from the pipeline' {
        Add-EsxDepot $script:SampleDepot | Remove-EsxDepot
        @(Get-EsxDepot).Count | Should -Be 0
    }
}

Describe 'Packages and profiles' -Skip:$script:NoSample {
    BeforeAll {
        Get-EsxDepot | Remove-EsxDepot
        $script:Depot = Add-EsxDepot $script:SampleDepot
    }

    It 'lists packages with the ImageBuilder property names' {
        $p = Get-EsxPackage | Select-Object -First 1
        $p.Name | Should -Not -BeNullOrEmpty
        $p.Guid | Should -Be $p.Id
        $p.CreationDate | Should -Be $p.ReleaseDate
    }

    It 'filters by name with wildcards and takes depots from the pipeline' {
        $all = @($script:Depot | Get-EsxPackage)
        $first = $all[0].Name
        @(Get-EsxPackage -Name ($first.Substring(0, 2) + '*')) | ForEach-Object { $_.Name | Should -BeLike ($first.Substring(0, 2) + '*') }
    }

    It '-Newest returns one package per name' {
        $newest = @(Get-EsxPackage -Newest)
        ($newest.Name | Sort-Object -Unique).Count | Should -Be $newest.Count
    }

    It 'reads a loose .vib with -PackageUrl' -Skip:(-not $script:SampleDriver) {
        $v = Get-EsxPackage -PackageUrl $script:SampleDriver
        $v.AcceptanceLevel | Should -Be 'CommunitySupported'
    }

    It 'lists the standard profile, read-only' {
        $p = Get-EsxProfile '*-standard'
        $p | Should -Not -BeNullOrEmpty
        $p.ReadOnly | Should -BeTrue
        @($p.VibList).Count | Should -BeGreaterThan 0
    }

    It 'clones, edits and validates a profile through pipelines' {
        $std = Get-EsxProfile '*-standard' | Select-Object -First 1
        $p = New-EsxProfile -CloneProfile $std -Name 'pester-custom' -Vendor 'Pester'
        $p.ReadOnly | Should -BeFalse
        Set-EsxProfile -Profile 'pester-custom' -Description 'edited' | Out-Null
        (Get-EsxProfile 'pester-custom').Description | Should -Be 'edited'
        @(Test-EsxProfile 'pester-custom' | Where-Object Severity -eq 'Error').Count | Should -Be 0
        Remove-EsxProfile 'pester-custom'
        Get-EsxProfile 'pester-custom' -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'adds the community driver, lowering the acceptance level when asked' -Skip:(-not $script:SampleDriver) {
        $std = Get-EsxProfile '*-standard' | Select-Object -First 1
        New-EsxProfile -CloneProfile $std -Name 'pester-driver' -Vendor 'Pester' | Out-Null
        $driver = Get-EsxPackage -PackageUrl $script:SampleDriver
        { $driver | Add-EsxPackage -Profile 'pester-driver' -ErrorAction Stop } | Should -Throw -ErrorId 'AcceptanceLevelViolation*'
        $p = $driver | Add-EsxPackage -Profile 'pester-driver' -AllowLowerAcceptance -WarningAction SilentlyContinue
        $p.AcceptanceLevel | Should -Be 'CommunitySupported'
        $p.VibList.Name | Should -Contain $driver.Name
        Remove-EsxProfile 'pester-driver'
    }

    It 'refuses to edit a depot profile' {
        $std = Get-EsxProfile '*-standard' | Select-Object -First 1
        { Set-EsxProfile -Profile $std -Description 'x' -ErrorAction Stop } | Should -Throw -ErrorId 'ProfileReadOnly*'
    }

    It 'compares the two sample profiles' {
        $std = Get-EsxProfile '*-standard' | Select-Object -First 1
        $nt = Get-EsxProfile '*-no-tools' | Select-Object -First 1
        $diff = Compare-EsxProfile $std $nt
        $diff.Equal | Should -BeFalse
        @($diff.OnlyInReference).Count | Should -BeGreaterThan 0
    }

    It 'does not create a profile under -WhatIf' {
        $std = Get-EsxProfile '*-standard' | Select-Object -First 1
        New-EsxProfile -CloneProfile $std -Name 'pester-whatif' -Vendor 'Pester' -WhatIf
        Get-EsxProfile 'pester-whatif' -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'saves a profile spec and builds the same profile from it' {
        $std = Get-EsxProfile '*-standard' | Select-Object -First 1
        New-EsxProfile -CloneProfile $std -Name 'pester-spec' -Vendor 'Pester' | Out-Null
        $spec = Join-Path $TestDrive 'spec.json'
        Export-EsxProfileSpec -Profile 'pester-spec' -FilePath $spec
        Test-Path $spec | Should -BeTrue
        Remove-EsxProfile 'pester-spec'
        $again = New-EsxProfile -Spec $spec
        ($again.VibList.Id | Sort-Object) | Should -Be ($std.VibList.Id | Sort-Object)
        Remove-EsxProfile 'pester-spec'
    }
}

Describe 'Export' -Skip:($script:NoSample -or -not (Get-Command Export-EsxProfileToIso -ErrorAction SilentlyContinue)) {
    BeforeAll {
        Get-EsxDepot | Remove-EsxDepot
        Add-EsxDepot $script:SampleDepot | Out-Null
    }

    It 'exports the standard profile to an ISO and refuses to overwrite without -Force' {
        $iso = Join-Path $TestDrive 'sample.iso'
        Get-EsxProfile '*-standard' | Select-Object -First 1 | Export-EsxProfileToIso -FilePath $iso
        (Get-Item $iso).Length | Should -BeGreaterThan 0
        { Get-EsxProfile '*-standard' | Select-Object -First 1 | Export-EsxProfileToIso -FilePath $iso -ErrorAction Stop } |
            Should -Throw -ErrorId 'ExportDestinationExists*'
    }

    It 'writes nothing under -WhatIf' {
        $iso = Join-Path $TestDrive 'whatif.iso'
        Get-EsxProfile '*-standard' | Select-Object -First 1 | Export-EsxProfileToIso -FilePath $iso -WhatIf
        Test-Path $iso | Should -BeFalse
    }

    It 'exports an offline bundle that reads back as a depot' {
        $zip = Join-Path $TestDrive 'bundle.zip'
        $std = Get-EsxProfile '*-standard' | Select-Object -First 1
        Export-EsxImageProfile -ImageProfile $std -ExportToBundle -FilePath $zip
        $d = Add-EsxDepot $zip
        ((Get-EsxProfile -Depot $d).VibList.Id | Sort-Object) | Should -Be ($std.VibList.Id | Sort-Object)
    }
}
