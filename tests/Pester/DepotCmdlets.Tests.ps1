# ImageBuilder's ESXi 7.0+ cmdlets in real PowerShell: Get-DepotInfo/Vibs/Components/BaseImages/Addons on the sample
# and on real component zips from the corpus, with VMware's table columns; New-IsoImage against `esximage build --spec`
# (same bytes for the same spec and timestamp); New-PxeImage's folder; the export cmdlets and New-EsxCustomImage against
# esximage build and customize (one export request in both shells).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Reset-EsxSession
    $script:SampleDepot = Get-SampleDepotPath
    $script:Updates = @(Get-ChildItem (Get-CorpusPath 'scripts/itiligent-8-updates') -Filter *.zip -ErrorAction SilentlyContinue | Sort-Object Name)
    $script:Spec = Join-Path $TestDrive 'spec.json'
    Set-Content -Path $script:Spec -Value '{ "base_image": { "version": "8.0.0-1.0.20513097" }, "removed_components": [ "tools-light" ] }'
    # The command-line tool as the solution build left it (the test command builds every project first).
    $script:Cli = Get-ChildItem (Join-Path (Get-RepoRoot) 'src/ESXiImageTools.Cli/bin') -Recurse -Filter esximage.dll -ErrorAction SilentlyContinue |
        Where-Object { $_.DirectoryName -match 'net10\.0$' } | Sort-Object LastWriteTimeUtc -Descending | Select-Object -First 1
}

AfterAll {
    Remove-Item Env:SOURCE_DATE_EPOCH -ErrorAction SilentlyContinue
    Remove-Module ESXiImageTools -ErrorAction SilentlyContinue
}

Describe 'Get-Depot* (ESXi 7.0+ depot cmdlets)' {
    It 'Get-DepotComponents lists the sample''s components with VMware''s columns and name:version ids' {
        $c = @(Get-DepotComponents -Depot $script:SampleDepot)
        $c.Id | Should -Contain 'ESXi:8.0.0-1.0.20513097'
        $c.Count | Should -Be 4
        $table = ($c | Format-Table | Out-String -Width 120) -split "`n" | Where-Object { $_ -match '\S' }
        $table[0] -split '\s+' | Where-Object { $_ } | Should -Be @('Name', 'Version', 'ID', 'Vendor')
        (Get-DepotComponents $script:SampleDepot 'ESXi:*').Name | Should -Be 'ESXi'
        # Reading depots this way leaves the session alone, as ImageBuilder's 7.0 cmdlets do.
        @(Get-EsxDepot).Count | Should -Be 0
    }

    It 'Get-DepotComponents and Get-DepotVibs read real component zips (<_>)' -ForEach @('ESXi803-VMKUSB-NIC-FLING-93415869-component.zip', 'VMware-Re-Driver_1.101.01-5vmw.800.1.0.20613240.zip') {
        $zip = $script:Updates | Where-Object Name -eq $_
        if (Skip-OrFailWithout ($null -ne $zip) 'the corpus (../shared/corpus/scripts/itiligent-8-updates)') { return }
        $c = Get-DepotComponents -Depot $zip.FullName
        $c | Should -HaveCount 1
        $c.Id | Should -Be "$($c.Name):$($c.Version)"
        $c.Vendor | Should -Be 'VMware'
        $v = @(Get-DepotVibs -Depot $zip.FullName)
        $v.Id | Should -Be $c.VibIds
        if ($_ -like 'ESXi803*') { $c.Id | Should -Be 'VMware-vmkusb-nic-fling:1.14-7vmw.803.0.95.93415869' }
        else { $c.Id | Should -Be 'VMware-Re-Driver:1.101.01-5vmw.800.1.0.20613240' }
        (Get-DepotInfo -Depot $zip.FullName).Packages.Count | Should -Be $v.Count
    }

    It 'Get-DepotBaseImages, Get-DepotAddons and Get-DepotInfo on the sample' {
        (Get-DepotBaseImages $script:SampleDepot).Version | Should -Be '8.0.0-1.0.20513097'
        @(Get-DepotBaseImages $script:SampleDepot -Version '7.*').Count | Should -Be 0
        @(Get-DepotAddons $script:SampleDepot).Count | Should -Be 0
        $info = Get-DepotInfo $script:SampleDepot
        "$($info.Kind)" | Should -Be 'OfflineBundle'
        $info.Profiles.Count | Should -Be 2
    }

    It 'Get-DepotAddons and Get-EsxAddon read an add-on document into VMware''s five columns' {
        # The sample depot with two documents added to its metadata.zip at test time: an add-on in esximage's
        # release-unit JSON and a broken one, which stays listed raw beside a typed error.
        Add-Type -AssemblyName System.IO.Compression
        $depot = Join-Path $TestDrive 'addon-depot.zip'
        Copy-Item (Get-SampleDepotPath) $depot
        $addon = [ordered]@{
            releaseID = 'DEL-ESXi:803.A00'; releaseType = 'addon'; category = 'enhancement'; vendor = 'Dell Inc.'
            summary = 'Dell Add-on'; description = ''; releaseDate = '2024-07-11T00:00:00'; acceptanceLevel = 'partner'
            components = [ordered]@{ 'net-sample' = '1.0.0-1vmw.800.1.0.20513097' }; schemaVersion = '1.0'
            nameSpec = [ordered]@{ name = 'DEL-ESXi'; uiString = 'Dell ESXi add-on' }
            versionSpec = [ordered]@{ version = '803.A00'; uiString = '803.A00' }
            supportedBaseImageVersions = @('8.0.0'); removedComponents = @('tools-light')
        } | ConvertTo-Json -Depth 4 -Compress
        $outer = [System.IO.Compression.ZipFile]::Open($depot, 'Update')
        try {
            $entry = $outer.GetEntry('metadata.zip')
            $bytes = New-Object System.IO.MemoryStream
            $s = $entry.Open(); $s.CopyTo($bytes); $s.Dispose()
            $inner = New-Object System.IO.Compression.ZipArchive($bytes, 'Update', $true)
            foreach ($doc in @(@('addons/DEL-ESXi_803.A00.json', $addon), @('addons/broken.json', '{"nameSpec":'))) {
                $w = New-Object System.IO.StreamWriter($inner.CreateEntry($doc[0]).Open())
                $w.Write($doc[1]); $w.Dispose()
            }
            $inner.Dispose()
            $entry.Delete()
            $s = $outer.CreateEntry('metadata.zip').Open(); $s.Write($bytes.ToArray(), 0, $bytes.Length); $s.Dispose()
        } finally { $outer.Dispose() }

        $out = @(Get-DepotAddons -Depot $depot -ErrorVariable errs -ErrorAction SilentlyContinue)
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'AddonInvalid*'
        "$($errs[0].CategoryInfo.Category)" | Should -Be 'InvalidData'
        $out | Should -HaveCount 2
        $a = $out | Where-Object { $_.PSObject.TypeNames[0] -eq 'ESXiImageTools.Core.Components.Addon' }
        ($a.Name, $a.Version, $a.Id, $a.Vendor) | Should -Be @('DEL-ESXi', '803.A00', 'DEL-ESXi:803.A00', 'Dell Inc.')
        $a.ReleaseDate.UtcDateTime.ToString('s') | Should -Be '2024-07-11T00:00:00'
        $a.Components['net-sample'] | Should -Be '1.0.0-1vmw.800.1.0.20513097'
        $a.RemovedComponents | Should -Be @('tools-light')
        ($out | Where-Object { $_.PSObject.TypeNames[0] -eq 'ESXiImageTools.Core.Components.ReleaseUnit' }).EntryName | Should -Be 'addons/broken.json'

        $table = ($a | Format-Table | Out-String -Width 80) -split "`n" | Where-Object { $_ -match '\S' }
        $table[0].Trim() -csplit '\s+(?=[A-Z])' | Should -Be @('Name', 'Version', 'ID', 'Vendor', 'Release date')
        $table[2] | Should -Match '^DEL-ESXi\s+803\.A00\s+DEL-ESXi:803\.A00\s+Dell Inc\.\s+2024-07-11\s*$'
        $table | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual 80 }

        # The session cmdlet reads the same documents, by add-on name too.
        Add-EsxDepot $depot | Out-Null
        try { (Get-EsxAddon 'DEL-*' -ErrorAction SilentlyContinue).Id | Should -Be 'DEL-ESXi:803.A00' }
        finally { Get-EsxDepot | Remove-EsxDepot }
    }

    It 'a depot that cannot be read is a terminating error with the engine''s ErrorId' {
        $bad = Join-Path $TestDrive 'bad.zip'
        Set-Content -Path $bad -Value 'not a zip'
        { Get-DepotComponents -Depot $bad } | Should -Throw -ErrorId 'Depot*'
        { Get-DepotVibs -Depot (Join-Path $TestDrive 'absent.zip') 2>$null } | Should -Throw -ErrorId 'FileNotFound*'
    }

    It 'completes -Id from the depot -Depot names' {
        Push-Location (Split-Path $script:SampleDepot)
        try { $line = 'Get-DepotComponents -Depot ./ESXi-8.0.0-sample-depot.zip -Id nvme'; $r = TabExpansion2 -inputScript $line -cursorColumn $line.Length }
        finally { Pop-Location }
        $r.CompletionMatches.CompletionText | Should -Contain 'nvme-sample:1.2.0-1vmw.800.1.0.20513097'
    }
}

Describe 'New-IsoImage and New-PxeImage' {
    It 'New-IsoImage writes the same ISO as esximage build --spec for the same spec and timestamp' {
        if (Skip-OrFailWithout ($null -ne $script:Cli) 'the built command-line tool (src/ESXiImageTools.Cli/bin/*/net10.0/esximage.dll)') { return }
        $cliIso = Join-Path $TestDrive 'cli.iso'
        $out = & dotnet $script:Cli.FullName build --depot $script:SampleDepot --spec $script:Spec --iso $cliIso --timestamp 1700000000 --no-sync 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($out | Out-String)
        $env:SOURCE_DATE_EPOCH = '1700000000'
        try {
            $iso = New-IsoImage -SoftwareSpec $script:Spec -Depots $script:SampleDepot -Destination (Join-Path $TestDrive 'cmdlet.iso') -PassThru -WarningAction SilentlyContinue
        }
        finally { Remove-Item Env:SOURCE_DATE_EPOCH }
        $iso | Should -BeOfType System.IO.FileInfo
        (Get-FileHash $iso.FullName).Hash | Should -Be (Get-FileHash $cliIso).Hash
        { New-IsoImage $script:Spec -Depots $script:SampleDepot -Destination $iso.FullName -WarningAction SilentlyContinue } | Should -Throw -ErrorId 'ExportDestinationExists*'
        # VMware's switch is -Overwrite (-Force is its alias here): the advice names it.
        $e = $null
        try { New-IsoImage $script:Spec -Depots $script:SampleDepot -Destination $iso.FullName -ErrorAction Stop } catch { $e = $_ }
        "$e" | Should -BeExactly "'$($iso.FullName)' already exists (use -Overwrite to replace it)"
    }

    It 'New-PxeImage writes a folder whose boot.cfg modules all exist, as esximage build --pxe does' {
        $dest = Join-Path $TestDrive 'pxe'
        $env:SOURCE_DATE_EPOCH = '1700000000'
        try { $folder = New-PxeImage $script:Spec -Depots $script:SampleDepot -Destination $dest -PassThru -WarningAction SilentlyContinue }
        finally { Remove-Item Env:SOURCE_DATE_EPOCH }
        $folder | Should -BeOfType System.IO.DirectoryInfo
        $cfg = Get-Content (Join-Path $dest 'boot.cfg')
        ($cfg | Where-Object { $_ -like 'prefix=*' }) | Should -Be 'prefix=pxe'
        $kernel = ($cfg | Where-Object { $_ -like 'kernel=*' }).Substring(7)
        $modules = (($cfg | Where-Object { $_ -like 'modules=*' }).Substring(8) -split ' --- ')
        foreach ($m in @($kernel) + $modules) { Join-Path $dest $m | Should -Exist }
        $modules | Should -Not -Contain 'tools.t00'
        foreach ($f in 'mboot.c32', 'mboot.efi', 'efi/boot/bootx64.efi', 'README.txt') { Join-Path $dest $f | Should -Exist }
        if ($script:Cli) {
            $cliDest = Join-Path $TestDrive 'cli/pxe'
            & dotnet $script:Cli.FullName build --depot $script:SampleDepot --spec $script:Spec --pxe $cliDest --timestamp 1700000000 --no-sync 2>&1 | Out-Null
            $LASTEXITCODE | Should -Be 0
            $a = Get-ChildItem $dest -Recurse -File | ForEach-Object { "$($_.FullName.Substring($dest.Length)) $((Get-FileHash $_.FullName).Hash)" }
            $b = Get-ChildItem $cliDest -Recurse -File | ForEach-Object { "$($_.FullName.Substring($cliDest.Length)) $((Get-FileHash $_.FullName).Hash)" }
            $a | Should -Be $b
        }
    }

    It 'Export-EsxProfileToPxe writes a session profile''s PXE folder with the given prefix' {
        Reset-EsxSession
        Add-EsxDepot $script:SampleDepot | Out-Null
        $p = New-EsxProfile -CloneProfile '*-standard' -Name pxe-test -Vendor Contoso
        $dest = Join-Path $TestDrive 'export-pxe'
        $p | Export-EsxProfileToPxe -FolderPath $dest -Prefix 'images/esxi' -WarningAction SilentlyContinue
        Get-Content (Join-Path $dest 'boot.cfg') | Should -Contain 'prefix=images/esxi'
        { Export-EsxProfileToPxe $p $dest -WarningAction SilentlyContinue -ErrorAction Stop } | Should -Throw -ErrorId 'ExportDestinationExists*'
    }
}

Describe 'New-OfflineBundle, -LiveImage and -CheckAcceptance (VMware''s 7.0+ parameters)' {
    BeforeAll {
        # Read zips with 7z (p7zip, which .ci/run installs), not our engine.
        function Read-ZipListing([string] $zip) {
            (& 7z l -slt $zip) | Where-Object { $_ -like 'Path = *' } | ForEach-Object { $_.Substring(7) } | Select-Object -Skip 1
            if ($LASTEXITCODE -ne 0) { throw "7z could not list $zip" }
        }
        function Read-ZipEntry([string] $zip, [string] $name) { (& 7z e -so $zip $name) -join "`n" }
    }

    It 'New-OfflineBundle writes a bundle holding every VIB of the spec with the vendor block given, and the same bytes as esximage build --spec --bundle' {
        $dest = Join-Path $TestDrive 'hpe-bundle.zip'
        $env:SOURCE_DATE_EPOCH = '1700000000'
        try {
            # VMware's form: spec and destination by position, depots named.
            $bundle = New-OfflineBundle $script:Spec $dest -Depots $script:SampleDepot -VendorName 'HPE' -VendorCode 'HEP' -PassThru -WarningAction SilentlyContinue
        }
        finally { Remove-Item Env:SOURCE_DATE_EPOCH }
        $bundle | Should -BeOfType System.IO.FileInfo
        $names = @(Read-ZipListing $dest)
        $names | Should -Contain 'index.xml'
        $names | Should -Contain 'vendor-index.xml'
        $names | Should -Contain 'metadata.zip'
        $vibs = @($names | Where-Object { $_ -like 'vib20/*.vib' })
        $vibs | Should -Contain 'vib20/esx-base/VMware_bootbank_esx-base_8.0.0-1.0.20513097.vib'
        $vibs | Should -Not -Match 'tools-light' -Because 'the spec removes the tools-light component'
        $vibs.Count | Should -BeGreaterThan 1
        $index = [xml](Read-ZipEntry $dest 'index.xml')
        $index.vendorList.vendor.name | Should -Be 'HPE'
        $index.vendorList.vendor.code | Should -Be 'HEP'
        $index.vendorList.vendor.content.type | Should -Be 'http://www.vmware.com/depotmanagement/esx'

        if (Skip-OrFailWithout ($null -ne $script:Cli) 'the built command-line tool (src/ESXiImageTools.Cli/bin/*/net10.0/esximage.dll)') { return }
        # esximage build --bundle names the vendor after the profile and codes it EIT: the cmdlet given those writes the same bytes.
        $cliBundle = Join-Path $TestDrive 'cli-bundle.zip'
        $out = & dotnet $script:Cli.FullName build --depot $script:SampleDepot --spec $script:Spec --bundle $cliBundle --timestamp 1700000000 --no-sync 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($out | Out-String)
        $cliVendor = ([xml](Read-ZipEntry $cliBundle 'index.xml')).vendorList.vendor
        $cliVendor.code | Should -Be 'EIT'
        $env:SOURCE_DATE_EPOCH = '1700000000'
        try { $same = New-OfflineBundle -Depots $script:SampleDepot -SoftwareSpec $script:Spec -Destination (Join-Path $TestDrive 'same.zip') -VendorName $cliVendor.name -VendorCode EIT -PassThru -WarningAction SilentlyContinue }
        finally { Remove-Item Env:SOURCE_DATE_EPOCH }
        (Get-FileHash $same.FullName).Hash | Should -Be (Get-FileHash $cliBundle).Hash
    }

    It 'New-OfflineBundle refuses a vendor code that is not 3 letters or digits (<_>) before reading any depot, and writes nothing' -ForEach @('HP', 'HPEX', 'H-P', 'HP ') {
        $dest = Join-Path $TestDrive "bad-$([guid]::NewGuid().ToString('N')).zip"
        { New-OfflineBundle $script:Spec $dest -Depots (Join-Path $TestDrive 'no-such-depot.zip') -VendorName 'HPE' -VendorCode $_ -ErrorAction Stop } |
            Should -Throw -ErrorId 'BundleVendorCodeInvalid*'
        $dest | Should -Not -Exist
    }

    It '<_> refuses an existing destination before reading any depot; -WhatIf still only says what it would write' -ForEach @('New-IsoImage', 'New-PxeImage', 'New-OfflineBundle') {
        $dest = Join-Path $TestDrive "exists-$_"
        if ($_ -eq 'New-PxeImage') { New-Item -ItemType Directory $dest | Out-Null } else { Set-Content $dest 'keep' }
        $vendor = if ($_ -eq 'New-OfflineBundle') { @{ VendorName = 'HPE'; VendorCode = 'HEP' } } else { @{} }
        $absent = Join-Path $TestDrive 'no-such-depot.zip'
        { & $_ -Depots $absent -SoftwareSpec $script:Spec -Destination $dest @vendor -ErrorAction Stop } | Should -Throw -ErrorId 'ExportDestinationExists*'
        if ($_ -ne 'New-PxeImage') { Get-Content $dest | Should -Be 'keep' }
        & $_ -Depots $script:SampleDepot -SoftwareSpec $script:Spec -Destination $dest @vendor -WhatIf -WarningAction SilentlyContinue
        if ($_ -ne 'New-PxeImage') { Get-Content $dest | Should -Be 'keep' }
    }

    It 'New-PxeImage -LiveImage writes a boot.cfg without the installer''s runweasel and the same modules as the installer image' {
        $live = Join-Path $TestDrive 'live'
        $installer = Join-Path $TestDrive 'installer'
        # VMware's documentation example form: depots, then the spec, by position.
        New-PxeImage $script:SampleDepot $script:Spec -Destination $live -LiveImage -CheckAcceptance -WarningAction SilentlyContinue
        New-PxeImage $script:SampleDepot $script:Spec -Destination $installer -WarningAction SilentlyContinue
        $cfg = Get-Content (Join-Path $live 'boot.cfg')
        $cfg | Should -Contain 'kernelopt='
        $cfg | Should -Contain 'title=Loading ESXi'
        ($cfg -join "`n") | Should -Not -Match 'runweasel'
        Get-Content (Join-Path $installer 'boot.cfg') | Should -Contain 'kernelopt=runweasel'
        ($cfg | Where-Object { $_ -like 'modules=*' }) | Should -Be (Get-Content (Join-Path $installer 'boot.cfg') | Where-Object { $_ -like 'modules=*' })
        Get-Content (Join-Path $live 'efi/boot/boot.cfg') | Should -Be $cfg
        New-PxeImage $script:SampleDepot $script:Spec -Destination (Join-Path $TestDrive 'live-ks') -LiveImage -KernelOptions 'ks=http://10.0.0.1/ks.cfg' -WarningAction SilentlyContinue
        Get-Content (Join-Path $TestDrive 'live-ks/boot.cfg') | Should -Contain 'kernelopt=ks=http://10.0.0.1/ks.cfg'
        if (Skip-OrFailWithout ($null -ne $script:Cli) 'the built command-line tool (src/ESXiImageTools.Cli/bin/*/net10.0/esximage.dll)') { return }
        # esximage build --pxe --live writes the same folder, file for file, for the same timestamp.
        New-Item -ItemType Directory (Join-Path $TestDrive 'stamped') | Out-Null   # the same folder name: the same prefix=
        $env:SOURCE_DATE_EPOCH = '1700000000'
        try { New-PxeImage $script:SampleDepot $script:Spec -Destination (Join-Path $TestDrive 'stamped/live') -LiveImage -WarningAction SilentlyContinue }
        finally { Remove-Item Env:SOURCE_DATE_EPOCH }
        $cliLive = Join-Path $TestDrive 'cli-live/live'
        $out = & dotnet $script:Cli.FullName build --depot $script:SampleDepot --spec $script:Spec --pxe $cliLive --live --timestamp 1700000000 --no-sync 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($out | Out-String)
        $mine = Join-Path $TestDrive 'stamped/live'
        $a = Get-ChildItem $mine -Recurse -File | ForEach-Object { "$($_.FullName.Substring($mine.Length)) $((Get-FileHash $_.FullName).Hash)" }
        $b = Get-ChildItem $cliLive -Recurse -File | ForEach-Object { "$($_.FullName.Substring($cliLive.Length)) $((Get-FileHash $_.FullName).Hash)" }
        $a | Should -Be $b
    }

    It '<_> refuses a VIB failing the acceptance-level check with and without -CheckAcceptance; -NoSignatureCheck with it is refused' -ForEach @('New-IsoImage', 'New-PxeImage') {
        $cmd = $_
        $trusted = $env:ESXIIMAGETOOLS_TRUSTED_CERTS
        # Without the sample certificate trusted, the sample's VIBs are signed by an unknown key: an ESXi host refuses them.
        Remove-Item Env:ESXIIMAGETOOLS_TRUSTED_CERTS
        try {
            foreach ($check in $true, $false) {
                $dest = Join-Path $TestDrive "$cmd-$check"
                if ($cmd -eq 'New-IsoImage') { $dest += '.iso' }
                { & $cmd -Depots $script:SampleDepot -SoftwareSpec $script:Spec -Destination $dest -CheckAcceptance:$check -ErrorAction Stop -WarningAction SilentlyContinue } |
                    Should -Throw -ErrorId 'VibSignatureInvalid*'
                $dest | Should -Not -Exist
            }
        }
        finally { $env:ESXIIMAGETOOLS_TRUSTED_CERTS = $trusted }
        { & $cmd -Depots $script:SampleDepot -SoftwareSpec $script:Spec -Destination (Join-Path $TestDrive "$cmd-both") -CheckAcceptance -NoSignatureCheck -ErrorAction Stop } |
            Should -Throw -ErrorId 'CheckAcceptanceConflict*'
    }
}

Describe 'One export request in both shells' {
    # The cmdlets and esximage map their switches onto the engine's one export request: the same switches and
    # timestamp give the same bytes.
    BeforeAll {
        $script:Standard = 'ESXi-8.0.0-20513097-sample-standard'
        function script:Invoke-Cli { $out = & dotnet $script:Cli.FullName @args 2>&1; $LASTEXITCODE | Should -Be 0 -Because ($out | Out-String) }
        function script:Invoke-WithEpoch([scriptblock] $run) {
            $env:SOURCE_DATE_EPOCH = '1700000000'
            try { & $run } finally { Remove-Item Env:SOURCE_DATE_EPOCH }
        }
    }

    It 'Export-EsxProfileToIso and Export-EsxProfileToBundle write what esximage build writes for the same clone' {
        if (Skip-OrFailWithout ($null -ne $script:Cli) 'the built command-line tool (src/ESXiImageTools.Cli/bin/*/net10.0/esximage.dll)') { return }
        Reset-EsxSession
        Add-EsxDepot $script:SampleDepot | Out-Null
        $p = New-EsxProfile -CloneProfile $script:Standard -Name same -Vendor Contoso
        foreach ($kind in 'iso', 'bundle') {
            $cli = Join-Path $TestDrive "cli.$kind"
            Invoke-Cli build --depot $script:SampleDepot --profile $script:Standard --name same --vendor Contoso "--$kind" $cli --timestamp 1700000000 --no-sync --no-signature-check
            $mine = Join-Path $TestDrive "cmdlet.$kind"
            Invoke-WithEpoch {
                if ($kind -eq 'iso') { Export-EsxProfileToIso $p $mine -NoSync -NoSignatureCheck -WarningAction SilentlyContinue }
                else { Export-EsxProfileToBundle $p $mine -NoSync -NoSignatureCheck -WarningAction SilentlyContinue }
            }
            (Get-FileHash $mine).Hash | Should -Be (Get-FileHash $cli).Hash -Because $kind
        }
    }

    It 'New-EsxCustomImage writes what esximage customize writes for the same sources and packages' {
        if (Skip-OrFailWithout ($null -ne $script:Cli) 'the built command-line tool (src/ESXiImageTools.Cli/bin/*/net10.0/esximage.dll)') { return }
        $cli = Join-Path $TestDrive 'cli-custom.zip'
        Invoke-Cli customize --source $script:SampleDepot --add (Get-SampleDriverPath) --out $cli --timestamp 1700000000 --no-sync
        $mine = Join-Path $TestDrive 'cmdlet-custom.zip'
        Invoke-WithEpoch { New-EsxCustomImage -Source $script:SampleDepot -Add (Get-SampleDriverPath) -FilePath $mine -NoSync -WarningAction SilentlyContinue | Out-Null }
        (Get-FileHash $mine).Hash | Should -Be (Get-FileHash $cli).Hash
    }
}
