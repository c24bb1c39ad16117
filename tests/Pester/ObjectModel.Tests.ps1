# ImageBuilder's object model as VMware documents it (vSphere Installation and Setup, "Structure of
# ImageProfile, SoftwarePackage, and ImageProfileDiff Objects"): each documented property has the
# documented name and type, and can be set where ImageBuilder's can (and nowhere else).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Reset-EsxSession
    $script:Depot = Add-EsxDepot (Get-SampleDepotPath)
    $script:Driver = Get-EsxPackage -Path (Get-SampleDriverPath)

    # Type of a property's value, without the pipeline unrolling arrays.
    function Get-ValueTypeName($object, [string] $name) {
        $property = $object.PSObject.Properties[$name]
        if ($null -eq $property) { return '<missing>' }
        if ($null -eq $property.Value) { return '<null>' }
        $property.Value.GetType().Name
    }

    # A folder tree for New-EsxVib: one file under etc/.
    function New-TestTree([string] $name) {
        $root = Join-Path $TestDrive $name
        New-Item -ItemType Directory (Join-Path $root 'etc') -Force | Out-Null
        Set-Content -LiteralPath (Join-Path $root "etc/$name.conf") -Value $name
        $root
    }

    # An assignment to a property ImageBuilder does not let scripts set fails and changes nothing.
    function Assert-NotSettable($object, [string] $name) {
        $before = $object.PSObject.Properties[$name].Value
        { $object.$name = $before } | Should -Throw "*'$name' is a ReadOnly property*" -Because "$name is not settable"
    }
}

AfterAll {
    Remove-Module ESXiImageTools -ErrorAction SilentlyContinue
}

Describe 'Settable ImageProfile properties' {
    BeforeEach {
        $script:base = Get-EsxImageProfile '*-standard'
        $script:p = New-EsxImageProfile -CloneProfile $script:base -Name settable -Vendor Test
    }
    AfterEach { Remove-EsxImageProfile settable, renamed -ErrorAction SilentlyContinue }

    It 'takes a package''s AcceptanceLevel, as ESXi-Customizer-PS sets it' {
        $script:Driver.AcceptanceLevel | Should -Be 'CommunitySupported'
        $script:p.AcceptanceLevel = $script:Driver.AcceptanceLevel
        $script:p.AcceptanceLevel | Should -Be 'CommunitySupported'
        # Now the community package goes in without a warning.
        Add-EsxSoftwarePackage -ImageProfile $script:p -SoftwarePackage $script:Driver -WarningVariable w | Out-Null
        $w | Should -BeNullOrEmpty
        $script:p.VibList.Name | Should -Contain 'net-community'
    }

    It 'takes a level as text' {
        $script:p.AcceptanceLevel = 'CommunitySupported'
        $script:p.AcceptanceLevel | Should -Be 'CommunitySupported'
        $script:p.AcceptanceLevel.GetType().Name | Should -Be 'AcceptanceLevel'
    }

    It 'refuses a level above a package''s, as Set-EsxImageProfile does, and keeps the old one' {
        { $script:p.AcceptanceLevel = 'VMwareCertified' } | Should -Throw '*would make profile*invalid*'
        { Set-EsxImageProfile -ImageProfile $script:p -AcceptanceLevel VMwareCertified -ErrorAction Stop } | Should -Throw '*would make profile*invalid*'
        $script:p.AcceptanceLevel | Should -Be $script:base.AcceptanceLevel
    }

    It 'sets Name, Vendor and Description, and moves ModifiedTime' {
        $before = $script:p.ModifiedTime
        Start-Sleep -Milliseconds 20
        $script:p.Name = 'renamed'
        $script:p.Vendor = 'Other'
        $script:p.Description = 'set directly'
        $script:p.Name | Should -Be 'renamed'
        $script:p.Vendor | Should -Be 'Other'
        $script:p.Description | Should -Be 'set directly'
        $script:p.ModifiedTime | Should -BeGreaterThan $before
        # The session sees the same object under its new name.
        [object]::ReferenceEquals((Get-EsxImageProfile renamed), $script:p) | Should -BeTrue
    }

    It 'refuses an empty name or vendor as Set-EsxImageProfile does' {
        { $script:p.Name = ' ' } | Should -Throw '*name is required*'
        { $script:p.Vendor = '' } | Should -Throw '*vendor cannot be empty*'
        $script:p.Name | Should -Be 'settable'
        $script:p.Vendor | Should -Be 'Test'
    }

    It 'sets ReadOnly; a read-only profile refuses edits until unlocked' {
        $script:p.ReadOnly = $true
        $script:p.ReadOnly | Should -BeTrue
        { $script:p.Description = 'x' } | Should -Throw '*read-only*'
        { $script:p.AcceptanceLevel = 'CommunitySupported' } | Should -Throw '*read-only*'
        $script:p.ReadOnly = $false
        $script:p.Description = 'x'
        $script:p.Description | Should -Be 'x'
    }

    It 'a depot profile refuses every assignment with a clear error' {
        foreach ($set in { $script:base.AcceptanceLevel = 'CommunitySupported' }, { $script:base.Name = 'n' },
                         { $script:base.Vendor = 'v' }, { $script:base.Description = 'd' }, { $script:base.ReadOnly = $false }) {
            { & $set } | Should -Throw "*profile '$($script:base.Name)' is read-only*clone it*"
        }
        $script:base.ReadOnly | Should -BeTrue
        $script:base.AcceptanceLevel | Should -Be 'PartnerSupported'
    }

    It 'an export writes what the object holds' {
        $script:p.AcceptanceLevel = 'CommunitySupported'
        $script:p.Name = 'renamed'
        $script:p.Vendor = 'Assigned'
        $script:p.Description = 'from assignments'
        Add-EsxSoftwarePackage -ImageProfile $script:p -SoftwarePackage $script:Driver | Out-Null
        $zip = Join-Path $TestDrive 'assigned.zip'
        Export-EsxImageProfile -ImageProfile $script:p -ExportToBundle -FilePath $zip -NoSignatureCheck
        $read = Get-EsxImageProfile -SoftwareDepot (Add-EsxSoftwareDepot $zip) -Name renamed
        $read.AcceptanceLevel | Should -Be 'CommunitySupported'
        $read.Vendor | Should -Be 'Assigned'
        $read.Description | Should -Be 'from assignments'
        $read.VibList.Name | Should -Contain 'net-community'
        Remove-EsxSoftwareDepot $zip
    }
}

Describe 'ImageProfile: each documented property, its type and whether it can be set' {
    BeforeAll {
        $script:p = New-EsxImageProfile -CloneProfile '*-standard' -Name documented -Vendor Test
    }
    AfterAll { Remove-EsxImageProfile documented -ErrorAction SilentlyContinue }

    It '<Name> is <Type> and settable: <Settable>' -ForEach @(
        @{ Name = 'AcceptanceLevel'; Type = 'AcceptanceLevel'; Settable = $true }
        @{ Name = 'Author'; Type = 'String'; Settable = $false }
        @{ Name = 'Description'; Type = 'String'; Settable = $true }
        @{ Name = 'GUID'; Type = 'String'; Settable = $false }
        @{ Name = 'Name'; Type = 'String'; Settable = $true }
        @{ Name = 'Vendor'; Type = 'String'; Settable = $true }
        @{ Name = 'CreationTime'; Type = 'DateTime'; Settable = $false }
        @{ Name = 'ModifiedTime'; Type = 'DateTime'; Settable = $false }
        @{ Name = 'ReadOnly'; Type = 'Boolean'; Settable = $true }
        @{ Name = 'Rules'; Type = 'ImageProfileRule[]'; Settable = $false }
        @{ Name = 'VibList'; Type = 'SoftwarePackage[]'; Settable = $false }
    ) {
        Get-ValueTypeName $script:p $Name | Should -Be $Type
        $script:p.PSObject.Properties[$Name].IsSettable | Should -Be $Settable
        if (-not $Settable) { Assert-NotSettable $script:p $Name }
    }

    It 'settable ones take a new value (the settable tests above cover refusals and export)' {
        $script:p.Description = 'd2'; $script:p.Description | Should -Be 'd2'
        $script:p.Vendor = 'V2'; $script:p.Vendor | Should -Be 'V2'
        $script:p.AcceptanceLevel = 'CommunitySupported'; $script:p.AcceptanceLevel | Should -Be 'CommunitySupported'
        $script:p.ReadOnly = $true; $script:p.ReadOnly | Should -BeTrue
        $script:p.ReadOnly = $false
        $script:p.Name = 'documented2'; $script:p.Name | Should -Be 'documented2'
        $script:p.Name = 'documented'
    }

    It 'dates work as DateTime: casts, ToShortDateString, .Date, comparisons' {
        [datetime]$script:p.CreationTime | Should -BeOfType [datetime]
        $script:p.ModifiedTime.ToShortDateString() | Should -Be $script:p.ModifiedTime.Date.ToShortDateString()
        $script:p.CreationTime.Kind | Should -Be 'Utc'
        $script:p.CreationTime | Should -BeGreaterThan (Get-EsxImageProfile '*-standard').CreationTime
        ('Dated ' + $script:p.CreationTime) | Should -Match '^Dated \d'
    }

    It 'Rules is empty for the sample''s profiles, which declare none' {
        @($script:p.Rules).Count | Should -Be 0
        @((Get-EsxImageProfile '*-standard').Rules).Count | Should -Be 0
    }

    It 'VibList holds the packages Get-EsxSoftwarePackage returns (the same objects)' {
        $esxBase = $script:p.VibList | Where-Object Name -eq 'esx-base'
        [object]::ReferenceEquals($esxBase, (Get-EsxSoftwarePackage esx-base)) | Should -BeTrue
        $script:p.VibList -contains (Get-EsxSoftwarePackage esx-base) | Should -BeTrue
    }
}

Describe 'SoftwarePackage: each documented property, its type, none settable' {
    BeforeAll {
        $script:base = Get-EsxSoftwarePackage esx-base
        # A real community VIB (ghettoVCB 2015): values checked against its descriptor.xml (ar p ... descriptor.xml).
        $ghettoPath = Get-CorpusPath 'ghettovcb-2015/vghetto-ghettoVCB.vib'
        $script:HasGhetto = Test-Path $ghettoPath
        if ($script:HasGhetto) { $script:ghetto = Get-EsxPackage -Path $ghettoPath }
        $script:authored = New-EsxVib -Path (New-TestTree tree) `
            -FilePath (Join-Path $TestDrive 'relations.vib') -Name net-relations -Version 2.0.0-1 -Vendor Contoso `
            -Depends 'esx-version >= 8.0.0' -Conflicts 'net-old' -Replaces 'net-legacy << 2.0' -Provides 'net-api = 1.1' -Tag driver, network
    }

    It '<Name> is <Type>' -ForEach @(
        @{ Name = 'AcceptanceLevel'; Type = 'AcceptanceLevel' }
        @{ Name = 'Conflicts'; Type = 'SoftwareConstraint[]' }
        @{ Name = 'Depends'; Type = 'SoftwareConstraint[]' }
        @{ Name = 'Replaces'; Type = 'SoftwareConstraint[]' }
        @{ Name = 'Provides'; Type = 'SoftwareProvide[]' }
        @{ Name = 'Description'; Type = 'String' }
        @{ Name = 'Guid'; Type = 'String' }
        @{ Name = 'Name'; Type = 'String' }
        @{ Name = 'Summary'; Type = 'String' }
        @{ Name = 'Vendor'; Type = 'String' }
        @{ Name = 'Version'; Type = 'String' }
        @{ Name = 'VersionObject'; Type = 'VibVersion' }
        @{ Name = 'LiveInstallOk'; Type = 'Boolean' }
        @{ Name = 'LiveRemoveOk'; Type = 'Boolean' }
        @{ Name = 'MaintenanceMode'; Type = 'Boolean' }
        @{ Name = 'StatelessReady'; Type = 'Boolean' }
        @{ Name = 'ReleaseDate'; Type = 'DateTime' }
        @{ Name = 'CreationDate'; Type = 'DateTime' }
        @{ Name = 'ReferenceURLs'; Type = 'SupportReference[]' }
        @{ Name = 'SourceUrls'; Type = 'String[]' }
        @{ Name = 'Tags'; Type = 'String[]' }
    ) {
        if (Skip-OrFailWithout $script:HasGhetto 'the corpus (../shared/corpus)') { return }
        foreach ($package in $script:base, $script:ghetto, $script:authored) {
            Get-ValueTypeName $package $Name | Should -Be $Type -Because "$($package.Name).$Name"
        }
        Assert-NotSettable $script:ghetto $Name
    }

    It 'carries the real descriptor''s values' {
        if (Skip-OrFailWithout $script:HasGhetto 'the corpus (../shared/corpus)') { return }
        $g = $script:ghetto
        $g.Name | Should -Be 'ghettoVCB'
        $g.Vendor | Should -Be 'virtuallyGhetto'
        $g.Version | Should -Be '1.0.0-0.0.0'
        $g.Guid | Should -Be 'virtuallyGhetto_bootbank_ghettoVCB_1.0.0-0.0.0'
        $g.Summary | Should -Be '[Fling] ghettoVCB VM backup and restore script'
        $g.AcceptanceLevel | Should -Be 'CommunitySupported'
        $g.MaintenanceMode | Should -BeFalse
        $g.LiveInstallOk | Should -BeTrue
        $g.LiveRemoveOk | Should -BeTrue
        $g.StatelessReady | Should -BeTrue
        $g.ReleaseDate | Should -Be ([datetime]::new(2015, 5, 6, 12, 12, 25, [DateTimeKind]::Utc))
        $g.ReleaseDate.Kind | Should -Be 'Utc'
        $g.ReferenceURLs[0].Title | Should -Be 'ghettoVCB'
        $g.ReferenceURLs[0].URL | Should -Be 'https://github.com/lamw/ghettoVCB'
        $g.SourceUrls | Should -Be (Get-CorpusPath 'ghettovcb-2015/vghetto-ghettoVCB.vib')
        @($g.Tags).Count | Should -Be 0
    }

    It 'Version is a string scripts compare, filter, slice and concatenate' {
        @(Get-EsxSoftwarePackage | Where-Object Version -eq '8.0.0-1.0.20513097').Name | Should -Be 'esx-base'
        $script:base.Version.StartsWith('8.') | Should -BeTrue
        $script:base.Version + 'x' | Should -Be '8.0.0-1.0.20513097x'
        $script:base.Version -like '8.0.0-*' | Should -BeTrue
    }

    It 'VersionObject has Version and Release parts and a static Compare' {
        if (Skip-OrFailWithout $script:HasGhetto 'the corpus (../shared/corpus)') { return }
        $vo = $script:base.VersionObject
        $vo.Version | Should -Be '8.0.0'
        $vo.Release | Should -Be '1.0.20513097'
        $type = $vo.GetType()
        $type::Compare($vo, $script:ghetto.VersionObject) | Should -Be 1
        $type::Compare($script:ghetto.VersionObject, $vo) | Should -Be -1
        $type::Compare($vo, $vo) | Should -Be 0
        # Sort-Object orders by version, not as text (12.1.0 after 8.0.0).
        (Get-EsxSoftwarePackage | Sort-Object VersionObject).Name | Should -Be @('net-sample', 'nvme-sample', 'esx-base', 'tools-light')
    }

    It 'dates work as DateTime: casts, ToShortDateString, sorting on CreationDate' {
        if (Skip-OrFailWithout $script:HasGhetto 'the corpus (../shared/corpus)') { return }
        [datetime]$script:ghetto.ReleaseDate | Should -BeOfType [datetime]
        $script:ghetto.ReleaseDate.ToShortDateString() | Should -Be ([datetime]'2015-05-06').ToShortDateString()
        $sorted = @($script:ghetto, $script:base) | Sort-Object -Property CreationDate -Descending
        $sorted[0].Name | Should -Be 'esx-base'
    }

    It 'Depends, Conflicts, Replaces and Provides hold what the descriptor declares' {
        $a = $script:authored
        $a.Depends.Name | Should -Be 'esx-version'
        $a.Depends.Relation | Should -Be '>='
        $a.Depends.Version | Should -Be '8.0.0'
        $a.Conflicts.Name | Should -Be 'net-old'
        $a.Replaces.Relation | Should -Be '<<'
        $a.Provides.Name | Should -Be 'net-api'
        $a.Provides.Version | Should -Be '1.1'
        $a.Tags | Should -Be @('driver', 'network')
    }

    It 'takes its objects back on every cmdlet that takes packages' {
        $p = New-EsxImageProfile -NewProfile -Name from-objects -Vendor Test -SoftwarePackage (Get-EsxImageProfile '*-no-tools').VibList
        try {
            @($p.VibList).Count | Should -Be @((Get-EsxImageProfile '*-no-tools').VibList).Count
            Get-EsxSoftwarePackage tools-light | Add-EsxSoftwarePackage -ImageProfile $p | Out-Null
            $p.VibList.Name | Should -Contain 'tools-light'
            Remove-EsxSoftwarePackage -ImageProfile $p -SoftwarePackage (Get-EsxSoftwarePackage tools-light) | Out-Null
            $p.VibList.Name | Should -Not -Contain 'tools-light'
            @($p.VibList | Get-EsxSoftwarePackage).Count | Should -Be @($p.VibList).Count
            $p.VibList | Where-Object Name -eq 'esx-base' | New-EsxBundle -FilePath (Join-Path $TestDrive 'one.zip') | Should -Not -BeNullOrEmpty
        }
        finally { Remove-EsxImageProfile from-objects -ErrorAction SilentlyContinue }
    }

    It 'keeps the engine''s package reachable as .Vib' {
        $script:base.Vib.GetType().FullName | Should -Be 'ESXiImageTools.Core.Packages.Vib'
        $script:base.Vib.Id | Should -Be $script:base.Guid
        # An engine package (a depot's, a validation problem's) binds where packages are taken.
        [object]::ReferenceEquals((Get-EsxSoftwarePackage -SoftwarePackage $script:base.Vib -Newest), $script:base) | Should -BeTrue
    }
}

Describe 'SoftwareConstraint and SoftwareProvide' {
    BeforeAll {
        $script:driver = Get-EsxPackage -Path (Get-SampleDriverPath)
        # The real ESXi 8.0 USB NIC fling: depends on vmkapi interfaces without a version.
        $flingPath = Get-CorpusPath 'scripts/itiligent-8-updates/ESXi803-VMKUSB-NIC-FLING-93415869-component.zip'
        $script:HasFling = Test-Path $flingPath
        if ($script:HasFling) { $script:fling = Get-EsxPackage -Path $flingPath }
    }

    It 'SoftwareConstraint <Name> is <Type>' -ForEach @(
        @{ Name = 'Name'; Type = 'String' }
        @{ Name = 'Relation'; Type = 'String' }
        @{ Name = 'Version'; Type = 'String' }
        @{ Name = 'VersionObject'; Type = 'VibVersion' }
    ) {
        $constraint = $script:driver.Depends | Where-Object Relation -eq '>='
        Get-ValueTypeName $constraint $Name | Should -Be $Type
        Assert-NotSettable $constraint $Name
    }

    It 'a constraint without a version has Relation, Version and VersionObject $null' {
        if (Skip-OrFailWithout $script:HasFling 'the corpus (../shared/corpus)') { return }
        $vmkapi = $script:fling.Depends | Where-Object Name -eq 'vmkapi_2_13_0_0'
        $vmkapi | Should -Not -BeNullOrEmpty
        $vmkapi.Relation | Should -BeNullOrEmpty
        $null -eq $vmkapi.Version | Should -BeTrue
        $null -eq $vmkapi.VersionObject | Should -BeTrue
    }

    It 'a versioned constraint reads as the descriptor writes it' {
        $ge = $script:driver.Depends | Where-Object Relation -eq '>='
        $ge.Name | Should -Be 'esx-version'
        $ge.Version | Should -Be '8.0.0'
        $ge.VersionObject.Version | Should -Be '8.0.0'
        $ge.PackageName | Should -Be 'esx-version'
        $ge.MatchesProvide((Get-EsxSoftwarePackage esx-base)) | Should -BeTrue
    }

    It 'SoftwareProvide <Name> is <Type>' -ForEach @(
        @{ Name = 'Name'; Type = 'String' }
        @{ Name = 'Version'; Type = 'String' }
    ) {
        $provide = (Get-EsxSoftwarePackage esx-base).Provides | Where-Object Name -eq 'esx-version'
        Get-ValueTypeName $provide $Name | Should -Be $Type
        Assert-NotSettable $provide $Name
        $provide.Version | Should -Be '8.0.0-1.0.20513097'
    }
}

Describe 'ImageProfileDiff: each documented property, its type, none settable' {
    BeforeAll {
        $script:ref = Get-EsxImageProfile '*-standard'
        $script:comp = New-EsxImageProfile -CloneProfile $script:ref -Name diffed -Vendor Test
        Remove-EsxSoftwarePackage -ImageProfile $script:comp -SoftwarePackage tools-light | Out-Null
        $newer = New-EsxVib -Path (New-TestTree newer) -FilePath (Join-Path $TestDrive 'net-sample.vib') `
            -Name net-sample -Version 1.0.0-2vmw.800.1.0.20513097 -Vendor VMware
        $older = New-EsxVib -Path (New-TestTree older) -FilePath (Join-Path $TestDrive 'nvme-sample.vib') `
            -Name nvme-sample -Version 1.1.0-1vmw.800.1.0.20513097 -Vendor VMware
        $script:comp.AcceptanceLevel = 'CommunitySupported'
        Add-EsxSoftwarePackage -ImageProfile $script:comp -SoftwarePackage $newer, $older | Out-Null
        $script:diff = Compare-EsxImageProfile -ReferenceProfile $script:ref -ComparisonProfile $script:comp
        $script:newerId = $newer.Guid
        $script:olderId = $older.Guid
    }
    AfterAll { Remove-EsxImageProfile diffed -ErrorAction SilentlyContinue }

    It '<Name> is <Type>' -ForEach @(
        @{ Name = 'Equal'; Type = 'Boolean' }
        @{ Name = 'PackagesEqual'; Type = 'Boolean' }
        @{ Name = 'OnlyInRef'; Type = 'String[]' }
        @{ Name = 'OnlyInComp'; Type = 'String[]' }
        @{ Name = 'UpgradeFromRef'; Type = 'String[]' }
        @{ Name = 'DowngradeFromRef'; Type = 'String[]' }
        @{ Name = 'RefAcceptanceLevel'; Type = 'AcceptanceLevel' }
        @{ Name = 'CompAcceptanceLevel'; Type = 'AcceptanceLevel' }
    ) {
        Get-ValueTypeName $script:diff $Name | Should -Be $Type
        Assert-NotSettable $script:diff $Name
    }

    It 'holds VIB ids and both levels' {
        $script:diff.Equal | Should -BeFalse
        $script:diff.PackagesEqual | Should -BeFalse
        $script:diff.OnlyInRef | Should -Be @((Get-EsxSoftwarePackage tools-light).Guid)
        @($script:diff.OnlyInComp).Count | Should -Be 0
        $script:diff.UpgradeFromRef | Should -Be @($script:newerId)
        $script:diff.DowngradeFromRef | Should -Be @($script:olderId)
        $script:diff.RefAcceptanceLevel | Should -Be 'PartnerSupported'
        $script:diff.CompAcceptanceLevel | Should -Be 'CommunitySupported'
    }

    It 'a profile compared with its unchanged clone is PackagesEqual' {
        $same = New-EsxImageProfile -CloneProfile $script:ref -Name same -Vendor Test
        try {
            $d = Compare-EsxImageProfile $script:ref $same
            $d.PackagesEqual | Should -BeTrue
            @($d.OnlyInRef).Count + @($d.OnlyInComp).Count + @($d.UpgradeFromRef).Count + @($d.DowngradeFromRef).Count | Should -Be 0
        }
        finally { Remove-EsxImageProfile same }
    }
}

Describe 'ImageBuilder''s type names' {
    It '[VMware.ImageBuilder.Types.<Name>] names <Type>' -ForEach @(
        @{ Name = 'ImageProfile'; Type = 'LiveImageProfile' }
        @{ Name = 'SoftwarePackage'; Type = 'SoftwarePackage' }
        @{ Name = 'SoftwareConstraint'; Type = 'SoftwareConstraint' }
        @{ Name = 'SoftwareProvide'; Type = 'SoftwareProvide' }
        @{ Name = 'SoftwareVersion'; Type = 'VibVersion' }
        @{ Name = 'ImageProfileDiff'; Type = 'ImageProfileDiff' }
        @{ Name = 'ImageProfileRule'; Type = 'ImageProfileRule' }
        @{ Name = 'SupportReference'; Type = 'SupportReference' }
        @{ Name = 'SoftwareDepot'; Type = 'Depot' }
        @{ Name = 'AcceptanceLevels'; Type = 'AcceptanceLevel' }
    ) {
        ("VMware.ImageBuilder.Types.$Name" -as [type]).Name | Should -Be $Type
    }

    It 'a function typed as ImageBuilder''s takes our objects; SoftwareVersion::Compare works' {
        # As in public scripts (Compare-EsxImageProfilePlus): typed parameters, the static Compare.
        function Get-RefName([VMware.ImageBuilder.Types.ImageProfile] $ReferenceProfile, [VMware.ImageBuilder.Types.SoftwarePackage[]] $Packages) {
            '{0}:{1}' -f $ReferenceProfile.Name, @($Packages).Count
        }
        $p = Get-EsxImageProfile '*-standard'
        Get-RefName $p $p.VibList | Should -Be "$($p.Name):$(@($p.VibList).Count)"
        $a = (Get-EsxSoftwarePackage esx-base).VersionObject
        $b = (Get-EsxSoftwarePackage net-sample).VersionObject
        [VMware.ImageBuilder.Types.SoftwareVersion]::Compare($a, $b) | Should -Be 1
    }

    It 'Remove-Module takes the names back (a fresh process: PowerShell caches names it resolved)' {
        $script = "Import-Module '$(Get-TestModulePath)'; " +
                  "`$before = [bool]('VMware.ImageBuilder.Types.SoftwareVersion' -as [type]); Remove-Module ESXiImageTools; " +
                  "'{0} {1}' -f `$before, [bool]('VMware.ImageBuilder.Types.ImageProfile' -as [type])"
        $result = & (Get-PwshPath) -NoProfile -NonInteractive -Command $script
        $LASTEXITCODE | Should -Be 0
        $result | Should -Be 'True False'
    }

    It 'leaves a name alone that a loaded assembly (VMware''s ImageBuilder) already defines' {
        $script = "Add-Type -TypeDefinition 'namespace VMware.ImageBuilder.Types { public class ImageProfile { } }'; " +
                  "Import-Module '$(Get-TestModulePath)'; " +
                  "'{0} {1}' -f ('VMware.ImageBuilder.Types.ImageProfile' -as [type]).FullName, ('VMware.ImageBuilder.Types.SoftwarePackage' -as [type]).FullName"
        $result = & (Get-PwshPath) -NoProfile -NonInteractive -Command $script
        $LASTEXITCODE | Should -Be 0
        $result | Should -Be 'VMware.ImageBuilder.Types.ImageProfile ESXiImageTools.ObjectModel.SoftwarePackage'
    }
}
