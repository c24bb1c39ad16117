# The module as PowerShell sees it: manifest, exported commands, aliases, help, formatting.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:ModulePath = Get-TestModulePath
    Import-Module $script:ModulePath -Force
    $script:Manifest = Import-PowerShellDataFile $script:ModulePath
}

AfterAll {
    Remove-Module ESXiImageTools -ErrorAction SilentlyContinue
}

Describe 'ESXiImageTools module' {
    It 'passes Test-ModuleManifest' {
        { Test-ModuleManifest -Path $script:ModulePath -ErrorAction Stop } | Should -Not -Throw
    }

    It 'exports exactly the cmdlets in the manifest' {
        $exported = (Get-Command -Module ESXiImageTools -CommandType Cmdlet).Name | Sort-Object
        $exported | Should -Be ($script:Manifest.CmdletsToExport | Sort-Object)
    }

    It 'exports the ImageBuilder aliases, each resolving to a cmdlet of this module' {
        foreach ($alias in $script:Manifest.AliasesToExport) {
            $cmd = Get-Command $alias -ErrorAction Stop
            $cmd.CommandType | Should -Be 'Alias'
            $cmd.ResolvedCommand.Module.Name | Should -Be 'ESXiImageTools'
        }
    }

    It 'has help with a synopsis and an example for <_>' -ForEach @((Import-PowerShellDataFile (Get-TestModulePath)).CmdletsToExport) {
        $help = Get-Help $_ -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match '^\s*\S+ \['   # the auto-generated syntax line means the MAML was not found
        @($help.Examples.Example).Count | Should -BeGreaterThan 0
    }

    It 'has the about topic' {
        (Get-Help about_ESXiImageTools | Out-String) | Should -Match 'Add-EsxDepot'
    }

    It 'does not ship System.Management.Automation.dll' {
        $folder = Split-Path $script:ModulePath
        Get-ChildItem $folder -Recurse -Filter 'System.Management.Automation.dll' | Should -BeNullOrEmpty
    }

    It 'loads the engine privately on PowerShell 7' -Skip:($PSVersionTable.PSEdition -ne 'Core') {
        $null = Get-EsxDepot
        $core = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'ESXiImageTools.Core' }
        $core | Should -Not -BeNullOrEmpty
        [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($core[0]).Name | Should -Be 'ESXiImageTools.Dependencies'
    }
}
