# ImageBuilder's object model as VMware documents it (vSphere Installation and Setup, "Structure of
# ImageProfile, SoftwarePackage, and ImageProfileDiff Objects"): each documented property has the
# documented name and type, and can be set where ImageBuilder's can (and nowhere else).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Reset-EsxSession
    $script:Depot = Add-EsxDepot (Get-SampleDepotPath)
    $script:Driver = Get-EsxPackage -Path (Get-SampleDriverPath)
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
        $script:p.Vendor = 'Assigned'
        $script:p.Description = 'from assignments'
        Add-EsxSoftwarePackage -ImageProfile $script:p -SoftwarePackage $script:Driver | Out-Null
        $zip = Join-Path $TestDrive 'assigned.zip'
        Export-EsxImageProfile -ImageProfile $script:p -ExportToBundle -FilePath $zip -NoSignatureCheck
        $read = Get-EsxImageProfile -SoftwareDepot (Add-EsxSoftwareDepot $zip) -Name settable
        $read.AcceptanceLevel | Should -Be 'CommunitySupported'
        $read.Vendor | Should -Be 'Assigned'
        $read.Description | Should -Be 'from assignments'
        $read.VibList.Name | Should -Contain 'net-community'
        Remove-EsxSoftwareDepot $zip
    }
}
