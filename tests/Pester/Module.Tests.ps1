# The module as PowerShell sees it: import, re-import, every type loading, dependency isolation,
# exported commands, help that matches the cmdlets, tab completion.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:CmdletNames = @(Get-ModuleCmdletNames)
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:ModulePath = Get-TestModulePath
    $script:Manifest = Import-PowerShellDataFile $script:ModulePath
    Reset-EsxSession
}

AfterAll {
    Remove-Module ESXiImageTools -ErrorAction SilentlyContinue
}

Describe 'Import' {
    It 'passes Test-ModuleManifest' {
        { Test-ModuleManifest -Path $script:ModulePath -ErrorAction Stop } | Should -Not -Throw
    }

    It 'imports in a fresh pwsh, and Remove-Module + Import-Module works there' {
        $script = "Import-Module '$script:ModulePath' -ErrorAction Stop; Remove-Module ESXiImageTools -ErrorAction Stop; " +
                  "Import-Module '$script:ModulePath' -ErrorAction Stop; (Get-Command -Module ESXiImageTools -CommandType Cmdlet).Count"
        $out = & (Get-PwshPath) -NoProfile -NonInteractive -Command $script 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($out | Out-String)
        [int]($out | Select-Object -Last 1) | Should -Be $script:Manifest.CmdletsToExport.Count
    }

    It 'exports exactly the cmdlets and aliases of the manifest' {
        (Get-Command -Module ESXiImageTools -CommandType Cmdlet).Name | Sort-Object | Should -Be ($script:Manifest.CmdletsToExport | Sort-Object)
        (Get-Command -Module ESXiImageTools -CommandType Alias).Name | Sort-Object | Should -Be ($script:Manifest.AliasesToExport | Sort-Object)
    }

    It 'resolves each ImageBuilder alias to a cmdlet of this module' {
        foreach ($alias in $script:Manifest.AliasesToExport) {
            $cmd = Get-Command $alias -ErrorAction Stop
            $cmd.ResolvedCommand.Module.Name | Should -Be 'ESXiImageTools'
        }
    }

    It 'loads every type of its assemblies, with every member signature' {
        # Fails when any type (a cmdlet's field, property, attribute or method) needs an assembly that
        # cannot be resolved: the failure that kept the module from importing at all.
        $folder = Split-Path $script:ModulePath
        $assemblies = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object {
            -not $_.IsDynamic -and $_.Location -and $_.Location.StartsWith($folder)
        }
        @($assemblies.GetName().Name) | Should -Contain 'ESXiImageTools'
        @($assemblies.GetName().Name) | Should -Contain 'ESXiImageTools.Loader'
        @($assemblies.GetName().Name) | Should -Contain 'ESXiImageTools.Core'
        $flags = [Reflection.BindingFlags]'Public,NonPublic,Instance,Static,DeclaredOnly'
        $count = 0
        foreach ($assembly in $assemblies) {
            foreach ($type in $assembly.GetTypes()) {
                $null = $type.GetCustomAttributes($true)
                foreach ($member in $type.GetMembers($flags)) {
                    $null = $member.GetCustomAttributes($true)
                    switch ($member.MemberType) {
                        'Field' { $null = $member.FieldType }
                        'Property' { $null = $member.PropertyType; $null = $member.GetIndexParameters() }
                        'Method' { $null = $member.ReturnType; $null = $member.GetParameters().ParameterType }
                        'Constructor' { $null = $member.GetParameters().ParameterType }
                    }
                }
                $count++
            }
        }
        $count | Should -BeGreaterThan 50
        # The design does not rely on cmdlets avoiding engine value types in their fields: some have them
        # (AcceptanceLevel? parameters), and the module imported above all the same.
        $cmdletAssembly = $assemblies | Where-Object { $_.GetName().Name -eq 'ESXiImageTools' }
        $engineValueFields = foreach ($type in $cmdletAssembly.GetTypes()) {
            $type.GetFields([Reflection.BindingFlags]'NonPublic,Instance') | Where-Object {
                $t = $_.FieldType; if ([Nullable]::GetUnderlyingType($t)) { $t = [Nullable]::GetUnderlyingType($t) }
                $t.IsValueType -and $t.Assembly.GetName().Name -eq 'ESXiImageTools.Core'
            }
        }
        @($engineValueFields).Count | Should -BeGreaterThan 0
    }

    It 'loads the engine and SharpZipLib into the private load context' {
        $null = Get-EsxDepot
        $core = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'ESXiImageTools.Core' }
        $zip = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'ICSharpCode.SharpZipLib' -and $_.Location.StartsWith((Split-Path $script:ModulePath)) }
        [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(@($core)[0]).Name | Should -Be 'ESXiImageTools.Dependencies'
        [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(@($zip)[0]).Name | Should -Be 'ESXiImageTools.Dependencies'
    }

    It 'does not ship System.Management.Automation.dll' {
        Get-ChildItem (Split-Path $script:ModulePath) -Recurse -Filter 'System.Management.Automation.dll' | Should -BeNullOrEmpty
    }
}

Describe 'Dependency isolation' {
    It 'works with another SharpZipLib loaded first: imports, then exports an ISO and a bundle' {
        $other = $env:ESXIIMAGETOOLS_OTHER_SHARPZIPLIB
        if (Skip-OrFailWithout ([bool]$other -and (Test-Path $other)) 'another SharpZipLib (ESXIIMAGETOOLS_OTHER_SHARPZIPLIB)') { return }
        $out = Join-Path $TestDrive 'isolation'
        New-Item -ItemType Directory $out | Out-Null
        # A fresh process: the other SharpZipLib must be in the session before the module ever was.
        $script = @"
`$ErrorActionPreference = 'Stop'
`$first = Add-Type -Path '$other' -PassThru | Select-Object -First 1
`$firstZip = `$first.Assembly
Import-Module '$script:ModulePath'
`$d = Add-EsxDepot '$(Get-SampleDepotPath)'
`$p = New-EsxProfile -CloneProfile '*-standard' -Name iso-test -Vendor Test
Export-EsxProfileToIso -Profile `$p -FilePath '$out/a.iso'
Export-EsxProfileToBundle -Profile `$p -FilePath '$out/b.zip'
`$zips = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'ICSharpCode.SharpZipLib' }
# The session's own SharpZipLib still works after the module used its own.
`$ms = New-Object IO.MemoryStream
`$gz = New-Object ICSharpCode.SharpZipLib.GZip.GZipOutputStream(`$ms)
`$gz.Write([byte[]](1,2,3), 0, 3); `$gz.Close()
'versions=' + ((`$zips | ForEach-Object { `$_.GetName().Version.ToString() } | Sort-Object) -join ',')
'first=' + `$firstZip.GetName().Version.ToString()
"@
        $result = & (Get-PwshPath) -NoProfile -NonInteractive -Command $script 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($result | Out-String)
        (Get-Item "$out/a.iso").Length | Should -BeGreaterThan 32768
        (Get-Item "$out/b.zip").Length | Should -BeGreaterThan 1000
        $versions = (($result | Where-Object { "$_" -like 'versions=*' }) -replace '^versions=', '') -split ','
        $first = ($result | Where-Object { "$_" -like 'first=*' }) -replace '^first=', ''
        $versions.Count | Should -Be 2 -Because 'the session and the module each have their own SharpZipLib'
        $versions | Should -Contain $first
        # The bundle reads back as a depot with the profile.
        Reset-EsxSession
        (Get-EsxProfile -Depot (Add-EsxDepot "$out/b.zip")).Name | Should -Contain 'iso-test'
    }
}

Describe 'Remove-Module' {
    It 'ends the session: depots and session profiles are gone after re-import' {
        Reset-EsxSession
        Add-EsxDepot (Get-SampleDepotPath) | Out-Null
        New-EsxProfile -CloneProfile '*-standard' -Name gone -Vendor Test | Out-Null
        Reset-EsxSession
        @(Get-EsxDepot).Count | Should -Be 0
        Get-EsxProfile gone -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}

Describe 'Help of <_>' -ForEach $script:CmdletNames {
    BeforeAll {
        $script:Name = $_
        $script:Help = Get-Help $_ -Full
    }

    It 'is the MAML help, with a synopsis and examples' {
        $script:Help.Synopsis | Should -Not -BeNullOrEmpty
        $script:Help.Synopsis | Should -Not -Match '^\s*\S+ \['   # the auto-generated syntax means the MAML was not found
        @($script:Help.Examples.Example).Count | Should -BeGreaterThan 0
    }

    It 'has the syntax Get-Command shows, parameter set by parameter set' {
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
        $fromCommand = foreach ($set in (Get-Command $script:Name).ParameterSets) {
            (@($set.Parameters | Where-Object { $_.Name -notin $common -or $_.Name -in 'WhatIf', 'Confirm' } | ForEach-Object {
                '{0}:{1}:{2}' -f $_.Name, $_.IsMandatory, $(if ($_.Position -ge 0) { $_.Position } else { 'named' })
            }) | Sort-Object) -join ' '
        }
        $fromHelp = foreach ($item in @($script:Help.syntax.syntaxItem)) {
            (@($item.parameter | ForEach-Object {
                '{0}:{1}:{2}' -f $_.name, ($_.required -eq 'true'), $_.position
            }) | Sort-Object) -join ' '
        }
        @($fromHelp | Sort-Object) | Should -Be @($fromCommand | Sort-Object)
    }

    It 'documents -WhatIf and -Confirm exactly when the cmdlet supports them' {
        $supports = (Get-Command $script:Name).Parameters.ContainsKey('WhatIf')
        $documented = @($script:Help.parameters.parameter.name) -contains 'WhatIf'
        $documented | Should -Be $supports
    }
}

Describe 'About topic' {
    It 'describes the workflow' {
        (Get-Help about_ESXiImageTools | Out-String) | Should -Match 'Add-EsxDepot'
    }
}

Describe 'Tab completion' {
    BeforeAll {
        Reset-EsxSession
        Add-EsxDepot (Get-SampleDepotPath) | Out-Null
    }

    It 'completes profile names' {
        $line = 'Get-EsxProfile ESXi-8.0.0-20513097-sample-st'
        $r = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $r.CompletionMatches.CompletionText | Should -Be @('ESXi-8.0.0-20513097-sample-standard')
    }

    It 'completes package names' {
        $line = 'Get-EsxPackage nvme'
        $r = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $r.CompletionMatches.CompletionText | Should -Contain 'nvme-sample'
    }

    It 'completes the -CloneProfile of New-EsxProfile' {
        $line = 'New-EsxProfile -CloneProfile *no-to'
        $r = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $r.CompletionMatches.CompletionText | Should -Be @('ESXi-8.0.0-20513097-sample-no-tools')
    }

    It 'completes acceptance levels' {
        $line = 'Set-EsxProfile x -AcceptanceLevel Comm'
        $r = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $r.CompletionMatches.CompletionText | Should -Contain 'CommunitySupported'
    }
}
