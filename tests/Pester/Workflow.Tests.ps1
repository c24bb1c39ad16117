# What an ImageBuilder user does by hand, on the sample depot: the live profile object, lookups and
# errors, pipeline binding, exports, formatting, -WhatIf/-Confirm and progress.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Reset-EsxSession
    $script:SampleDepot = Get-SampleDepotPath
    $script:SampleDriver = Get-SampleDriverPath
    $script:Depot = Add-EsxDepot $script:SampleDepot
}

AfterAll {
    Remove-Module ESXiImageTools -ErrorAction SilentlyContinue
}

Describe 'Depots' {
    It 'adds from the pipeline (FileInfo) and re-adding replaces' {
        Get-Item $script:SampleDepot | Add-EsxDepot | Should -Not -BeNullOrEmpty
        @(Get-EsxDepot).Count | Should -Be 1
    }

    It 'resolves paths relative to the current location' {
        Push-Location (Split-Path $script:SampleDepot)
        try { Add-EsxDepot -DepotUrl ('./' + (Split-Path $script:SampleDepot -Leaf)) | Should -Not -BeNullOrEmpty }
        finally { Pop-Location }
    }

    It 'reports a missing file as a non-terminating ObjectNotFound error and goes on' {
        $result = Add-EsxDepot (Join-Path $TestDrive 'absent.zip'), $script:SampleDepot -ErrorVariable err -ErrorAction SilentlyContinue
        @($result).Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'FileNotFound*'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'has DepotUrl in ImageBuilder form, and the form is accepted back' {
        $script:Depot.DepotUrl | Should -Be ('zip:' + $script:Depot.Source + '?index.xml')
        Add-EsxDepot $script:Depot.DepotUrl | Should -Not -BeNullOrEmpty
    }

    It 'has Channels: $depot.Channels[0] | Get-EsxSoftwarePackage | Add-EsxSoftwarePackage works as written' {
        $MyProfile = New-EsxProfile -CloneProfile '*-no-tools' -Name channels -Vendor Test
        $hpDepot = $script:Depot
        $hpDepot.Channels[0] | Get-EsxSoftwarePackage | Add-EsxSoftwarePackage -ImageProfile $MyProfile | Out-Null
        $MyProfile.VibList.Name | Should -Contain 'tools-light'
        Remove-EsxProfile $MyProfile
    }
}

Describe 'The profile object a user holds' {
    BeforeEach {
        $script:b = Get-EsxProfile '*-standard'
        $script:p = New-EsxProfile -CloneProfile $script:b -Name t -Vendor X
    }
    AfterEach { Remove-EsxProfile t -ErrorAction SilentlyContinue }

    It 'Add-EsxPackage changes $p.VibList' {
        $v = Get-EsxPackage -Path $script:SampleDriver
        $before = @($script:p.VibList).Count
        Add-EsxPackage -Profile $script:p -Package $v -AllowLowerAcceptance -WarningAction SilentlyContinue | Out-Null
        @($script:p.VibList).Count | Should -Be ($before + 1)
        $script:p.VibList.Name | Should -Contain 'net-community'
    }

    It 'Set-EsxProfile -AcceptanceLevel changes $p.AcceptanceLevel' {
        Set-EsxProfile -Profile $script:p -AcceptanceLevel CommunitySupported | Out-Null
        $script:p.AcceptanceLevel | Should -Be 'CommunitySupported'
    }

    It 'Remove-EsxPackage changes $p, and the session and Get-EsxProfile return the same object' {
        Remove-EsxPackage -Profile t -Package tools-light | Out-Null
        $script:p.VibList.Name | Should -Not -Contain 'tools-light'
        [object]::ReferenceEquals((Get-EsxProfile t), $script:p) | Should -BeTrue
    }

    It 'exports what $p holds now' {
        Remove-EsxPackage -Profile $script:p -Package tools-light | Out-Null
        $zip = Join-Path $TestDrive 'live.zip'
        Export-EsxProfileToBundle $script:p $zip
        $read = Get-EsxProfile -Depot (Add-EsxDepot $zip) -Name t
        $read.VibList.Name | Sort-Object | Should -Be ($script:p.VibList.Name | Sort-Object)
        Remove-EsxDepot $zip
    }

    It 'carries ImageBuilder names: Author from -Vendor, a Guid, CreationTime' {
        $script:p.Author | Should -Be 'X'
        $script:p.Guid | Should -Match '^[0-9a-f-]{36}$'
        $script:p.CreationTime | Should -BeGreaterThan $script:b.CreationTime
        $script:b.VibList[0].SourceUrls | Should -Not -BeNullOrEmpty
    }

    It 'sorts and lists as the classic script does' {
        $text = Get-EsxImageProfile | Sort-Object -Descending CreationTime | Format-List Name,CreationTime | Out-String
        $text | Should -Match '(?s)Name\s+: t\b.*CreationTime'
    }
}

Describe 'Lookups and errors' {
    It 'Get-EsxPackage with an exact name that matches nothing writes PackageNotFound' {
        $r = Get-EsxPackage no-such-package -ErrorVariable err -ErrorAction SilentlyContinue
        $r | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'PackageNotFound*'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err[0].TargetObject | Should -Be 'no-such-package'
        Get-EsxPackage 'no-such-*' -ErrorVariable err2 | Should -BeNullOrEmpty
        $err2 | Should -BeNullOrEmpty
    }

    It 'Get-EsxProfile with an exact name that matches nothing writes ProfileNotFound' {
        Get-EsxProfile nope -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ProfileNotFound*'
    }

    It 'a wildcard names a profile when it matches one: New-EsxProfile -CloneProfile *standard, Compare-EsxProfile *standard *no-tools' {
        $c = New-EsxProfile -CloneProfile *standard -Name wild -Vendor Test
        $c.VibList.Count | Should -Be (Get-EsxProfile '*-standard').VibList.Count
        (Compare-EsxProfile *standard *no-tools).OnlyInRef | Should -Be @((Get-EsxPackage tools-light).Id)
        Remove-EsxProfile wild
    }

    It 'Compare-EsxProfile results carry ImageBuilder''s names next to ours' {
        $c = New-EsxProfile -CloneProfile *no-tools -Name cmp -Vendor Test
        Add-EsxPackage -Profile $c -Package (Get-EsxPackage -Path $script:SampleDriver) -AllowLowerAcceptance -WarningAction SilentlyContinue | Out-Null
        $diff = Compare-EsxImageProfile *standard $c
        $diff.OnlyInRef | Should -Be @((Get-EsxPackage tools-light).Id)
        $diff.OnlyInComp | Should -Be @($c.VibList | Where-Object Name -eq net-community | ForEach-Object Id)
        $diff.OnlyInReference.Id | Should -Be $diff.OnlyInRef
        , $diff.UpgradeFromRef | Should -BeOfType [object[]]
        , $diff.DowngradeFromRef | Should -BeOfType [object[]]
        @($diff.UpgradeFromRef).Count | Should -Be @($diff.Upgraded).Count
        @($diff.DowngradeFromRef).Count | Should -Be @($diff.Downgraded).Count
        $diff.RefAcceptanceLevel | Should -Be 'PartnerSupported'
        $diff.CompAcceptanceLevel | Should -Be 'CommunitySupported'
        Remove-EsxProfile cmp
    }

    It 'a wildcard that matches several profiles is a clear ProfileAmbiguous error' {
        New-EsxProfile -CloneProfile 'ESXi-8.0.0-*' -Name amb -Vendor Test -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ProfileAmbiguous*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        "$($err[0])" | Should -Match 'matches 2 image profiles'
    }

    It 'the error of a missing clone source targets the source, not the new name' {
        New-EsxProfile -CloneProfile nosuch -Name newname -Vendor Test -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ProfileNotFound*'
        $err[0].TargetObject | Should -Be 'nosuch'
    }

    It 'a failed Add-EsxPackage outputs nothing and leaves the profile as it was' {
        $p = New-EsxProfile -CloneProfile '*-standard' -Name failadd -Vendor Test
        $before = @($p.VibList.Id)
        $out = $null
        { $script:out = Get-EsxPackage -Path $script:SampleDriver | Add-EsxPackage -Profile $p -ErrorAction Stop } |
            Should -Throw -ErrorId 'AcceptanceLevelViolation*'
        $script:out | Should -BeNullOrEmpty
        $out2 = Add-EsxPackage -Profile $p -Package no-such-package -ErrorVariable err -ErrorAction SilentlyContinue
        $out2 | Should -BeNullOrEmpty
        $err | Should -Not -BeNullOrEmpty
        @($p.VibList.Id) | Should -Be $before
        Remove-EsxProfile failadd
    }

    It 'a failed Remove-EsxPackage outputs nothing, and PowerShell errors carry no CLI hints' {
        $p = New-EsxProfile -CloneProfile '*-standard' -Name failremove -Vendor Test
        $out = $null
        $record = $null
        try { $out = Remove-EsxPackage -Profile $p -Package esx-base } catch { $record = $_ }
        $out | Should -BeNullOrEmpty
        # esx-base is the sample base image's ESXi component: that refusal comes first and names the component.
        $record.FullyQualifiedErrorId | Should -BeLike 'ComponentRemovalProhibited*'
        "$record" | Should -Match 'ESXi:8\.0\.0-1\.0\.20513097'
        "$record" | Should -Match '-Force'
        "$record" | Should -Not -Match '--[a-z]|esximage'
        $p.VibList.Name | Should -Contain 'esx-base'
        Remove-EsxProfile failremove
    }

    It 'a read-only depot profile refuses edits with ProfileReadOnly, without CLI hints' {
        { Set-EsxProfile -Profile '*-standard' -Description x -ErrorAction Stop } | Should -Throw -ErrorId 'ProfileReadOnly*'
        Set-EsxProfile -Profile '*-standard' -Description x -ErrorVariable err -ErrorAction SilentlyContinue
        "$($err[0])" | Should -Not -Match '--[a-z]|esximage'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
    }
}

Describe 'Pipeline binding by property name' {
    It '[pscustomobject]@{Name=...} | Get-EsxProfile' {
        ([pscustomobject]@{ Name = 'ESXi-8.0.0-20513097-sample-no-tools' } | Get-EsxProfile).Name | Should -Be 'ESXi-8.0.0-20513097-sample-no-tools'
    }

    It '$p.VibList | Get-EsxPackage returns the depot packages of those names' {
        $std = Get-EsxProfile '*-standard'
        ($std.VibList | Get-EsxPackage).Id | Sort-Object | Should -Be ($std.VibList.Id | Sort-Object)
    }

    It 'files piped to Get-EsxPackage bind as paths, not as package names' {
        (Get-Item $script:SampleDriver | Get-EsxPackage).Name | Should -Be 'net-community'
    }

    It 'Import-Csv rows export one ISO each' {
        $csv = Join-Path $TestDrive 'builds.csv'
        @(
            [pscustomobject]@{ Profile = 'ESXi-8.0.0-20513097-sample-standard'; FilePath = (Join-Path $TestDrive 'std.iso') }
            [pscustomobject]@{ Profile = 'ESXi-8.0.0-20513097-sample-no-tools'; FilePath = (Join-Path $TestDrive 'nt.iso') }
        ) | Export-Csv $csv
        $files = Import-Csv $csv | Export-EsxProfileToIso -PassThru
        @($files).Count | Should -Be 2
        Test-Path (Join-Path $TestDrive 'nt.iso') | Should -BeTrue
    }
}

Describe 'Export' {
    It 'every writing cmdlet refuses an existing destination in the engine''s one wording, -Force named as the way out' {
        # The same code and words as esximage's (Cli.Tests OutputSafetyTests), with the module's switch.
        $file = Join-Path $TestDrive 'taken.iso'
        Set-Content -LiteralPath $file -Value 'keep'
        $folder = Join-Path $TestDrive 'taken-pxe'
        New-Item -ItemType Directory $folder | Out-Null
        $tree = Join-Path $TestDrive 'tree/opt/x'
        New-Item -ItemType Directory $tree -Force | Out-Null
        Set-Content -LiteralPath (Join-Path $tree 'x.conf') -Value 'x'
        $runs = @(
            @{ Path = $file; Run = { Export-EsxProfileToIso '*-standard' $file -ErrorAction Stop } }
            @{ Path = $file; Run = { Export-EsxProfileToBundle '*-standard' $file -ErrorAction Stop } }
            @{ Path = $file; Run = { Export-EsxImageProfile -ImageProfile '*-standard' -ExportToIso -FilePath $file -ErrorAction Stop } }
            @{ Path = $folder; Run = { Export-EsxProfileToPxe '*-standard' $folder -ErrorAction Stop } }
            @{ Path = $file; Run = { New-EsxCustomImage -Source $script:SampleDepot -Add $script:SampleDriver -FilePath $file -ErrorAction Stop } }
            @{ Path = $file; Run = { Get-EsxPackage -Path $script:SampleDriver | New-EsxBundle $file -ErrorAction Stop } }
            @{ Path = $file; Run = { New-EsxVib -Path (Join-Path $TestDrive 'tree') -FilePath $file -Name x -Version 1-1 -Vendor V -ErrorAction Stop } }
        )
        foreach ($r in $runs) {
            $e = $null
            try { & $r.Run | Out-Null } catch { $e = $_ }
            $e | Should -Not -BeNullOrEmpty -Because "$($r.Run)"
            $e.FullyQualifiedErrorId | Should -BeLike 'ExportDestinationExists*' -Because "$($r.Run)"
            "$e" | Should -BeExactly "'$($r.Path)' already exists (use -Force to replace it)" -Because "$($r.Run)"
        }
        Get-Content -LiteralPath $file | Should -Be 'keep'
        @(Get-ChildItem $folder).Count | Should -Be 0
    }

    It '-Force only overwrites; a profile failing validation needs -AllowInvalidProfile' {
        $iso = Join-Path $TestDrive 'force.iso'
        Export-EsxProfileToIso '*-standard' $iso
        { Export-EsxProfileToIso '*-standard' $iso -ErrorAction Stop } | Should -Throw -ErrorId 'ExportDestinationExists*'
        Export-EsxProfileToIso '*-standard' $iso -Force
        $bad = New-EsxProfile -CloneProfile '*-standard' -Name invalid -Vendor Test
        Remove-EsxPackage -Profile $bad -Package esx-base -Force -WarningAction SilentlyContinue | Out-Null
        $badIso = Join-Path $TestDrive 'invalid.iso'
        { Export-EsxProfileToIso $bad $badIso -Force -ErrorAction Stop } | Should -Throw -ErrorId 'ProfileInvalid*'
        Test-Path $badIso | Should -BeFalse
        Export-EsxProfileToIso $bad $badIso -ErrorVariable err -ErrorAction SilentlyContinue
        "$($err[0])" | Should -Match '-AllowInvalidProfile'
        "$($err[0])" | Should -Not -Match '--force'
        Remove-EsxProfile invalid
    }

    It '-NoSync writes the same bytes as the default, and leaves no temp file' {
        $saved = $env:SOURCE_DATE_EPOCH
        $env:SOURCE_DATE_EPOCH = '1700000000'
        try {
            $synced = Join-Path $TestDrive 'synced.iso'
            $unsynced = Join-Path $TestDrive 'unsynced.iso'
            Export-EsxProfileToIso '*-standard' $synced
            Export-EsxProfileToIso '*-standard' $unsynced -NoSync
            (Get-FileHash $unsynced).Hash | Should -Be (Get-FileHash $synced).Hash
            @(Get-ChildItem $TestDrive -Force -Filter '.unsynced.iso.*').Count | Should -Be 0
        }
        finally { $env:SOURCE_DATE_EPOCH = $saved }
    }

    It 'writes the depots'' component bulletins into IMGDB.TGZ, as the command-line build does' {
        $sevenZip = Get-Command 7z -ErrorAction SilentlyContinue
        if (Skip-OrFailWithout ([bool]$sevenZip) '7z (p7zip-full)') { return }
        $iso = Join-Path $TestDrive 'bulletins.iso'
        Export-EsxProfileToIso '*-standard' $iso
        $out = Join-Path $TestDrive 'bulletins'
        & $sevenZip.Source x -y "-o$out" $iso IMGDB.TGZ | Out-Null
        $LASTEXITCODE | Should -Be 0
        $names = & tar -tzf (Join-Path $out 'IMGDB.TGZ')
        $names | Should -Contain 'var/db/esximg/bulletins/VMware-net-sample-1.0.0-1vmw.800.1.0.20513097.xml'
    }

    It 'writes nothing under -WhatIf' {
        $iso = Join-Path $TestDrive 'whatif.iso'
        Export-EsxProfileToIso '*-standard' $iso -WhatIf
        Test-Path $iso | Should -BeFalse
    }

    It '-Confirm asks first: with nobody to answer, nothing is written' {
        $iso = Join-Path $TestDrive 'confirm.iso'
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$(Get-TestModulePath)'; Add-EsxDepot '$script:SampleDepot' | Out-Null; Export-EsxProfileToIso '*-standard' '$iso' -Confirm").Invoke()
            $ps.HadErrors | Should -BeTrue
            Test-Path $iso | Should -BeFalse
        }
        finally { $ps.Dispose() }
    }

    It 'reports progress records while exporting' {
        $iso = Join-Path $TestDrive 'progress.iso'
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$(Get-TestModulePath)'; Add-EsxDepot '$script:SampleDepot' | Out-Null; Export-EsxProfileToIso '*-standard' '$iso'").Invoke()
            $ps.HadErrors | Should -BeFalse -Because ($ps.Streams.Error | Out-String)
            $records = @($ps.Streams.Progress)
            @($records | Where-Object Activity -like 'Exporting*').Count | Should -BeGreaterThan 1
            @($records | Where-Object RecordType -eq 'Completed').Count | Should -BeGreaterThan 0
        }
        finally { $ps.Dispose() }
    }

    It 'refuses the sample signed by a key nobody named, exports it once -TrustedCertificate names it, and warns once with -NoSignatureCheck' {
        $saved = $env:ESXIIMAGETOOLS_TRUSTED_CERTS
        $env:ESXIIMAGETOOLS_TRUSTED_CERTS = $null
        try {
            $iso = Join-Path $TestDrive 'untrusted.iso'
            Export-EsxProfileToIso '*-standard' $iso -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeLike 'VibSignatureInvalid*'
            $err[0].CategoryInfo.Category | Should -Be 'SecurityError'
            "$($err[0])" | Should -Match 'VMware_bootbank_esx-base_8\.0\.0-1\.0\.20513097'
            "$($err[0])" | Should -Match 'not a trusted certificate'
            "$($err[0])" | Should -Match '\(-NoSignatureCheck\)'
            "$($err[0])" | Should -Not -Match '--no-signature-check'
            Test-Path $iso | Should -BeFalse
            Export-EsxProfileToIso '*-standard' $iso -TrustedCertificate (Get-SampleCertificatePath) -WarningVariable w -WarningAction SilentlyContinue
            Test-Path $iso | Should -BeTrue
            "$w" | Should -Not -Match 'signature'
            $skipped = Join-Path $TestDrive 'skipped.iso'
            Export-EsxProfileToIso '*-standard' $skipped -NoSignatureCheck -WarningVariable w2 -WarningAction SilentlyContinue
            @($w2 | Where-Object { "$_" -match 'signature check skipped' }).Count | Should -Be 1
            "$w2" | Should -Match 'tools-light'
        }
        finally { $env:ESXIIMAGETOOLS_TRUSTED_CERTS = $saved }
    }

    It 'reports each package''s signature: state, signer, anchor and the level it may sign' {
        $p = Get-EsxPackage -Name esx-base
        $p.Signature.State | Should -Be 'Verifies'
        $p.Signature.Anchor | Should -Be 'ESXiImageTools Sample VIB Signing (TEST)'
        $p.Signature.AnchorMaxLevel | Should -Be 'PartnerSupported'
        (Get-EsxPackage -Path (Get-SampleDriverPath)).Signature.State | Should -Be 'Unsigned'
    }

    It 'reports Signed as the VIB has it: unknown from metadata, True once read, and no false warning (usbnic-fling-703)' {
        $zip = Get-CorpusPath 'usbnic-fling-703/ESXi703-VMKUSB-NIC-FLING-55634242-component-19849370.zip'
        if (Skip-OrFailWithout (Test-Path $zip) 'the corpus (../shared/corpus)') { return }
        $d = Add-EsxDepot $zip
        $v = Get-EsxPackage -Depot $d | Select-Object -First 1
        $v.Signed | Should -BeNullOrEmpty
        $v.SignatureStatus | Should -Be 'Unknown'
        (Get-EsxPackage -Path $zip | Select-Object -First 1).Signed | Should -BeNullOrEmpty
        $p = New-EsxProfile -NewProfile -Name usbnic -Vendor Test -Package $v -Force -WarningAction SilentlyContinue
        $bundle = Join-Path $TestDrive 'usbnic.zip'
        Export-EsxProfileToBundle $p $bundle -AllowInvalidProfile -WarningVariable w -WarningAction SilentlyContinue
        "$w" | Should -Not -Match 'signature'
        Remove-EsxProfile usbnic
        Remove-EsxDepot $d
    }
}

Describe 'Default views' {
    It 'stay readable at <_> columns' -ForEach 80, 120 {
        $width = $_
        foreach ($text in @(
                (Get-EsxDepot | Out-String -Width $width),
                (Get-EsxPackage | Out-String -Width $width),
                (Get-EsxProfile | Out-String -Width $width))) {
            foreach ($line in $text -split "`n") { $line.TrimEnd().Length | Should -BeLessOrEqual $width }
            $text | Should -Not -Match '…'
        }
        $packages = Get-EsxPackage | Out-String -Width $width
        $packages | Should -Match 'Name\s+Version\s+Vendor\s+Creation Date'
        $packages | Should -Match 'VMware'
        $depots = Get-EsxDepot | Out-String -Width $width
        $depots | Should -Match 'Kind\s+Packages\s+Profiles\s+Depot Url'
        $depots | Should -Match 'OfflineBundle\s+4\s+2'
        $profiles = Get-EsxProfile | Out-String -Width $width
        $profiles | Should -Match 'Name\s+Vendor\s+Last Modified\s+Acceptance Level'
        $profiles | Should -Match 'PartnerSupported'
    }
}
