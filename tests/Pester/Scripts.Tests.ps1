# The real ImageBuilder scripts of the corpus's scripts/ (see its README), run as admins run them: each in a
# fresh pwsh with the module loaded where PowerCLI was (ESXi-Customizer-PS: a copy with its PowerCLI block replaced;
# the others load nothing and run unchanged). The ISOs and bundles they write are read with independent tools
# (7z and tar for the ISO's IMGDB.TGZ, .NET's zip reader for bundles) for the drivers the scripts add.
# One staged folder is shared: the sample base depot, the corpus driver zips, a community bundle and a loose .vib.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:CorpusScripts = Get-CorpusPath 'scripts'
    $script:HaveCorpus = Test-Path (Join-Path $script:CorpusScripts 'README.md')
    $script:Module = Get-TestModulePath
    $script:Stage = Join-Path $TestDrive 'stage'

    # A copy of ESXi-Customizer-PS with the block its README names (it loads and checks PowerCLI) replaced by one
    # Import-Module.
    function Copy-CustomizerScript([string] $Destination) {
        $text = [IO.File]::ReadAllText((Join-Path $script:CorpusScripts 'ESXi-Customizer-PS.ps1'))
        $start = $text.IndexOf('# Check for and load required modules/snapins')
        $end = $text.IndexOf('if ($update) {')
        if ($start -lt 0 -or $end -lt $start) { throw 'the PowerCLI block of ESXi-Customizer-PS.ps1 was not found' }
        [IO.File]::WriteAllText($Destination, $text.Substring(0, $start) + "Import-Module '$($script:Module)'`n" + $text.Substring($end))
        $Destination
    }

    # Runs a script in a fresh pwsh in $WorkDir; returns its output text. The other two scripts load nothing: they
    # run in a session where ImageBuilder is loaded, so -Import runs them unchanged in a session with the module
    # loaded (and $Prelude run first). $InputText answers Read-Host through standard input.
    function Invoke-CorpusScript([string] $Path, [string[]] $Arguments = @(), [string] $WorkDir, [switch] $Import, [string] $Prelude, [string] $InputText) {
        $run = $Path
        if ($Import) {
            $quoted = ($Arguments | ForEach-Object { if ($_ -match '^-[A-Za-z]+$') { $_ } else { "'" + ($_ -replace "'", "''") + "'" } }) -join ' '
            $run = Join-Path $WorkDir 'run-with-module.ps1'
            [IO.File]::WriteAllText($run, "Import-Module '$($script:Module)'`n$Prelude`n& '$Path' $quoted`n")
            $Arguments = @()
        }
        Push-Location $WorkDir
        try {
            if ($InputText) { $output = $InputText | & (Get-PwshPath) -NoProfile -File $run @Arguments 2>&1 }
            else { $output = & (Get-PwshPath) -NoProfile -NonInteractive -File $run @Arguments 2>&1 }
            $output | Out-String
        }
        finally { Pop-Location }
    }

    # The VIB names an ISO's IMGDB.TGZ records, read with 7z and tar (not the engine).
    function Get-IsoVibNames([string] $Iso) {
        $out = Join-Path $TestDrive ('iso-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory $out | Out-Null
        & 7z x -y "-o$out" $Iso IMGDB.TGZ BOOT.CFG | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "7z could not read $Iso" }
        $db = Join-Path $out 'db'
        New-Item -ItemType Directory $db | Out-Null
        & tar -xzf (Join-Path $out 'IMGDB.TGZ') -C $db
        if ($LASTEXITCODE -ne 0) { throw "tar could not read IMGDB.TGZ of $Iso" }
        Get-ChildItem -Recurse -File (Join-Path $db 'var/db/esximg/vibs') | ForEach-Object {
            ([xml][IO.File]::ReadAllText($_.FullName)).vib.name
        }
    }

    # The VIB names an offline bundle holds: its vib20/<name>/ folders, read with .NET's zip reader.
    function Get-BundleVibNames([string] $Zip) {
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $archive = [IO.Compression.ZipFile]::OpenRead($Zip)
        try { $archive.Entries | Where-Object FullName -Match '^vib20/[^/]+/[^/]+\.vib$' | ForEach-Object { $_.FullName.Split('/')[1] } | Sort-Object -Unique }
        finally { $archive.Dispose() }
    }

    if (-not $script:HaveCorpus) { return }
    New-Item -ItemType Directory $script:Stage | Out-Null
    # The community bundle: a second community driver, authored and bundled with the module itself.
    $author = Join-Path $TestDrive 'author'
    New-Item -ItemType Directory (Join-Path $author 'payload/etc/vmware') -Force | Out-Null
    Set-Content (Join-Path $author 'payload/etc/vmware/net-bundled.conf') 'sample'
    & (Get-PwshPath) -NoProfile -NonInteractive -Command "
        `$ErrorActionPreference = 'Stop'
        Import-Module '$($script:Module)'
        New-EsxVib -Path '$author/payload' -FilePath '$author/net-bundled.vib' -Name net-bundled -Version 1.0.0-1community -Vendor Contoso -Depends vmkapi_2_10_0_0 | Out-Null
        New-EsxBundle -Path '$author/net-bundled.vib' -FilePath '$author/net-bundled-bundle.zip' | Out-Null" | Out-Null
    if ($LASTEXITCODE -ne 0) { throw 'could not author the community bundle' }
    $script:PkgDir = Join-Path $script:Stage 'pkgdir'
    New-Item -ItemType Directory $script:PkgDir | Out-Null
    Copy-Item (Join-Path $author 'net-bundled-bundle.zip'), (Get-SampleDriverPath) $script:PkgDir
    Copy-Item (Join-Path $script:CorpusScripts 'itiligent-8-updates/ESXi803-VMKUSB-NIC-FLING-93415869-component.zip') $script:PkgDir
}

Describe 'ESXi-Customizer-PS 2.8.1' {
    BeforeAll {
        if (-not $script:HaveCorpus) { return }
        $script:Ecps = Copy-CustomizerScript (Join-Path $script:Stage 'ESXi-Customizer-PS.ps1')
        $script:Profile = 'ESXi-8.0.0-20513097-sample-standard-customized'
    }

    It '-pkgDir with a community bundle, a loose .vib and a real component writes an ISO holding all three drivers' {
        if (Skip-OrFailWithout $script:HaveCorpus '../shared/corpus/scripts') { return }
        $out = Join-Path $script:Stage 'ecps-iso'
        New-Item -ItemType Directory $out | Out-Null
        $run = Invoke-CorpusScript $script:Ecps @('-izip', (Get-SampleDepotPath), '-pkgDir', $script:PkgDir, '-outDir', $out, '-log', (Join-Path $out 'log.txt')) -WorkDir $script:Stage
        $run | Should -Not -Match 'FAILED|FATAL|unexpected error'
        # The first community package lowers the profile's level through $MyProfile.AcceptanceLevel = ...
        $run | Should -Match '\[New AcceptanceLevel: CommunitySupported\]'
        $run | Should -Match 'net-community 1\.0\.0-1sample\.800 (\[New AcceptanceLevel: CommunitySupported\] )?\[OK, added\]'
        $run | Should -Match 'net-bundled 1\.0\.0-1community (\[New AcceptanceLevel: CommunitySupported\] )?\[OK, added\]'
        $run | Should -Match 'vmkusb-nic-fling 1\.14-7vmw\.803\.0\.95\.93415869 \[OK, added\]'
        # The script writes "<outDir>\<profile>.iso"; on Linux PowerShell reads the backslash as a separator.
        $iso = Join-Path $out "$($script:Profile).iso"
        $iso | Should -Exist
        $names = Get-IsoVibNames $iso
        foreach ($driver in 'net-community', 'net-bundled', 'vmkusb-nic-fling', 'esx-base') { $names | Should -Contain $driver }
    }

    It '-ozip -load -remove -nsc writes a bundle with the loaded driver and without the removed package' {
        if (Skip-OrFailWithout $script:HaveCorpus '../shared/corpus/scripts') { return }
        $out = Join-Path $script:Stage 'ecps-zip'
        New-Item -ItemType Directory $out | Out-Null
        $realtek = Join-Path $script:CorpusScripts 'itiligent-8-updates/VMware-Re-Driver_1.101.01-5vmw.800.1.0.20613240.zip'
        $run = Invoke-CorpusScript $script:Ecps @('-izip', (Get-SampleDepotPath), '-dpt', $realtek, '-load', 'if-re', '-remove', 'tools-light',
                                                  '-ozip', '-nsc', '-outDir', $out, '-log', (Join-Path $out 'log.txt')) -WorkDir $script:Stage
        $run | Should -Not -Match 'FAILED|FATAL|ERROR|unexpected error'
        $run | Should -Match 'Add VIB if-re 1\.101\.01-5vmw\.800\.1\.0\.20613240 \[OK, added\]'
        $run | Should -Match 'Remove VIB tools-light \[OK\]'
        $run | Should -Not -Match 'carries no signature'   # -nsc: -NoSignatureCheck
        $zip = Join-Path $out "$($script:Profile).zip"
        $zip | Should -Exist
        $names = Get-BundleVibNames $zip
        $names | Should -Contain 'if-re'
        $names | Should -Contain 'esx-base'
        $names | Should -Not -Contain 'tools-light'
    }
}

Describe 'itiligent esxi8.ps1' {
    It 'answers its one prompt, re-exports the base profile, and writes an ISO holding the fling and the Realtek driver' {
        if (Skip-OrFailWithout $script:HaveCorpus '../shared/corpus/scripts') { return }
        $work = Join-Path $script:Stage 'itiligent'
        New-Item -ItemType Directory $work | Out-Null
        # Its inputs where Test-Path finds them, so it downloads nothing: the base depot under the name it expects.
        Copy-Item (Get-SampleDepotPath) (Join-Path $work 'VMware-ESXi-8.0U3i-25205845-depot.zip')
        Copy-Item (Join-Path $script:CorpusScripts 'itiligent-8-updates/*.zip') $work
        $run = Invoke-CorpusScript (Join-Path $script:CorpusScripts 'itiligent-esxi8.ps1') -WorkDir $work -Import -InputText '1'
        $run | Should -Match 'Build complete!'
        $run | Should -Not -Match 'Exception|error'
        $iso = Join-Path $work 'ESXi-8.0.0-20513097-sample-usbnic-realteknic.iso'
        $iso | Should -Exist
        $names = Get-IsoVibNames $iso
        foreach ($driver in 'vmkusb-nic-fling', 'if-re', 'esx-base') { $names | Should -Contain $driver }
    }
}

Describe 'PowerCLI-Example-Scripts esxi-image-creator.ps1' {
    It '-WriteISO -WriteZip in a folder of depot zips writes an ISO and a bundle holding every depot''s newest packages but tools-light' {
        if (Skip-OrFailWithout $script:HaveCorpus '../shared/corpus/scripts') { return }
        $work = Join-Path $script:Stage 'image-creator'
        New-Item -ItemType Directory $work | Out-Null
        Copy-Item (Get-SampleDepotPath), (Join-Path $script:CorpusScripts 'itiligent-8-updates/*.zip'), (Join-Path $TestDrive 'author/net-bundled-bundle.zip') $work
        # On Linux `sort` is /usr/bin/sort; the corpus README says to alias it first.
        $run = Invoke-CorpusScript (Join-Path $script:CorpusScripts 'esxi-image-creator.ps1') @('-WriteISO', '-WriteZip', '-Acceptance', 'CommunitySupported', '-NewProfileName', 'Custom Image') `
            -WorkDir $work -Import -Prelude 'Set-Alias sort Sort-Object'
        $run | Should -Match 'Finished creating Custom Image'
        $run | Should -Not -Match 'not created|Exception'
        'Custom Image.iso', 'Custom Image.zip' | ForEach-Object { Join-Path $work $_ | Should -Exist }
        $expected = 'esx-base', 'net-sample', 'nvme-sample', 'vmkusb-nic-fling', 'if-re', 'net-bundled'
        $isoNames = Get-IsoVibNames (Join-Path $work 'Custom Image.iso')
        $zipNames = Get-BundleVibNames (Join-Path $work 'Custom Image.zip')
        foreach ($name in $expected) { $isoNames | Should -Contain $name; $zipNames | Should -Contain $name }
        $isoNames | Should -Not -Contain 'tools-light'
        $zipNames | Should -Not -Contain 'tools-light'
    }
}

# What the scripts above rely on, each checked alone in this session.
Describe 'An admin script in VMware''s software-spec forms (AdminScripts/Build-FromSoftwareSpec.ps1)' {
    It 'runs unchanged and writes an ISO, a live and an installer PXE folder and two bundles that independent tools (isoinfo, 7z) read' {
        $work = Join-Path $TestDrive 'spec-admin'
        New-Item -ItemType Directory $work | Out-Null
        $spec = Join-Path $work 'spec.json'
        Set-Content $spec '{ "base_image": { "version": "8.0.0-1.0.20513097" }, "removed_components": [ "tools-light" ] }'
        New-Item -ItemType Directory (Join-Path $work 'esxi-install-pxe') | Out-Null   # replaced by -Overwrite
        $script = Join-Path $PSScriptRoot 'AdminScripts/Build-FromSoftwareSpec.ps1'
        $out = Invoke-CorpusScript -Path $script -Arguments @('-Depot', (Get-SampleDepotPath), '-Spec', $spec, '-OutDir', $work) -WorkDir $work -Import -Prelude '$WarningPreference = "SilentlyContinue"'
        $out | Should -Match 'done' -Because $out

        $iso = Join-Path $work 'esxi-custom.iso'
        (& isoinfo -d -i $iso | Out-String) | Should -Match 'El Torito'
        & 7z x -y "-o$work/iso" $iso BOOT.CFG | Out-Null
        Get-Content (Join-Path $work 'iso/BOOT.CFG') | Should -Contain 'kernelopt=cdromBoot runweasel'

        $live = Get-Content (Join-Path $work 'esxi-live-pxe/boot.cfg')
        $live | Should -Contain 'kernelopt='
        $live | Should -Contain 'prefix=esxi-live-pxe'
        Get-Content (Join-Path $work 'esxi-install-pxe/boot.cfg') | Should -Contain 'kernelopt=runweasel ks=http://10.0.0.1/ks.cfg'

        foreach ($b in @(@{ Zip = 'esxi-custom-depot.zip'; Name = 'Contoso IT'; Code = 'CIT' }, @{ Zip = 'esxi-hpe-depot.zip'; Name = 'HPE'; Code = 'HEP' })) {
            $zip = Join-Path $work $b.Zip
            $listing = (& 7z l -slt $zip) | Where-Object { $_ -like 'Path = *' } | ForEach-Object { $_.Substring(7) }
            $LASTEXITCODE | Should -Be 0
            $listing | Should -Contain 'metadata.zip'
            $listing | Should -Contain 'vib20/esx-base/VMware_bootbank_esx-base_8.0.0-1.0.20513097.vib'
            $index = [xml]((& 7z e -so $zip index.xml) -join "`n")
            $index.vendorList.vendor.name | Should -Be $b.Name
            $index.vendorList.vendor.code | Should -Be $b.Code
        }
        Get-BundleVibNames (Join-Path $work 'esxi-hpe-depot.zip') | Should -Not -Contain 'tools-light'
    }
}

Describe 'What real scripts rely on' {
    BeforeAll {
        Reset-EsxSession
        $script:Base = Add-EsxDepot (Get-SampleDepotPath)
    }
    AfterAll { Remove-Module ESXiImageTools -ErrorAction SilentlyContinue }

    It 'Add-EsxSoftwarePackage outputs the profile also when the package was already in it' {
        $p = New-EsxImageProfile -CloneProfile '*-standard' -Name again -Vendor Test
        $again = Add-EsxSoftwarePackage -ImageProfile $p -SoftwarePackage net-sample -ErrorVariable err
        $err | Should -BeNullOrEmpty
        $again | Should -Be $p
        # ESXi-Customizer-PS's pattern: $p = Add-...; the next export writes what $p holds.
        $p = Add-EsxSoftwarePackage -ImageProfile $p -SoftwarePackage net-sample
        $iso = Join-Path $TestDrive 'again.iso'
        Export-EsxImageProfile -ImageProfile $p -ExportToIso -FilePath $iso -NoSignatureCheck
        $iso | Should -Exist
        Remove-EsxImageProfile again
    }

    Context 'Export-EsxImageProfile -Force' {
        BeforeAll {
            $script:Bad = New-EsxImageProfile -CloneProfile '*-standard' -Name forced -Vendor Test
            # What ImageBuilder documents for Add-EsxSoftwarePackage -Force: a driver whose dependency nothing provides
            # (and of a lower acceptance level) makes an invalid profile.
            $payload = Join-Path $TestDrive 'unmet/etc'
            New-Item -ItemType Directory $payload -Force | Out-Null
            Set-Content (Join-Path $payload 'unmet.conf') 'x'
            $vib = Join-Path $TestDrive 'net-unmet.vib'
            New-EsxVib -Path (Split-Path $payload) -FilePath $vib -Name net-unmet -Version 1.0-1 -Vendor Test -Depends vmkapi_9_0_0_0 | Out-Null
            Add-EsxSoftwarePackage -ImageProfile $script:Bad -SoftwarePackage (Get-EsxSoftwarePackage -PackageUrl $vib) -Force -WarningAction SilentlyContinue | Out-Null
        }
        AfterAll { Remove-EsxImageProfile forced -ErrorAction SilentlyContinue }

        It 'exports a profile that fails validation, one warning per problem naming -Force, and replaces the file' {
            $problems = @(Test-EsxProfile $script:Bad | Where-Object Severity -eq 'Error')
            $problems.Count | Should -BeGreaterThan 0
            $iso = Join-Path $TestDrive 'forced.iso'
            Set-Content $iso 'an older file'
            Export-EsxImageProfile -ImageProfile $script:Bad -ExportToIso -FilePath $iso -NoSignatureCheck -Force -WarningVariable w -WarningAction SilentlyContinue
            (Get-Item $iso).Length | Should -BeGreaterThan 32768
            foreach ($problem in $problems) {
                $text = $problem.Message
                ($w | Where-Object { "$_".Contains($text) }) | Should -Not -BeNullOrEmpty -Because $text
            }
            ($w | Where-Object { "$_" -match '^exported despite \(-Force\)' }).Count | Should -Be $problems.Count
        }

        It 'without -Force refuses with ProfileInvalid and writes nothing; -AllowInvalidProfile''s warnings name -AllowInvalidProfile' {
            $bundle = Join-Path $TestDrive 'forced.zip'
            { Export-EsxImageProfile -ImageProfile $script:Bad -ExportToBundle -FilePath $bundle -ErrorAction Stop } | Should -Throw -ErrorId 'ProfileInvalid*'
            $bundle | Should -Not -Exist
            Export-EsxImageProfile -ImageProfile $script:Bad -ExportToBundle -FilePath $bundle -AllowInvalidProfile -WarningVariable w -WarningAction SilentlyContinue
            $bundle | Should -Exist
            "$w" | Should -Match '\(-AllowInvalidProfile\)'
            "$w" | Should -Not -Match '-Force'
        }

        It 'Export-EsxProfileToIso keeps -Force = overwrite only' {
            { Export-EsxProfileToIso $script:Bad (Join-Path $TestDrive 'own.iso') -Force -ErrorAction Stop } | Should -Throw -ErrorId 'ProfileInvalid*'
        }
    }

    It 'Export-EsxImageProfile without -ExportToIso or -ExportToBundle is a clear error, never a prompt' {
        $file = Join-Path $TestDrive 'which.iso'
        { Export-EsxImageProfile -ImageProfile '*-standard' -FilePath $file -ErrorAction Stop } | Should -Throw -ErrorId 'ExportKindMissing*'
        $file | Should -Not -Exist
        $err = $null
        try { Export-EsxImageProfile -ImageProfile '*-standard' -FilePath $file } catch { $err = $_ }
        "$err" | Should -Match '-ExportToIso or -ExportToBundle'
    }

    Context 'Remove-EsxSoftwareDepot takes back what Add-EsxSoftwareDepot took' {
        BeforeAll {
            $script:Folder = Join-Path $TestDrive 'depots'
            New-Item -ItemType Directory $script:Folder | Out-Null
            foreach ($n in 's1', 's2') { Copy-Item (Get-SampleDepotPath) (Join-Path $script:Folder "$n.zip") }
        }
        BeforeEach {
            Push-Location $script:Folder
            $script:S1 = Add-EsxSoftwareDepot s1.zip
            $script:S2 = Add-EsxSoftwareDepot s2.zip
        }
        AfterEach {
            # Back first: a failing clean-up must not leave the next test file in this soon-deleted folder.
            Pop-Location
            Get-EsxSoftwareDepot | Where-Object Source -Like "$($script:Folder)*" | Remove-EsxSoftwareDepot
        }

        It 'removes by <_>, and only that depot' -ForEach @('relative path', 'dot path', 'bare file name', 'full path', 'DepotUrl', 'object') {
            $case = $_   # $_ is not the case any more inside try/finally
            $arg = switch ($case) {
                'relative path' { 's1.zip' }
                'dot path' { if ($IsWindows) { '.\s1.zip' } else { './s1.zip' } }
                'bare file name' { Push-Location $TestDrive; 's1.zip' }
                'full path' { $script:S1.Source }
                'DepotUrl' { $script:S1.DepotUrl }
                'object' { $script:S1 }
            }
            try { Remove-EsxSoftwareDepot $arg -ErrorVariable err }
            finally { if ($case -eq 'bare file name') { Pop-Location } }
            $err | Should -BeNullOrEmpty
            $left = Get-EsxSoftwareDepot | ForEach-Object Source
            $left | Should -Not -Contain $script:S1.Source
            $left | Should -Contain $script:S2.Source
        }

        It 'reads a DepotUrl''s ? literally: a DepotUrl of no added depot is DepotNotFound' {
            { Remove-EsxSoftwareDepot ('zip:' + (Join-Path $script:Folder 's3.zip') + '?index.xml') -ErrorAction Stop } | Should -Throw -ErrorId 'DepotNotFound*'
            @(Get-EsxSoftwareDepot | Where-Object Source -Like "$($script:Folder)*").Count | Should -Be 2
        }

        It 'keeps ImageBuilder''s $DefaultSoftwareDepots, so Remove-EsxSoftwareDepot $DefaultSoftwareDepots cleans up' {
            $global:DefaultSoftwareDepots.Source | Should -Contain $script:S1.Source
            $global:DefaultSoftwareDepots.Source | Should -Contain $script:S2.Source
            Remove-EsxSoftwareDepot $global:DefaultSoftwareDepots
            Get-EsxSoftwareDepot | Should -BeNullOrEmpty
            @($global:DefaultSoftwareDepots).Count | Should -Be 0
            $script:Base = Add-EsxSoftwareDepot (Get-SampleDepotPath)
        }

        It '-SoftwareDepot parameters and Add-EsxSoftwareDepot take the DepotUrl and the file name too' {
            @(Get-EsxImageProfile -SoftwareDepot $script:S1.DepotUrl).Count | Should -Be 2
            @(Get-EsxSoftwarePackage -SoftwareDepot s2.zip).Count | Should -Be 4
            { Get-EsxImageProfile -SoftwareDepot nothing.zip -ErrorAction Stop } | Should -Throw -ExpectedMessage "*no depot 'nothing.zip'*"
            Remove-EsxSoftwareDepot s1.zip
            Add-EsxSoftwareDepot 'zip:s1.zip?index.xml' | ForEach-Object Source | Should -Be $script:S1.Source
        }
    }
}

Describe 'Default views with the names the scripts make' {
    BeforeAll {
        Reset-EsxSession
        Add-EsxDepot (Get-SampleDepotPath), (Get-SampleDriverPath) | Out-Null
        if ($script:HaveCorpus) { Add-EsxDepot (Join-Path $script:CorpusScripts 'itiligent-8-updates/*.zip') | Out-Null }
        # The profile names ESXi-Customizer-PS and itiligent's script make, and a vendor with spaces.
        New-EsxImageProfile -CloneProfile '*-standard' -Name 'ESXi-8.0.0-20513097-sample-standard-customized' -Vendor 'VMware, Inc.' | Out-Null
        New-EsxImageProfile -CloneProfile '*-standard' -Name 'ESXi-8.0.0-20513097-sample-usbnic-realteknic' -Vendor 'Itiligent Pty Ltd' | Out-Null
        # Every token (between - . _ / , and spaces) of what the tables show; a cut one is missing from the output.
        function Get-Tokens([string[]] $Text) { $Text | ForEach-Object { $_ -split '[-._/\\, ]' } | Where-Object { $_.Length -gt 1 } | Sort-Object -Unique }
    }
    AfterAll { Remove-Module ESXiImageTools -ErrorAction SilentlyContinue }

    It 'never cut a name, version, vendor or path mid-token at <_> columns' -ForEach 80, 120 {
        $width = $_
        $tables = [ordered]@{
            Depots     = @{ Text = Get-EsxDepot | Out-String -Width $width; Values = (Get-EsxDepot).Source }
            Packages   = @{ Text = Get-EsxPackage | Out-String -Width $width; Values = (Get-EsxPackage | ForEach-Object { $_.Name; $_.Version; $_.Vendor }) }
            Profiles   = @{ Text = Get-EsxProfile | Out-String -Width $width; Values = (Get-EsxProfile | ForEach-Object { $_.Name; $_.Vendor }) }
            Components = @{ Text = Get-EsxComponent | Out-String -Width $width; Values = (Get-EsxComponent | ForEach-Object { $_.Name; $_.Version; $_.Vendor }) }
        }
        foreach ($table in $tables.GetEnumerator()) {
            $text = $table.Value.Text
            foreach ($line in $text -split "`n") { $line.TrimEnd().Length | Should -BeLessOrEqual $width -Because "$($table.Key): $line" }
            $text | Should -Not -Match '…'
            $words = $text -split '[-._/\\,\s]+'
            foreach ($token in Get-Tokens $table.Value.Values) { $words | Should -Contain $token -Because "$($table.Key) at $width columns" }
        }
        $tables.Profiles.Text | Should -Match 'Name\s+Vendor\s+Last Modified\s+Acceptance Level'
        $tables.Packages.Text | Should -Match 'Name\s+Version\s+Vendor\s+Creation Date'
    }

    It 'list a profile with the documented members only, also after another type''s table' {
        $text = & { Get-EsxDepot; Get-EsxProfile '*-usbnic-realteknic' } | Out-String -Width 120
        $text | Should -Match 'AcceptanceLevel\s+:'
        $text | Should -Match 'VibList\s+:'
        $text | Should -Not -Match '(?m)^(Snapshot|Packages|Creator)\s+:'
        $list = Get-EsxProfile '*-usbnic-realteknic' | Format-List | Out-String -Width 120
        $list | Should -Match 'Author\s+:'
        $list | Should -Not -Match '(?m)^(Snapshot|Packages|Creator)\s+:'
    }
}
